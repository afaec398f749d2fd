"""Every named query answers its competency question on the built graph (expectations in queries/expected.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from rightsgraph.model import quads as model
from rightsgraph.sparql import queries
from rightsgraph.claims import loader as claims
from rightsgraph import paths

EXPECTED = yaml.safe_load((Path(__file__).parent / "queries" / "expected.yaml").read_text(encoding="utf-8"))
NAMED = queries.named()


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
    return model.dataset(claims.load(paths.project(ROOT)))


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

    from .conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("mini-engines") / "mini", "mini")
    p = paths.project(root)
    report = build.build(p, Corpus(root / "corpus"))
    from rightsgraph.store import embedded as store

    return store.open(report.store), model.dataset(claims.load(p, Corpus(root / "corpus")))


@pytest.mark.parametrize("name", sorted(NAMED))
def test_rdflib_reference_on_the_fixture_project(mini_engines, name):
    ox_store, ds = mini_engines
    params = {"claims-by-source": {"source": "test-camp-report"}, "describe-entity": {"entity": "facility/camp-99"}}.get(name)
    ox_rows = sorted(queries.run(ox_store, NAMED[name], params).as_strings())
    assert sorted(queries.run(ds, NAMED[name], params).as_strings()) == ox_rows


def test_rdflib_api_over_the_on_disk_store_gives_the_same_rows(real_store, built):
    """oxrdflib puts rdflib's API over the pyoxigraph store: every named query gives the same rows."""
    from rightsgraph.store import embedded as store

    ds = store.as_rdflib(built.store)
    for name, q in NAMED.items():
        params = EXPECTED[name].get("params")
        assert sorted(queries.run(ds, q, params).as_strings()) == sorted(queries.run(real_store, q, params).as_strings()), name
