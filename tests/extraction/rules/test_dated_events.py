"""Dated visits, meetings and hearings, on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose, propose_entities

from ..conftest import IMAGINARY, doc_of, one


def test_a_visit_with_a_range_of_days():
    text = "The envoy, Carel Omberg, undertook an official visit to Ostland from 3 to 9 April 2017."
    visit = one(propose(doc_of(text), IMAGINARY), "dated-event")
    assert visit["facts"]["startDate"] == "2017-04-03" and visit["facts"]["endDate"] == "2017-04-09"
    assert visit["facts"]["place"] == "place/ostland"
    assert visit["facts"]["participant"] == "person/carel-omberg"


def test_a_meeting_with_a_new_place_and_a_new_body():
    text = "On 12 June 2016 Tobin Vash met members of the Coastal Assembly in Lowmarsh."
    doc = doc_of(text)
    meeting = one(propose(doc, IMAGINARY), "dated-meeting")
    assert meeting["facts"] == {"date": "2016-06-12", "place": "place/lowmarsh",
                                "participant": ["person/tobin-vash", "org/coastal-assembly"]}
    new = {e["id"]: e["type"] for e in propose_entities(doc, IMAGINARY)}
    assert new[meeting["subject"]] == "Meeting" and new["place/lowmarsh"] == "City"


def test_a_hearing_and_no_event_without_a_full_date():
    cands = propose(doc_of("The Coastal Council heard four witnesses on 1 February 2022. Mara Quell met the "
                           "staff of the Harbor Institute in spring."), IMAGINARY)
    hearing = one(cands, "dated-hearing")
    assert hearing["facts"] == {"date": "2022-02-01"}
    assert [c["method"].rsplit("/", 1)[1] for c in cands if "dated-" in c["method"]] == ["dated-hearing"]


def test_a_heading_is_no_event():
    assert not [c for c in propose(doc_of("Notes of the Riverton round table, 5 May 2015\n\nNothing else."), IMAGINARY)
                if "dated-" in c["method"]]
