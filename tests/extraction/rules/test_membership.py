"""Membership: a member of an organization, alone or in a list."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose

from ..conftest import IMAGINARY, doc_of, one


def test_membership(imaginary):
    cands = imaginary["people.md"]
    assert one(cands, "membership", "person/ilse-varga")["facts"] == {"memberOf": "org/coastal-council"}
    assert one(cands, "membership", "person/tobin-vash")["facts"] == {"memberOf": "org/coastal-council"}
    listed = propose(doc_of("The council named Mara Quell and Ilse Varga as members of the Coastal Council.\n"),
                             IMAGINARY)
    assert sorted(c["subject"] for c in listed if c["facts"] == {"memberOf": "org/coastal-council"}) == [
        "person/ilse-varga", "person/mara-quell"]
