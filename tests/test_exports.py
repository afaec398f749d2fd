"""Exports re-parse to what was built, and every fact in them carries its evidence."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from rightsgraph.outputs import exports
from rightsgraph.store.embedded import from_ox
from rightsgraph.namespaces import PROVENANCE_GRAPH
from rightsgraph import paths

from .conftest import ROOT

PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
DC_ID = "http://purl.org/dc/terms/identifier"
EVIDENCE = "https://w3id.org/rightsgraph/ontology#evidence"
OA = "http://www.w3.org/ns/oa#"


def built_dataset(real_store) -> Dataset:
    ds = Dataset()
    ds.parse(data=real_store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return ds


def graphs_of(ds: Dataset) -> dict[str, Graph]:
    out = {}
    for g in ds.graphs():
        if len(g) and str(g.identifier) != "urn:x-rdflib:default":
            copy = Graph()
            for t in g:
                copy.add(t)
            out[str(g.identifier)] = copy
    return out


def test_nquads_every_fact_has_source_quote_and_offsets(built, real_store, corpus_dir):
    """Acceptance 3: every quad outside the provenance graph is in a claim graph with a manifest source and an exact quote."""
    manifest = yaml.safe_load((corpus_dir / "manifest.yaml").read_text(encoding="utf-8"))
    ids = {s["id"]: s["file"] for s in manifest["sources"]}
    texts = {i: (corpus_dir / f).read_text(encoding="utf-8") for i, f in ids.items()}
    ds = Dataset()
    ds.parse(built.exports["nquads"], format="nquads")
    prov = ds.graph(PROVENANCE_GRAPH)
    checked = set()
    quads = 0
    for s, p, o, g in ds.quads((None, None, None, None)):
        quads += 1
        gid = g.identifier if hasattr(g, "identifier") else g
        assert gid is not None and str(gid) != "urn:x-rdflib:default", f"quad in the default graph: {s} {p} {o}"
        if gid == PROVENANCE_GRAPH or gid in checked:
            continue
        src = prov.value(gid, URIRef(PROV_DERIVED))
        assert src is not None, f"{gid} has no source"
        ident = str(prov.value(src, URIRef(DC_ID)))
        assert ident in ids, f"{gid}: source {ident} is not in the manifest"
        ev = prov.value(gid, URIRef(EVIDENCE))
        selectors = list(prov.objects(ev, URIRef(OA + "hasSelector")))
        exact = next(str(prov.value(x, URIRef(OA + "exact"))) for x in selectors if prov.value(x, URIRef(OA + "exact")))
        start = next(int(prov.value(x, URIRef(OA + "start"))) for x in selectors if prov.value(x, URIRef(OA + "start")) is not None)
        end = next(int(prov.value(x, URIRef(OA + "end"))) for x in selectors if prov.value(x, URIRef(OA + "end")) is not None)
        assert texts[ident][start:end] == exact, f"{gid}: quote differs from the source at {start}:{end}"
        checked.add(gid)
    assert quads == built.quads
    assert len(checked) == built.claims


@pytest.mark.parametrize("fmt,rdflib_format", [("trig", "trig"), ("jsonld", "json-ld"), ("nquads", "nquads")])
def test_dataset_exports_reparse_with_rdflib_isomorphic(built, real_store, fmt, rdflib_format):
    original = graphs_of(built_dataset(real_store))
    again = Dataset()
    again.parse(built.exports[fmt], format=rdflib_format)
    reparsed = graphs_of(again)
    assert set(reparsed) == set(original)
    for name, g in original.items():
        assert isomorphic(g, reparsed[name]), name


@pytest.mark.parametrize("fmt,ox_format", [("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD),
                                            ("nquads", ox.RdfFormat.N_QUADS)])
def test_dataset_exports_reparse_with_pyoxigraph(built, real_store, fmt, ox_format):
    original = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in real_store}
    parsed = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
              for q in ox.parse(path=str(built.exports[fmt]), format=ox_format)}
    assert parsed == original  # no blank nodes in the model, so set equality is isomorphism


def test_turtle_export_is_the_union_of_all_graphs(built, real_store):
    union = Graph()
    for q in real_store:
        union.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    turtle = Graph().parse(built.exports["turtle"], format="turtle")
    assert isomorphic(union, turtle)
    again = {(str(t.subject), str(t.predicate), str(t.object)) for t in ox.parse(path=str(built.exports["turtle"]), format=ox.RdfFormat.TURTLE)}
    assert len(again) == len(union)


def test_jsonld_uses_the_project_context_and_no_remote_one(built):
    import json

    doc = json.loads(built.exports["jsonld"].read_text(encoding="utf-8"))
    assert doc["@context"] == exports.context(paths.project(ROOT))
    assert not any(isinstance(v, str) and v.endswith(".jsonld") for v in doc["@context"].values())
