"""Figures with what they count and their year, on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose
from rightsgraph.extraction.rules.counted_figures import complete, measure_of, year_of

from ..conftest import IMAGINARY, doc_of, one


def test_people_interviewed_by_a_named_organisation_in_a_year():
    cands = propose(doc_of("Ilse Varga said the Harbor Institute had interviewed 75 escapees in 2015."), IMAGINARY)
    fig = one(cands, "counted-people-interviewed")
    assert fig["subject"] == "org/harbor-institute"
    assert fig["facts"] == {"peopleCount": {"value": 75, "measure": "people-interviewed", "as_of": 2015}}


def test_deaths_a_witness_saw_are_counted_on_her_camp():
    text = "My name is Hollis Prenn. I was sent to Camp Beta in 2001 and released in 2004. I saw three men die in the winter of 2002."
    fig = one(propose(doc_of(text), IMAGINARY), "counted-prison-deaths")
    assert fig["subject"] == "facility/camp-beta" and fig["according_to"] == "person/hollis-prenn"
    assert fig["facts"] == {"deathCount": {"value": 3, "measure": "prison-deaths", "as_of": 2002}}


def test_every_figure_gets_a_measure_and_the_year_after_its_number():
    claim = {"subject": "facility/camp-alpha", "quote": "In 2012 Camp Alpha held up to 8,000 prisoners in 2013.",
             "facts": {"prisonerCount": {"high": 8000, "qualifier": "up to"}}}
    assert complete(claim)["facts"]["prisonerCount"] == {"high": 8000, "qualifier": "up to", "measure": "prisoners",
                                                         "as_of": 2013}
    assert year_of("as of early 2021") == 2021 and year_of("in March 2019") == "2019-03" and year_of("no year") is None
    assert measure_of("deathCount", "place/ostland", "were publicly executed") == "executions"
    assert measure_of("prisonerCount", "group/political-prisoners", "held") == "political-prisoners"
