"""Violations a witness describes, on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose

from ..conftest import IMAGINARY, doc_of


def violations(text: str) -> list[tuple]:
    return [(c["subject"], c["facts"]["violation"], c.get("according_to")) for c in propose(doc_of(text), IMAGINARY)
            if c["method"].endswith("witnessed-violation")]


def test_forced_labour_and_beatings_on_the_witness_camp_according_to_the_witness():
    text = ("Dara Venn-ko, a former inmate of Camp Alpha, was held there for six years. She told investigators that "
            "prisoners were made to haul stones at night and that guards beat those who fell behind.")
    assert violations(text) == [
        ("facility/camp-alpha", {"type": "violation/forced-labor"}, "person/dara-venn-ko"),
        ("facility/camp-alpha", {"type": "violation/torture"}, "person/dara-venn-ko")]


def test_a_first_person_testimony_names_the_witness_as_victim():
    text = ("My name is Hollis Prenn. I was sent to Camp Beta in 2001 and released in 2004.\n\n"
            "We cut timber every day. Women who were sick got smaller rations.")
    assert violations(text) == [
        ("facility/camp-beta", {"type": "violation/forced-labor", "victims": "person/hollis-prenn"}, "person/hollis-prenn"),
        ("facility/camp-beta", {"type": "violation/starvation"}, "person/hollis-prenn")]


def test_general_prose_and_denials_propose_nothing():
    assert violations("Prisoners in many countries are made to work. Guards beat people everywhere.") == []
    text = "Dara Venn-ko, a former inmate of Camp Alpha, spoke. An official denied that guards beat anyone at the camp."
    assert violations(text) == []
