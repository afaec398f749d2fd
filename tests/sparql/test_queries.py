"""Every named query answers its competency question on the built graph (expectations in queries/expected.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT
from rightsgraph.model import ontology
from rightsgraph.model import quads as model
from rightsgraph.sparql import queries
from rightsgraph.claims import loader as claims
from rightsgraph import paths
from rightsgraph.model import ontology

EXPECTED = yaml.safe_load((Path(__file__).resolve().parents[1] / "queries" / "expected.yaml").read_text(encoding="utf-8"))
NAMED = queries.named(ROOT / "queries")


def test_every_named_query_has_expectations():
    assert set(EXPECTED) == set(NAMED)
    assert len(NAMED) >= 12


def _rows(result: queries.Result) -> list[dict]:
    return [dict(zip(result.vars, row)) for row in result.as_strings()]


def check(result: queries.Result, spec: dict) -> None:
    rows = _rows(result)
    if "rows" in spec:
        assert len(rows) == spec["rows"], rows[:5]
    if "min_rows" in spec:
        assert len(rows) >= spec["min_rows"]
    for want in spec.get("contains", []):
        want = {k: str(v) for k, v in want.items()}
        assert any(all(r.get(k) == v for k, v in want.items()) for r in rows), f"no row with {want}"
    if "sorted_by" in spec:
        col = spec["sorted_by"]
        values = [r[col] for r in rows]
        key = (lambda v: int(v)) if all(v.isdigit() for v in values) else str
        assert values == sorted(values, key=key)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_query_on_pyoxigraph(real_store, name):
    spec = EXPECTED[name]
    check(queries.run(real_store, NAMED[name], spec.get("params")), spec)


@pytest.fixture(scope="session")
def rdflib_dataset():
    p = paths.project(ROOT)
    onto = ontology.load(p.ontology / "rightsgraph.ttl")
    return model.dataset(claims.load(p, None, onto), onto)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_rdflib_reference_gives_the_same_rows(real_store, rdflib_dataset, name):
    """rdflib's in-memory Dataset (default graph = union) is the reference: same rows as pyoxigraph."""
    spec = EXPECTED[name]
    if spec.get("rdflib_slow"):
        pytest.skip(f"compared on the fixture project only: {spec['rdflib_slow']}")
    ox_rows = sorted(queries.run(real_store, NAMED[name], spec.get("params")).as_strings())
    rdf_rows = sorted(queries.run(rdflib_dataset, NAMED[name], spec.get("params")).as_strings())
    assert rdf_rows == ox_rows


@pytest.fixture(scope="module")
def mini_engines(tmp_path_factory):
    """The fixture project built into pyoxigraph, and the same data in rdflib."""
    from rightsgraph.store import build
    from rightsgraph.sources.corpus import Corpus

    from ..conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("mini-engines") / "mini", "mini")
    p = paths.project(root)
    report = build.build(p, Corpus(root / "corpus"))
    from rightsgraph.store import embedded as store

    onto = ontology.load(p.ontology / "rightsgraph.ttl")
    return store.open(report.store), model.dataset(claims.load(p, Corpus(root / "corpus"), onto), onto)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_rdflib_reference_on_the_fixture_project(mini_engines, name):
    ox_store, ds = mini_engines
    params = {"claims-by-source": {"source": "test-camp-report"}, "describe-entity": {"entity": "facility/camp-99"}}.get(name)
    ox_rows = sorted(queries.run(ox_store, NAMED[name], params).as_strings())
    assert sorted(queries.run(ds, NAMED[name], params).as_strings()) == ox_rows


def test_rdflib_api_over_the_on_disk_store_gives_the_same_rows(real_store, built):
    """oxrdflib puts rdflib's API over the public release (the same quads as the internal store for this
    graph): every named query gives the same rows."""
    from rightsgraph.store import embedded as store

    ds = store.as_rdflib(store.open(built.releases["public"].store))
    for name, q in NAMED.items():
        params = EXPECTED[name].get("params")
        assert sorted(queries.run(ds, q, params).as_strings()) == sorted(queries.run(real_store, q, params).as_strings()), name


# --------------------------------------------------------------------------------------------
# Issue 14: every figure has a measure and a date (or a reason it has none); claims filter by review status
# --------------------------------------------------------------------------------------------

FIGURE_CHECKS = ("figures-without-measure-violation", "figures-without-date-violation")


def test_the_figure_checks_are_named_violation_queries():
    """They run on the built graph with every named query; expected.yaml wants no row from them."""
    import re

    from rightsgraph.namespaces import PREFIXES

    assert not list(paths.project(ROOT).queries.glob("*.pending"))
    for name in FIGURE_CHECKS:
        q = NAMED[name]
        assert "?" in q.question and "(must be none)" in q.question
        assert EXPECTED[name] == {"rows": 0}
        for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]+)>", q.text, re.MULTILINE):
            assert PREFIXES.get(prefix) == iri, f"{name}: PREFIX {prefix}: <{iri}>"


def test_the_figure_checks_on_a_fixture(tmp_path):
    """Figures without a measure, and figures with neither a date (their own or their claim's) nor a reason."""
    from rightsgraph.sources.corpus import Corpus
    from rightsgraph.store import build
    from rightsgraph.store import embedded as store

    from ..conftest import copy_project

    root = copy_project(tmp_path / "mini", "mini")
    f = root / "graph" / "claims" / "report.yaml"
    text = f.read_text(encoding="utf-8")
    # camp 99: 20,000 prisoners (the default measure) with no date; 35,000 dated 2010 by itself; a share
    # and a plain figure with no measure, dated 2014 by their claim. Jane Doe: a count of `other` with
    # no date, and a number of detainees undated with a reason.
    text = text.replace("facilityNumber: 99",
                        "facilityNumber: 99\n      share: {value: 10, unit: percent}\n"
                        "      figure: {value: 7, unit: guard posts}")
    text = text.replace("locatedIn: place/test-province", "locatedIn: place/test-province\n    as_of: 2014")
    text = text.replace("      endDate: 2003", "      endDate: 2003\n      campCount: {value: 1, measure: other}\n"
                        "      peopleCount: {value: 300, measure: detainees, undated: the source gives no date}")
    f.write_text(text, encoding="utf-8")
    p = paths.project(root)
    report = build.build(p, Corpus(root / "corpus"))
    st = store.open(report.store)
    named = queries.named(p.queries)

    def found(name: str) -> list[tuple[str, str]]:
        rows = queries.run(st, named[name]).as_strings()
        return sorted((subject.rsplit("/", 1)[1], predicate.rsplit("#", 1)[1]) for _, _, subject, predicate, _ in rows)

    assert found("figures-without-measure-violation") == [("camp-99", "figure"), ("camp-99", "share")]
    assert found("figures-without-date-violation") == [("camp-99", "prisonerCount"), ("jane-doe", "campCount")]
    ds = model.dataset(claims.load(p, Corpus(root / "corpus")), ontology.load(p.ontology / "rightsgraph.ttl"))
    for name in FIGURE_CHECKS:  # the rdflib reference agrees
        assert sorted(queries.run(ds, named[name]).as_strings()) == sorted(queries.run(st, named[name]).as_strings())


def test_claims_by_source_filters_by_review_status(real_store):
    """status=curated and status=reviewed split the rows of status=any between them, by the claim's status."""
    q = NAMED["claims-by-source"]
    rows = {}
    for status in ("any", "curated", "reviewed"):
        result = queries.run(real_store, q, {"source": "wikipedia-human-rights-in-north-korea", "status": status})
        rows[status] = [dict(zip(result.vars, r)) for r in result.as_strings()]
    assert rows["reviewed"]  # curated may be empty once every claim of the source is reviewed (issue 14)
    assert {r["reviewStatus"] for r in rows["curated"]} <= {"curated"}
    assert {r["reviewStatus"] for r in rows["reviewed"]} == {"reviewed"}
    assert all(r["reviewedBy"] == "" for r in rows["curated"]) and all(r["reviewedBy"] for r in rows["reviewed"])
    assert len(rows["curated"]) + len(rows["reviewed"]) == len(rows["any"])


def test_with_values_writes_the_term_into_the_patterns_and_a_values_block():
    from rdflib import URIRef

    text = queries.with_values("SELECT ?e ?n WHERE { ?e <urn:p> ?n }", {"e": URIRef("urn:x")})
    assert text == "SELECT ?e ?n WHERE {\nVALUES (?e) { (<urn:x>) }\n <urn:x> <urn:p> ?n }"


def test_with_values_leaves_projections_aliases_and_groupings_alone():
    from rdflib import Literal

    text = queries.with_values("select ?s (count(?o) as ?n) where { ?s <urn:p> ?o } group by ?s order by ?s",
                               {"s": Literal('x" } #')})
    assert text.startswith("select ?s (count(?o) as ?n) where {\nVALUES (?s) { (\"x\\\" } #\") }\n")
    assert "group by ?s order by ?s" in text and ' "x\\" } #" <urn:p> ?o ' in text


def test_an_inline_query_is_told_from_a_name():
    inline = queries.resolve("ask { ?s ?p ?o }", ROOT / "queries").text
    assert inline.endswith("\nask { ?s ?p ?o }") and "PREFIX rdfs:" in inline  # with the project's prefixes
    with pytest.raises(Exception, match="no named query 'asked'"):
        queries.resolve("asked", ROOT / "queries")


def test_result_is_still_importable_from_queries():
    from rightsgraph.sparql import results

    assert queries.Result is results.Result
