"""Loading and checking the authored YAML: every problem names its file and line."""

from __future__ import annotations

import re

import pytest

from rightsgraph.claims import loader as claims
from rightsgraph import paths
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError


def load(root, with_corpus=True):
    return claims.load(paths.project(root), Corpus(root / "corpus") if with_corpus else None)


def problems(root, with_corpus=True) -> list[str]:
    with pytest.raises(DataError) as info:
        load(root, with_corpus)
    return [str(p) for p in info.value.problems]


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_fixture_loads_and_anchors_every_quote(mini):
    col = load(mini)
    text = (mini / "corpus" / "report.txt").read_text(encoding="utf-8")
    assert len(col.entities) == 4
    assert len(col.claims) == 9  # 4 entity records + 5 claims
    for c in col.claims:
        assert text[c.evidence.start:c.evidence.end] == c.evidence.quote


def test_figures_keep_ranges_qualifiers_and_dates(mini):
    col = load(mini)
    figs = [f.value for c in col.claims for f in c.facts if isinstance(f.value, claims.Figure)]
    assert any(f.high is not None and int(f.high) == 35000 and f.qualifier == "up to" and str(f.as_of) == "2010" for f in figs)
    assert any(f.value is not None and int(f.value) == 20000 for f in figs)


def test_changed_quote_is_reported_at_its_line(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "It holds an estimated 20,000 prisoners.", "It holds an estimated 20,001 prisoners.")
    out = problems(mini)
    assert out == [f"graph/claims/report.yaml:{line_of(f, '20,001')}: quote not found in source 'test-camp-report': 'It holds an estimated 20,001 prisoners.'"]


def test_yaml_syntax_error_names_file_and_line(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "    certainty: estimated", "    certainty: [estimated")
    out = problems(mini)
    assert len(out) == 1 and re.match(r"graph/claims/report\.yaml:\d+: YAML error", out[0]), out


def test_unknown_entity_and_predicate(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "heldAt: facility/camp-99", "heldAt: facility/camp-98")
    edit(f, "facilityNumber: 99", "facilityNumbr: 99")
    out = problems(mini)
    assert f"graph/claims/report.yaml:{line_of(f, 'camp-98')}: unknown entity 'facility/camp-98' (heldAt)" in out
    assert f"graph/claims/report.yaml:{line_of(f, 'facilityNumbr')}: unknown predicate 'facilityNumbr': not a property of the ontology" in out


def test_duplicate_entity_id(mini):
    f = mini / "graph" / "entities" / "all.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n- id: person/jane-doe\n  type: Person\n  label: J. Doe\n"
                 "  source: test-camp-report\n  quote: Jane Doe\n", encoding="utf-8")
    out = problems(mini)
    assert any("duplicate entity id 'person/jane-doe' (first in graph/entities/all.yaml:" in p for p in out), out


def test_wrong_range_and_domain(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "heldAt: facility/camp-99", "heldAt: place/test-province")
    out = problems(mini)
    assert any("heldAt: place/test-province is a province, but heldAt takes a detention facility" in p for p in out), out


def test_bad_values(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "startDate: 1999", "startDate: 19999")
    edit(f, "prisonerCount: 20000", 'prisonerCount: "20,000"')
    out = "\n".join(problems(mini))
    assert "startDate: 19999 is not a date" in out
    assert "prisonerCount: '20,000' is not a number" in out


def test_two_entities_sharing_a_name(mini):
    f = mini / "graph" / "entities" / "all.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n- id: facility/camp-99-bis\n  type: PoliticalPrisonCamp\n"
                 "  label: Kwanliso 99\n  source: test-camp-report\n  quote: Camp 99\n", encoding="utf-8")
    out = "\n".join(problems(mini))
    assert "share the name 'Kwanliso 99': one entity or two?" in out


def test_sha256_mismatch_is_reported(mini):
    (mini / "corpus" / "report.txt").write_text("changed\n", encoding="utf-8")
    out = "\n".join(problems(mini))
    assert "sha256 of report.txt is" in out


def test_build_without_corpus_uses_recorded_offsets(mini):
    col = load(mini)
    claims.write_anchors(mini / "graph" / claims.ANCHORS_FILE, col.anchors)
    again = load(mini, with_corpus=False)
    assert [(c.evidence.start, c.evidence.end) for c in again.claims] == [(c.evidence.start, c.evidence.end) for c in col.claims]


def test_stale_offsets_are_reported_without_corpus(mini):
    col = load(mini)
    claims.write_anchors(mini / "graph" / claims.ANCHORS_FILE, col.anchors)
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "Former prisoners testify that torture", "former prisoners testify that torture")
    out = problems(mini, with_corpus=False)
    assert out == [f"graph/claims/report.yaml:{line_of(f, 'former prisoners testify that')}: no recorded offsets for this quote: run `rightsgraph build --corpus DIR` to record them"]


def test_same_fact_from_two_passages_is_two_claims(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n  - subject: person/jane-doe\n    quote: \"Jane Doe was held at Camp 99\"\n"
                 "    facts:\n      heldAt: facility/camp-99\n", encoding="utf-8")
    col = load(mini)
    held = [c for c in col.claims if c.subject == "person/jane-doe" and c.facts and c.facts[0].predicate.name == "heldAt"]
    assert len(held) == 2 and len({c.key for c in held}) == 2


def test_quote_over_300_characters(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, '    quote: "Jane Doe was held at Camp 99 from 1999 to 2003."', "    quote: \"" + "x" * 301 + "\"")
    out = "\n".join(problems(mini))
    assert "quote is 301 characters; keep it under 300" in out


def test_names_fold_case_hyphens_and_spacing():
    assert claims.normalize_name("Kwan-li-so No. 15") == claims.normalize_name("KWAN LI SO  no 15")
    assert claims.normalize_name("Susŏng") == claims.normalize_name("susong")
