"""The ontology and the named queries ship inside the package as byte-for-byte copies of ontology/ and queries/
(the source of truth; `make package-data` refreshes the copies)."""

from __future__ import annotations

from rightsgraph.paths import SHIPPED

from .conftest import ROOT


def test_the_shipped_ontology_equals_the_ontology_folder():
    for name in ("rightsgraph.ttl", "shapes.ttl", "context.jsonld"):
        assert (SHIPPED / "ontology" / name).read_bytes() == (ROOT / "ontology" / name).read_bytes(), \
            f"{name} differs from ontology/: run `make package-data`"


def test_the_shipped_queries_equal_the_queries_folder():
    ours = {p.name: p.read_bytes() for p in (ROOT / "queries").glob("*.rq")}
    shipped = {p.name: p.read_bytes() for p in (SHIPPED / "queries").glob("*.rq")}
    assert sorted(shipped) == sorted(ours), "run `make package-data`"
    assert [n for n in ours if ours[n] != shipped[n]] == [], "run `make package-data`"
