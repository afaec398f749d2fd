"""Detention periods, on sentences written for this test (an imaginary country)."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose, propose_entities

from ..conftest import IMAGINARY, RULE
from .test_new_people import doc_of


def test_held_there_from_year_to_year():
    text = ("Olek Varn-su, a former prisoner of Camp Alpha, told investigators about the mine. "
            "He was held there from 2004 to 2010, he said.")
    doc = doc_of(text)
    cands = [c for c in propose(doc, IMAGINARY) if c["method"] == RULE + "detention-period"]
    assert [(c["subject"], c["facts"]) for c in cands] == [
        ("event/olek-varn-su-detention", {"victim": "person/olek-varn-su", "place": "facility/camp-alpha",
                                          "startDate": 2004, "endDate": 2010})]
    events = [e for e in propose_entities(doc, IMAGINARY) if e["id"] == "event/olek-varn-su-detention"]
    assert events and events[0]["type"] == "Detention"


def test_until_release_and_months():
    text = ("Ilka Dorn-ha, a former detainee of Camp Gamma, was interviewed. She was detained for three years, "
            "from March 2012 until her release in May 2015.")
    cands = [c for c in propose(doc_of(text), IMAGINARY) if c["method"] == RULE + "detention-period"]
    assert [c["facts"]["startDate"] for c in cands] == ["2012-03"] and cands[0]["facts"]["endDate"] == "2015-05"


def test_no_period_without_a_person_introduced_before():
    text = "Prisoners were held there from 2004 to 2010."
    assert not [c for c in propose(doc_of(text), IMAGINARY) if c["method"] == RULE + "detention-period"]
