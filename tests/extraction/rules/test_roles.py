"""Roles: a title named after or before a person's name."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose

from ..conftest import IMAGINARY, doc_of, find, one


def test_roles(proposed):
    role = find(proposed["report.md"], "role")
    assert role["subject"] == "person/choe-pu-il"
    # "a senior official" means something only with its organization, so the title keeps it
    assert role["facts"] == {"worksFor": "org/ministry-of-peoples-security",
                             "jobTitle": "senior official in the Ministry of People's Security"}


def test_roles_after_and_before_the_name(imaginary):
    cands = imaginary["people.md"]
    assert one(cands, "role", "person/mara-quell")["facts"] == {
        "worksFor": "org/lantern-monitor", "jobTitle": "senior analyst at the Lantern Monitor"}
    assert one(cands, "role", "person/tobin-vash")["facts"] == {"worksFor": "org/harbor-institute", "jobTitle": "Director"}
    assert one(cands, "role-before-name", "person/ilse-varga")["facts"] == {
        "worksFor": "org/lantern-monitor", "jobTitle": "Field Researcher"}
    chair = propose(doc_of("Mara Quell, joint chair of the Harbor Institute, spoke.\n"), IMAGINARY)
    assert chair[0]["facts"] == {"chairOf": "org/harbor-institute", "jobTitle": "joint chair of the Harbor Institute"}
