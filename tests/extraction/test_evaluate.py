"""The evaluation of extraction: its arithmetic on a tiny hand-made gold, and the targets on the real corpus."""

from __future__ import annotations

import pytest

from rightsgraph.extraction import evaluate
from rightsgraph import paths

from ..conftest import ROOT, copy_project


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> evaluate.Evaluation:
    """The evaluation of a one-document project whose counts are worked out by hand below."""
    root = copy_project(tmp_path_factory.mktemp("evalproject") / "p", "extract/evalproject")
    return evaluate.evaluate(paths.project(root), root / "corpus")


def counts(t: evaluate.Tally) -> tuple[int, int, int, int]:
    return t.correct, t.proposed, t.found, t.gold


def test_mention_recall_and_precision_by_hand(tiny):
    # seven entity records; the officials' quote ("Officials said") does not name "officials of the camps": 6 of 7
    # eight mentions; "Camp 8" in "visited Camp 8" is named by no curated claim whose quote covers it: 7 of 8
    assert counts(tiny.total("mentions")) == (7, 8, 6, 7)
    assert tiny.total("mentions").recall == pytest.approx(6 / 7)
    assert tiny.total("mentions").precision == pytest.approx(7 / 8)
    # records whose quote holds one of the entity's names: not Camp 9 ("Kwan-li-so No. 9" is no name of it in the
    # graph) and not the officials; all five found
    assert (tiny.total("named").found, tiny.total("named").gold) == (5, 5)
    assert tiny.sources["test-camp-survey"].missed_mentions == [("group/camp-officials", "Officials said")]


def test_claim_precision_and_recall_by_hand(tiny):
    # proposed facts: Camp 7 up to 12,000 (right), Camp 8 about 3,000 (right: the figure's value is what counts),
    # Camp 9's officialName and facilityNumber (right), Jane Roe worksFor (right) and jobTitle (wrong: the curator
    # wrote "researcher")
    facts = tiny.total("facts")
    assert (facts.correct, facts.proposed) == (5, 6)
    # gold of the kinds proposed: three prisoner figures, officialName, facilityNumber, worksFor, jobTitle; the
    # extractor misses "the camp held 500 inmates" (no camp named) and the jobTitle
    assert (facts.found, facts.gold) == (5, 7)
    assert facts.precision == pytest.approx(5 / 6) and facts.recall == pytest.approx(5 / 7)
    # every curated fact, locatedIn included
    assert (tiny.total("all_facts").found, tiny.total("all_facts").gold) == (5, 8)
    # whole claims: the role claim is wrong as a whole
    assert (tiny.total("claims").correct, tiny.total("claims").proposed) == (3, 4)


def test_tallies_by_kind(tiny):
    assert counts(tiny.by_predicate["prisonerCount"]) == (2, 2, 2, 3)
    assert counts(tiny.by_predicate["jobTitle"]) == (0, 1, 0, 1)
    assert counts(tiny.by_rule["role"])[:2] == (1, 2)
    assert counts(tiny.by_rule["camp-designation"])[:2] == (2, 2)
    assert "locatedIn" not in tiny.proposable and "prisonerCount" in tiny.proposable


def test_report_and_data(tiny):
    text = evaluate.format_text(tiny)
    assert "test-camp-survey" in text and "0.833" in text and "recall" in text
    data = tiny.as_dict()
    assert data["overall"]["facts"] == {"proposed": 6, "correct": 5, "precision": 0.833, "gold": 7, "found": 5,
                                        "recall": 0.714}
    assert data["sources"]["test-camp-survey"]["mentions"]["recall"] == 0.857
    assert data["by_rule"]["role"]["precision"] == 0.5


def test_values_compare_as_the_authoring_format_means():
    onto = evaluate.ontology_mod.load(ROOT / "ontology" / "rightsgraph.ttl")
    fig = onto.properties["prisonerCount"]
    assert evaluate._canon_proposed(fig, {"value": 3000, "qualifier": "about"}) == evaluate._canon_proposed(fig, 3000)
    assert evaluate._canon_proposed(fig, {"low": 1, "high": 2}) != evaluate._canon_proposed(fig, {"low": 1})
    date = onto.properties["published"]
    assert evaluate._canon_proposed(date, "2013-12") != evaluate._canon_proposed(date, 2013)
    vio = onto.properties["violation"]
    few = evaluate._canon_proposed(vio, {"type": "violation/torture"})
    many = evaluate._canon_proposed(vio, {"type": "violation/torture", "victims": ["group/x"]})
    assert evaluate._same(few, many) and not evaluate._same(many, few)
    title = onto.properties["jobTitle"]
    assert evaluate._canon_proposed(title, "Senior  official in the Ministry of People’s Security") == \
        evaluate._canon_proposed(title, "senior official in the Ministry of People's Security")


def test_targets_on_the_real_corpus(corpus_dir):
    """The targets, measured against the curated graph: mention recall >= 0.95 over the entity records whose quote
    names the entity, claim precision >= 0.6 (fact by fact, and whole claims), on the five sources."""
    ev = evaluate.evaluate(paths.project(ROOT), corpus_dir)
    assert len(ev.sources) == 5
    named, facts, whole = ev.total("named"), ev.total("facts"), ev.total("claims")
    assert named.gold > 300 and named.recall >= 0.95, evaluate.format_text(ev)
    assert facts.proposed > 100 and facts.precision >= 0.6, evaluate.format_text(ev)
    assert whole.precision >= 0.6, evaluate.format_text(ev)
    # over every entity record (many describe an event without naming it) the recall is lower; keep what was reached.
    # 0.68 before the issue-14 review; the review dropped aliases found in no source and re-quoted 153+68 entity
    # records, so the same rules find 310/472 = 0.657 of the reviewed records. (Speed is measured by `make bench`.)
    assert ev.total("mentions").recall >= 0.65, evaluate.format_text(ev)


def test_throughput_reports_its_measure(corpus_dir):
    result = evaluate.throughput(corpus_dir, megabytes=0.2, paths=paths.project(ROOT))
    assert result["mb"] >= 0.1 and result["seconds"] > 0 and result["mb_per_s"] > 0
    assert result["documents"] >= 5 and result["claims"] > 0


UNSEEN = ROOT / "tests" / "fixtures" / "unseen"


@pytest.fixture(scope="module")
def unseen() -> evaluate.UnseenEvaluation:
    return evaluate.evaluate_unseen(paths.project(ROOT), UNSEEN)


def test_unseen_scorer_counts_every_expectation(unseen):
    import yaml

    expected = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(UNSEEN.glob("*.expected.yaml"))]
    assert set(unseen.documents) == {e["document"] for e in expected}
    facts = sum(len(v) if isinstance(v, list) else 1 for e in expected for c in e["claims"] for v in c["facts"].values())
    assert unseen.total("all_facts").gold == facts
    assert unseen.total("new_all").gold == sum(len(e["new_entities"]) for e in expected)
    assert unseen.total("mentions").gold == sum(len(e["mentions"]) for e in expected)
    for part in evaluate.UNSEEN_PARTS:  # nothing is counted twice
        t = unseen.total(part)
        assert t.correct <= t.proposed and t.found <= t.gold, part


def test_unseen_scorer_matches_a_perfect_proposal():
    """A proposal equal to the expectation scores 1.0: the scorer's value comparison agrees with the format."""
    onto = evaluate.ontology_mod.load(ROOT / "ontology" / "rightsgraph.ttl")
    fig = onto.properties["prisonerCount"]
    assert evaluate._figure_meta_ok({"low": 1, "high": 2, "measure": "political-prisoners", "as_of": 2019},
                                    {"low": 1, "high": 2, "measure": "political-prisoners", "as_of": 2019}, fig, onto)
    assert not evaluate._figure_meta_ok({"low": 1, "high": 2}, {"low": 1, "high": 2, "measure": "political-prisoners",
                                                                 "as_of": 2019}, fig, onto)
    assert evaluate._figure_meta_ok({"value": 5, "as_of": 2021}, {"value": 5, "as_of": 2021}, fig, onto)


def test_unseen_report_has_every_table(unseen):
    text = evaluate.format_unseen(unseen, details=True)
    assert "New people, reports and organisations" in text and "overall" in text and "missed:" in text


def test_held_out_learns_nothing_from_the_source_it_scores(corpus_dir):
    collection = evaluate.claims_mod.load(paths.project(ROOT), evaluate.Corpus(corpus_dir))
    texts = {"a": "kwanliso 15 and yodok", "b": "camp 15"}
    some = next(e for e in collection.entities.values() if e.aliases)
    withheld = evaluate._withheld({some.id: some}, some.evidence.source, texts)
    assert some.id not in withheld  # the source's own entity records are not known when it is held out
    other = evaluate._withheld({some.id: some}, "elsewhere", {"elsewhere": evaluate.normalize_name(some.aliases[0])})
    assert other[some.id].aliases == some.aliases[1:] or some.aliases[0] not in other[some.id].aliases


def test_held_out_table_per_source_and_overall(corpus_dir):
    held = evaluate.evaluate_held_out(paths.project(ROOT), corpus_dir)
    assert len(held.evaluation.sources) == 5 and len(held.new) == 5
    text = evaluate.format_held_out(held)
    assert text.count("overall") == 4 and "New people, organisations and reports" in text
