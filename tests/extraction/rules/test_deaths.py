"""Death figures on the event, group, camp or place named."""

from __future__ import annotations

from ..conftest import bare, bare_facts, one


def test_deaths(imaginary):
    drought = one(imaginary["figures.txt"], "death-figure-range")
    assert drought["subject"] == "event/great-drought"
    assert bare_facts(drought["facts"]) == {"deathCount": {"low": 20000, "high": 30000}}
    assert "certainty" not in drought  # "claimed the lives" is no hedge
    camp = one(imaginary["figures.txt"], "death-figure-at-least")
    assert camp["subject"] == "facility/camp-delta" and bare_facts(camp["facts"]) == {"deathCount": {"low": 700, "qualifier": "more than"}}
    # the prisoners who died are not a count of prisoners held
    assert not [c for c in imaginary["figures.txt"] if "died" in c["quote"] and "prisonerCount" in c["facts"]]
