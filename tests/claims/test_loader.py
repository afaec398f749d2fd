"""Loading and checking the authored YAML: every problem names its file and line."""

from __future__ import annotations

import re

import pytest

from rightsgraph.claims import loader as claims
from rightsgraph.claims.anchors import ANCHORS_FILE, write_anchors
from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.reader import parse_date
from rightsgraph.claims.records import Figure
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
    figs = [f.value for c in col.claims for f in c.facts if isinstance(f.value, Figure)]
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
    assert f"graph/claims/report.yaml:{line_of(f, 'camp-98')}: unknown entity 'facility/camp-98' (heldAt); did you mean facility/camp-99?" in out
    assert any(p.startswith(f"graph/claims/report.yaml:{line_of(f, 'facilityNumbr')}: unknown predicate 'facilityNumbr': "
                            "not a property of the ontology") for p in out), out


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
    write_anchors(mini / "graph" / ANCHORS_FILE, col.anchors)
    again = load(mini, with_corpus=False)
    assert [(c.evidence.start, c.evidence.end) for c in again.claims] == [(c.evidence.start, c.evidence.end) for c in col.claims]


def test_stale_offsets_are_reported_without_corpus(mini):
    col = load(mini)
    write_anchors(mini / "graph" / ANCHORS_FILE, col.anchors)
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
    assert normalize_name("Kwan-li-so No. 15") == normalize_name("KWAN LI SO  no 15")
    assert normalize_name("Susŏng") == normalize_name("susong")


# --------------------------------------------------------------------------------------------
# Issue 14: what a figure counts and when, and who reviewed a claim
# --------------------------------------------------------------------------------------------

def figures_of(col) -> dict[str, Figure]:
    """The figures of the fixture, by their claim's quote."""
    return {c.evidence.quote: f.value for c in col.claims for f in c.facts if isinstance(f.value, Figure)}


def test_measures_dates_and_review_are_read(mini):
    from rightsgraph.model import ontology
    from rightsgraph.namespaces import RGM

    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "prisonerCount: 20000\n    certainty: estimated",
         'prisonerCount: {value: 20000, measure: political-prisoners, as_of: "2014-02", dated_by: publication}\n'
         '    certainty: estimated\n    reviewed: {by: reviewer-a, on: "2026-12-07"}')
    edit(f, "prisonerCount: {high: 35000, qualifier: up to, as_of: 2010}",
         "prisonerCount: {high: 35000, qualifier: up to, as_of: 2010}\n      peopleCount:\n"
         "        stated_as: thousands\n        measure: detainees\n        undated: the source gives no date for it")
    col = load(mini)
    figs = figures_of(col)
    assert ontology.load(mini / "ontology" / "rightsgraph.ttl").measures["political-prisoners"] == RGM["political-prisoners"]
    fig = figs["It holds an estimated 20,000 prisoners."]
    assert (fig.measure, str(fig.as_of), fig.dated_by_publication, fig.undated) == (RGM["political-prisoners"], "2014-02", True, None)
    quote = "According to the Example Watch group, the camp held up to 35,000 prisoners in 2010."
    people = [f.value for c in col.claims for f in c.facts if c.evidence.quote == quote and f.predicate.name == "peopleCount"]
    assert people[0].measure == RGM.detainees and people[0].undated == "the source gives no date for it" and people[0].as_of is None
    reviewed = {c.evidence.quote: (c.review_status, c.reviewed_by, c.reviewed_on) for c in col.claims}
    assert reviewed["It holds an estimated 20,000 prisoners."] == ("reviewed", "reviewer-a", parse_date("2026-12-07"))
    assert reviewed[quote] == ("curated", None, None)


def test_counts_default_to_their_measure_and_other_figures_to_none(mini):
    from rightsgraph.namespaces import RGM

    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "facilityNumber: 99", "facilityNumber: 99\n      peopleCount: 300")
    figs = [f.value for c in load(mini).claims for f in c.facts if isinstance(f.value, Figure)]
    assert sorted(str(f.measure) for f in figs) == ["None", str(RGM.prisoners), str(RGM.prisoners)]


def test_a_claims_as_of_dates_its_figures(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "prisonerCount: 20000\n    certainty: estimated",
         "prisonerCount: {value: 20000, dated_by: publication}\n    as_of: 2014\n    certainty: estimated")
    fig = figures_of(load(mini))["It holds an estimated 20,000 prisoners."]
    assert fig.dated_by_publication and fig.as_of is None  # the claim's rg:pointInTime dates it


def test_bad_figure_keys_are_reported_at_their_line(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "prisonerCount: 20000\n", "prisonerCount:\n        value: 20000\n        measure: inmates\n")
    edit(f, "prisonerCount: {high: 35000, qualifier: up to, as_of: 2010}",
         "prisonerCount: {high: 35000, qualifier: up to, as_of: 2010, undated: no date given}\n"
         "      deathCount: {value: 5, dated_by: publication}\n"
         "      campCount: {value: 1, as_of: 2010-13}\n"
         "      victimCount: {value: 2, as_of: 2010, dated_by: capture}\n"
         "      peopleCount: {value: 3, undated: '  '}")
    out = problems(mini)
    at = lambda needle: f"graph/claims/report.yaml:{line_of(f, needle)}: "  # noqa: E731
    assert at("measure: inmates") + "prisonerCount: unknown measure 'inmates': not in the ontology's list of measures " \
        "(rg:measures; docs/authoring.md lists them; use other with a unit if none fits)" in out
    assert at("undated: no date given") + "prisonerCount: undated, but the figure has as_of 2010: give one or the other" in out
    assert at("deathCount:") + "deathCount: dated_by: publication needs as_of (the document's publication or capture date)" in out
    assert at("campCount:") + "campCount: as_of: '2010-13' is not a date: write 2013, \"2013-12\" or 2013-12-08" in out
    assert at("victimCount:") + "victimCount: dated_by 'capture': the only value is publication (the figure's only date " \
        "is the document's own publication or capture date)" in out
    assert at("peopleCount:") + "peopleCount: undated needs the reason in plain words (why the source's figure has no date)" in out
    assert len(out) == 6, out


def test_undated_figure_of_a_dated_claim(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "prisonerCount: 20000\n    certainty: estimated",
         "prisonerCount: {value: 20000, undated: no date}\n    as_of: 2014\n    certainty: estimated")
    assert problems(mini) == [f"graph/claims/report.yaml:{line_of(f, 'undated: no date')}: "
                              "prisonerCount: undated, but its claim has as_of 2014: give one or the other"]


def test_bad_reviewed_is_reported_at_its_line(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "    certainty: estimated", '    certainty: estimated\n    reviewed: {by: reviewer-a, on: "2026-12"}')
    edit(f, "    certainty: alleged", "    certainty: alleged\n    reviewed:\n      on: 2026-12-32\n      by: ''")
    edit(f, "      endDate: 2003", "      endDate: 2003\n    reviewed: {by: reviewer-b, on: 2026-12-07, verdict: ok}")
    edit(f, "    according_to: org/example-watch", "    according_to: org/example-watch\n    reviewed: reviewer-c")
    out = problems(mini)
    at = lambda needle: f"graph/claims/report.yaml:{line_of(f, needle)}: "  # noqa: E731
    assert at('on: "2026-12"') + "reviewed: on: '2026-12' is not a day: write \"YYYY-MM-DD\"" in out
    assert at("on: 2026-12-32") + "reviewed: on: '2026-12-32' is not a date: day is out of range for month" in out
    assert at("by: ''") + "reviewed: by must name the reviewer (reviewer-a, reviewer-b ...)" in out
    assert at("verdict") + "unknown reviewed field(s) verdict: give by and on only" in out
    assert at("reviewer-c") + 'reviewed must be a mapping: reviewed: {by: <reviewer>, on: "YYYY-MM-DD"}' in out
    assert len(out) == 5, out


def test_recording_measure_and_date_keeps_the_claim_key(mini):
    before = {c.evidence.quote: c.key for c in load(mini).claims}
    f = mini / "graph" / "claims" / "report.yaml"
    edit(f, "prisonerCount: 20000\n", "prisonerCount: {value: 20000, measure: prisoners, as_of: 2014, dated_by: publication}\n")
    edit(f, "prisonerCount: {high: 35000, qualifier: up to, as_of: 2010}",
         "prisonerCount: {high: 35000, qualifier: up to, measure: political-prisoners}")
    edit(f, "    certainty: alleged", "    certainty: alleged\n    reviewed: {by: reviewer-a, on: 2026-12-07}")
    after = {c.evidence.quote: c.key for c in load(mini).claims}
    assert after == before
    edit(f, "qualifier: up to, measure", "qualifier: about, measure")  # the figure itself changed
    changed = {c.evidence.quote: c.key for c in load(mini).claims}
    assert [q for q in before if changed[q] != before[q]] == [
        "According to the Example Watch group, the camp held up to 35,000 prisoners in 2010."]


def test_an_entity_record_carries_its_review_like_a_claim(mini):
    from rightsgraph import paths as paths_mod
    from rightsgraph.sources.corpus import Corpus

    f = mini / "graph" / "entities" / "all.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("  label: Camp 99\n", "  label: Camp 99\n  reviewed: {by: reviewer-x, on: \"2026-12-07\"}\n", 1),
                 encoding="utf-8")
    col = claims.load(paths_mod.project(mini), Corpus(mini / "corpus"))
    record = next(c for c in col.claims if c.entity is not None and c.subject == "facility/camp-99")
    assert (record.review_status, record.reviewed_by) == ("reviewed", "reviewer-x")
    other = next(c for c in col.claims if c.entity is not None and c.subject == "place/test-province")
    assert other.review_status == "curated"
