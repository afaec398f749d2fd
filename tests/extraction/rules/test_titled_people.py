"""New people whose role is written before the name, on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose, propose_entities

from ..conftest import IMAGINARY, doc_of


def roles(text: str) -> list[tuple]:
    return [(c["subject"], c["facts"], c["quote"]) for c in propose(doc_of(text), IMAGINARY)
            if c["method"].endswith("titled-person")]


def test_a_possessive_title_gives_the_job_and_the_organisation():
    text = "The Valley Rights Network said little. The Network's spokeswoman, Joss Emberly, signed the letter."
    assert roles(text) == [("person/joss-emberly", {"jobTitle": "spokeswoman", "worksFor": "org/valley-rights-network"},
                            "The Network's spokeswoman, Joss Emberly")]


def test_a_director_of_an_organisation_named_before():
    text = "The Lantern Monitor opened an office. The Monitor's director, Joss Emberly, spoke."
    assert roles(text) == [("person/joss-emberly", {"jobTitle": "director", "worksFor": "org/lantern-monitor"},
                            "The Monitor's director, Joss Emberly")]
    assert "person/joss-emberly" in {e["id"] for e in propose_entities(doc_of(text), IMAGINARY)}


def test_a_job_honorific_is_the_title():
    text = "The chair, Senator Wren Adaire, opened the session."
    assert roles(text) == [("person/wren-adaire", {"jobTitle": "Senator"}, "The chair, Senator Wren Adaire")]
