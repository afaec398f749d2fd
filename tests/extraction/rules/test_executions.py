"""Executions: public or not, on the agent or the country the document is about."""

from __future__ import annotations

from ..conftest import RULE


def test_executions(imaginary):
    cands = {c["quote"]: c for c in imaginary["violations.txt"] if c["method"] == RULE + "execution"}
    public = cands["Orchard Believers were publicly executed in Riverton."]
    assert public["subject"] == "place/ostland"  # no agent named: the country the document is about
    assert public["facts"]["violation"] == {"type": "violation/public-execution", "victims": ["group/orchard-believers"]}
    resumed = cands["Ostland resumed public executions in 2009."]
    assert resumed["subject"] == "org/government-of-ostland"
    assert resumed["facts"]["violation"]["perpetrators"] == ["org/government-of-ostland"]
    plain = cands["Prisoners who try to escape may be executed."]
    assert plain["facts"]["violation"] == {"type": "violation/right-to-life"}
    assert plain["confidence"] < public["confidence"]
