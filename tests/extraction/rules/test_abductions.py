"""Abductions: the agent and the victims of an abduction."""

from __future__ import annotations

from ..conftest import RULE


def test_abductions(imaginary):
    cands = [c for c in imaginary["violations.txt"] if c["method"] == RULE + "abduction"]
    assert [c["facts"]["violation"] for c in cands] == [
        {"type": "violation/enforced-disappearance", "victims": ["group/orchard-believers"],
         "perpetrators": ["org/government-of-ostland"]},
        {"type": "violation/enforced-disappearance", "victims": ["group/fishermen"],
         "perpetrators": ["org/government-of-ostland"]}]  # "by Ostland": the country acts through its government
    assert {c["subject"] for c in cands} == {"org/government-of-ostland"}
