"""Audits: a reproducible sample of claims with their context, and the tally of a filled-in file."""

from __future__ import annotations

import html
import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsgraph import paths
from rightsgraph.claims import audit
from rightsgraph.claims import loader as claims
from rightsgraph.errors import UsageError
from rightsgraph.sources.corpus import Corpus

from ..conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def real():
    return claims.load(paths.project(ROOT))


def test_the_same_seed_draws_the_same_claims_in_the_same_order(real):
    first = [str(c.iri) for c in audit.draw(real, 100, 2026)]
    again = [str(c.iri) for c in audit.draw(real, 100, 2026)]
    other = [str(c.iri) for c in audit.draw(real, 100, 2027)]
    assert first == again and len(set(first)) == 100 and first != other


def test_the_draw_does_not_depend_on_the_order_of_the_records(real):
    shuffled = type(real)(sources=real.sources, entities=real.entities, claims=list(reversed(real.claims)))
    assert [c.iri for c in audit.draw(shuffled, 30, 7)] == [c.iri for c in audit.draw(real, 30, 7)]


def test_source_and_predicate_filters(real):
    hrw = audit.draw(real, 20, 1, source="hrw-world-report-2019-north-korea")
    assert {c.source for c in hrw} == {"hrw-world-report-2019-north-korea"}
    counts = audit.draw(real, 10, 1, predicate="prisonerCount")
    assert all(any(f.predicate.name == "prisonerCount" for f in c.facts) for c in counts)
    assert len(audit.draw(real, 10_000, 1, predicate="prisonerCount")) < 10_000  # all of them, no more
    with pytest.raises(UsageError):
        audit.draw(real, 5, 1, source="no-such-source")


def test_items_show_the_quote_inside_its_source_text(mini):
    collection = claims.load(paths.project(mini), Corpus(mini / "corpus"))
    corpus = Corpus(mini / "corpus")
    sheet = audit.items(audit.draw(collection, 50, 3), collection, corpus)
    text = corpus.text(next(iter(collection.sources.values())))
    for it in sheet:
        assert text[it.start:it.end] == it.quote
        assert it.before == text[max(0, it.start - audit.CONTEXT):it.start]
        assert it.after == text[it.end:it.end + audit.CONTEXT]
        assert it.facts and (it.review == "curated" or it.review.startswith("reviewed by"))


def test_cli_writes_the_sheet_and_the_file_to_fill_in(mini, tmp_path):
    out = tmp_path / "a" / "audit.html"
    done = run_cli("--root", str(mini), "audit", "--sample", "4", "--seed", "5", "--corpus", str(mini / "corpus"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    doc = yaml.safe_load((tmp_path / "a" / "audit.yaml").read_text(encoding="utf-8"))
    assert doc["audit"]["seed"] == 5 and doc["audit"]["command"] == "rightsgraph audit --sample 4 --seed 5"
    assert len(doc["claims"]) == 4 and all(c["verdict"] == "" and c["note"] == "" for c in doc["claims"])
    for entry in doc["claims"]:
        assert f"<mark>{html.escape(entry['quote'], quote=True)}</mark>" in page
    assert page.count('type="radio"') == 12 and page.count("<textarea") == 4


def test_the_sheet_escapes_what_it_shows(tmp_path):
    item = audit.Item(number=1, claim="urn:c", key="k", source="s", file="f.yaml", line=1, subject="<b>x</b>",
                      facts=["finding: <script>alert(1)</script>"], quote="a < b & c", before="<i>", after="</i>")
    page = audit.write_html(tmp_path / "a.html", [item], audit.meta(1, 1, None, None, 1)).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<mark>a &lt; b &amp; c</mark>" in page and "&lt;i&gt;" in page


def test_tally_of_a_hand_made_file(tmp_path):
    f = tmp_path / "filled.yaml"
    verdicts = ["right"] * 95 + ["minor problem"] * 3 + ["Minor"] + ["wrong"] + [""] * 2
    f.write_text(yaml.safe_dump({"auditor": "auditor-x", "claims": [{"n": i + 1, "verdict": v, "note": ""}
                                                                   for i, v in enumerate(verdicts)]}), encoding="utf-8")
    t = audit.tally(f)
    assert t.counts == {"right": 95, "minor": 4, "wrong": 1} and t.unfilled == [101, 102] and t.judged == 100
    k, rate, low, high = t.rate("wrong")
    assert (k, rate) == (1, 0.01)
    # Wilson, by hand: p = 0.01, n = 100, z = 1.96
    z, n, p = audit.Z95, 100, 0.01
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert low == pytest.approx(centre - half) and high == pytest.approx(centre + half)
    assert round(low, 4) == 0.0018 and round(high, 4) == 0.0545
    assert t.rate("minor", "wrong")[:2] == (5, 0.05)
    done = run_cli("audit-tally", str(f))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "100 claims judged by auditor-x; 2 without a verdict (left out): 101, 102" in out
    assert "fully right                      95   95.0%" in out


def test_tally_rejects_an_unknown_verdict(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("claims:\n  - {n: 1, verdict: maybe}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="claim 1: verdict 'maybe'"):
        audit.tally(f)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=500))
def test_property_the_wilson_interval_holds_the_observed_rate(k, n):
    k = min(k, n)
    low, high = audit.wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
