"""Proposing: the rules run over whole documents, new entities, and the review files they go to."""

from __future__ import annotations

import pytest
import yaml

from rightsgraph.extraction import workflow as review
from rightsgraph.extraction.propose import PREDICATES, propose, propose_entities
from rightsgraph.sources.reading import read

from .conftest import DOCS, IMAGINARY, RULE, doc_of


@pytest.mark.parametrize("name, message", [
    ("image.txt", "binary"),
    ("latin1.txt", "not valid utf-8"),
    ("empty.txt", "empty"),
    ("blank.md", "empty"),
])
def test_bad_input_gets_a_clear_error_and_no_review_file(name, message, entities, tmp_path):
    out = tmp_path / "review.yaml"
    with pytest.raises(ValueError) as err:
        review.extract(DOCS / name, entities, out)
    assert name in str(err.value) and message in str(err.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_every_quote_is_the_original_text_at_its_offsets(proposed):
    for name, cands in proposed.items():
        text = read(DOCS / name).text
        assert cands, name
        for c in cands:
            start, end = c["offsets"]
            assert text[start:end] == c["quote"] and len(c["quote"]) < 300
            assert c["method"].startswith(RULE) and 0 < c["confidence"] <= 1


def test_pattern_quotes_are_the_text_at_their_offsets(imaginary):
    for name, cands in imaginary.items():
        text = read(DOCS / name).text
        assert cands, name
        for c in cands:
            assert text[c["offsets"][0]:c["offsets"][1]] == c["quote"] and 0 < c["confidence"] <= 1, c


def test_only_predicates_of_the_ontology(imaginary, proposed):
    from rightsgraph.model import ontology

    from ..conftest import ROOT

    onto = ontology.load(ROOT / "ontology" / "rightsgraph.ttl")
    assert set(PREDICATES) <= set(onto.properties)
    for cands in (*imaginary.values(), *proposed.values()):
        for c in cands:
            assert set(c["facts"]) <= set(PREDICATES), c
            for v in c["facts"].values():
                if isinstance(v, dict) and "type" in v:
                    assert any(str(t).endswith(v["type"].split("/", 1)[1]) for t in onto.violation_types)


def test_placeholder_dates_are_never_proposed():
    doc = doc_of("The Lantern Monitor published the report \"Old Papers\" on December 31, 1969, in print.\n")
    assert propose(doc, IMAGINARY) == []


def test_new_entities_are_proposed_with_their_evidence():
    doc = read(DOCS / "entities.txt")
    found = {r["id"]: r for r in propose_entities(doc, IMAGINARY)}
    assert set(found) == {"org/valley-rights-committee", "facility/stonebrook-labor-camp", "person/arlen-dace",
                          "place/kestrel-province"}
    assert found["org/valley-rights-committee"]["label"] == "Valley Rights Committee"
    assert found["place/kestrel-province"]["type"] == "Province"
    assert found["person/arlen-dace"]["quote"] == "Mr. Arlen Dace spoke to the press."
    for r in found.values():
        start, end = r["offsets"]
        assert doc.text[start:end] == r["quote"] and r["label"] in r["quote"]
        assert r["method"].startswith(RULE + "new-") and 0 < r["confidence"] < 1


def test_a_report_named_in_a_publication_is_a_new_entity_with_the_claims_id():
    doc = read(DOCS / "report.md")
    reports = [r for r in propose_entities(doc, IMAGINARY) if r["id"].startswith("document/")]
    assert [(r["id"], r["type"], r["label"]) for r in reports] == [
        ("document/voices-from-the-valley", "Report", "Voices from the Valley")]
    claim = [c for c in propose(doc, IMAGINARY) if c["method"] == RULE + "publication"][0]
    assert claim["subject"] == reports[0]["id"]


def test_known_names_are_not_new():
    doc = doc_of("Prof. Vash met the Lantern Monitor and the Harbor Institute at Camp Alpha.\n")
    assert propose_entities(doc, IMAGINARY) == []


def test_review_file_is_written_in_the_authoring_format(proposed, tmp_path):
    doc = read(DOCS / "report.txt")
    out = review.review_file(doc, proposed["report.txt"], tmp_path / "review.yaml")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["source"] == "report"
    written = [{k: v for k, v in c.items() if k != "review"} for c in data["claims"]]  # review.py adds its state
    assert written == proposed["report.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["review.yaml"]  # no temporary file left behind


def test_no_claims_no_review_file(entities, tmp_path):
    f = tmp_path / "quiet.md"
    f.write_text("Nothing here names a camp.\n", encoding="utf-8")
    assert review.extract(f, entities, tmp_path / "out" / "review.yaml") is None
    assert not (tmp_path / "out" / "review.yaml").exists()
