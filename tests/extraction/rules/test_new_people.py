"""New people introduced by an apposition, on sentences written for this test (an imaginary country)."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose, propose_entities
from rightsgraph.sources.reading import Document, clean_text

from ..conftest import IMAGINARY, RULE


def doc_of(text: str) -> Document:
    return Document("t.txt", text, clean_text(text, False), range(len(text)), 0)


def test_a_former_prisoner_is_a_new_person_held_at_the_camp():
    text = "Olek Varn-su, 52, a former prisoner of Camp Alpha, spoke to reporters in Riverton."
    doc = doc_of(text)
    held = [c for c in propose(doc, IMAGINARY) if c["method"] == RULE + "new-person-held"]
    assert [(c["subject"], c["facts"]) for c in held] == [("person/olek-varn-su", {"heldAt": "facility/camp-alpha"})]
    assert held[0]["quote"] == "Olek Varn-su, 52, a former prisoner of Camp Alpha"
    assert text[held[0]["offsets"][0]:held[0]["offsets"][1]] == held[0]["quote"]
    assert "person/olek-varn-su" in {e["id"] for e in propose_entities(doc, IMAGINARY)}


def test_a_title_at_an_organization_gives_job_title_and_works_for():
    text = "Sela Brinkam, a field researcher at the Lantern Monitor, said the camp had grown."
    cands = [c for c in propose(doc_of(text), IMAGINARY) if c["method"] == RULE + "new-person-role"]
    assert [(c["subject"], c["facts"]) for c in cands] == [
        ("person/sela-brinkam", {"jobTitle": "field researcher", "worksFor": "org/lantern-monitor"})]


def test_a_known_person_or_a_sentence_start_is_not_a_new_person():
    text = "Mara Quell, a former prisoner of Camp Beta, left. However Then, a researcher at the Lantern Monitor, spoke."
    doc = doc_of(text)
    assert not [c for c in propose(doc, IMAGINARY) if c["method"].startswith(RULE + "new-person")]
