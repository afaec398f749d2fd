"""Evidence rules on the curated data: numbers copied from their quotes, no facts from boilerplate, enough claims."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

QUERIES = ROOT / "queries"
from rightsgraph.claims import loader as claims
from rightsgraph.claims import coverage
from rightsgraph import paths
from rightsgraph.sparql import queries
from rightsgraph.claims.records import Figure
from rightsgraph.sources.corpus import Corpus

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ADVERBS = {"once": 1, "twice": 2, "thrice": 3}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def numbers_in(text: str) -> set[float]:
    """Every number a passage states, in digits ("46,500", "0,25") or words ("Seventy-seven", "1 to 2 million").

    >>> {0.25, 1, 2, 77, 1_000_000, 2_000_000} <= numbers_in("1 to 2 million, twice, Seventy-seven and 0,25 km")
    True
    """
    low = text.lower()
    found: set[float] = set()
    for m in re.finditer(r"\d[\d,. ]*\d|\d", low):
        raw = m.group().strip()
        for cand in {raw.replace(",", ""), raw.replace(" ", "").replace(",", ""), raw.replace(",", ".")}:
            try:
                found.add(float(cand))
            except ValueError:
                pass
    for word, n in {**_UNITS, **_ADVERBS}.items():
        if re.search(rf"\b{word}\b", low):
            found.add(n)
    for tens, t in _TENS.items():
        for m in re.finditer(rf"\b{tens}(?:-(\w+))?\b", low):
            found.add(t + _UNITS.get(m.group(1) or "", 0))
    for word, scale in _SCALES.items():
        if word in low:
            found |= {n * scale for n in list(found)}
    return found


@pytest.fixture(scope="module")
def collection():
    return claims.load(paths.project(ROOT))


def test_every_number_is_copied_from_its_quote(collection):
    wrong = []
    for c in collection.claims:
        stated = numbers_in(c.evidence.quote)
        for fact in c.facts:
            v = fact.value
            nums = [x for x in (v.value, v.low, v.high) if x is not None] if isinstance(v, Figure) else (
                [v] if fact.predicate.value in ("integer", "decimal") else [])
            wrong += [f"{c.origin.file}:{fact.line}: {fact.predicate.name}={n}" for n in nums
                      if float(n.toPython()) not in stated]
    assert wrong == []


def test_no_fact_rests_on_the_sources_quirks(collection, corpus_dir):
    """The PHP error lines, the 'Dec 31, 1969' placeholder and the donation appeal are not evidence."""
    corpus = Corpus(corpus_dir)
    quirks = {"site error message", "placeholder date", "donation appeal", "navigation"}
    offending = []
    for source in collection.sources.values():
        spans = [(u.start, u.end) for u in coverage.units(corpus.text(source)) if u.boilerplate in quirks]
        for c in collection.claims:
            if c.evidence.source == source.id:
                if any(s < c.evidence.end and e > c.evidence.start for s, e in spans):
                    offending.append(f"{c.origin.file}:{c.evidence.quote_line}")
    assert offending == []


def test_placeholder_date_never_becomes_a_date(collection):
    assert not [c for c in collection.claims for f in c.facts if "1969" in str(f.value)]


def test_graph_size_and_every_source_well_covered(real_store):
    totals = dict(zip(*(lambda r: (r.vars, r.as_strings()[0]))(queries.run(real_store, "stats-totals", folder=QUERIES))))
    assert int(totals["entities"]) >= 250 and int(totals["claims"]) >= 900
    per_source = {row[0]: int(row[2]) for row in queries.run(real_store, "stats-claims-per-source", folder=QUERIES).as_strings()}
    assert len(per_source) == 5 and min(per_source.values()) >= 60, per_source
