"""Exports re-parse to what was built, and every fact in them carries its evidence."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from rightsgraph import paths
from rightsgraph.outputs import exports
from rightsgraph.store.embedded import from_ox
from rightsgraph.namespaces import PROVENANCE_GRAPH

from ..conftest import ROOT

#: The project the real store is built from.
P = paths.project(ROOT)

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
    assert doc["@context"] == exports.context(P)
    assert not any(isinstance(v, str) and v.endswith(".jsonld") for v in doc["@context"].values())


# -- one registry: the export command, the server and the pages offer exactly its formats ------------

def test_the_build_writes_every_registered_format_under_its_file_name(built):
    assert set(built.exports) == set(exports.FORMATS)
    for name, path in built.exports.items():
        assert path.name == exports.FORMATS[name].filename


def test_the_export_command_offers_exactly_the_registered_formats():
    import click

    from rightsgraph.cli.commands import export

    (option,) = [o for o in export.params if o.name == "fmt"]
    assert isinstance(option.type, click.Choice) and list(option.type.choices) == list(exports.FORMATS)


def test_the_server_negotiates_and_serves_exactly_the_registered_formats():
    from rightsgraph.web import server

    rdf_types = [t for t in server.LD_TYPES if t not in ("text/html", server.NTRIPLES)]
    assert rdf_types == [f.media_type for f in exports.FORMATS.values()]
    for f in exports.FORMATS.values():
        assert exports.by_suffix(f.suffix) is f and exports.by_media_type(f.media_type) is f


def test_the_home_page_links_exactly_the_registered_files(real_store):
    import re

    from rightsgraph.web import pages

    page = pages.home(real_store, lambda iri: iri, paths=P)
    assert re.findall(r'<a href="/exports/([^"]+)">', page) == [f.filename for f in exports.FORMATS.values()]


def test_the_void_description_lists_every_registered_file_as_a_dump(built):
    from rdflib import VOID

    from rightsgraph.web import server

    app = server.App.__new__(server.App)  # the description needs the store and settings, not the query workers
    app.settings = server.Settings(paths=P, store=built.store, exports=built.store.parent / "exports")
    from rightsgraph.store import embedded as store

    app.store = store.open(built.store)
    g = Graph().parse(data=app.void("http://127.0.0.1:8000"), format="turtle")
    dumps = {str(o) for o in g.objects(predicate=VOID.dataDump)}
    assert dumps == {f"http://127.0.0.1:8000/exports/{f.filename}" for f in exports.FORMATS.values()}


@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_one_writer_per_format_for_the_files_the_command_and_a_handful_of_quads(built, real_store, fmt):
    import io

    buf = io.BytesIO()
    exports.dump(real_store, fmt, buf, P)
    assert buf.getvalue() == built.exports[fmt].read_bytes()
    if fmt == "nanopub":  # a nanopublication is made of a claim graph and what the provenance graph says of it
        claim = next(g for g in real_store.named_graphs() if "/claim/" in g.value)
        some = [*real_store.quads_for_pattern(None, None, None, claim),
                *real_store.quads_for_pattern(claim, None, None, ox.NamedNode(str(PROVENANCE_GRAPH)))]
        from rightsgraph.outputs import nanopub

        (one,), _ = nanopub.split(ox.parse(exports.serialize(some, fmt, P), format=ox.RdfFormat.TRIG))
        assert {q.triple for q in one.part("assertion")} == {q.triple for q in some if q.graph_name == claim}
        assert nanopub.check(one).ok
        return
    some = list(real_store.quads_for_pattern(ox.NamedNode("https://w3id.org/rightsgraph/id/facility/kwanliso-15"), None, None))
    written = Dataset().parse(data=exports.serialize(some, fmt, P), format={"turtle": "turtle", "trig": "trig",
                                                                             "nquads": "nquads", "jsonld": "json-ld"}[fmt])
    assert {(s, p, o) for s, p, o, _ in written.quads()} == {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                                                              for q in some}


def test_an_unknown_format_is_a_usage_error(real_store, tmp_path):
    from rightsgraph.errors import UsageError

    with pytest.raises(UsageError, match="choose one of turtle, trig, nquads, jsonld"):
        exports.write(real_store, "rdfxml", tmp_path / "x.rdf", P)
