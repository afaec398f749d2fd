"""Releases: the real graph's public release is the internal store; internal use says so; the manifest."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF

from rightsgraph import paths
from rightsgraph.model import ontology
from rightsgraph.namespaces import OA, PROVENANCE_GRAPH, RG, RGM, RGV, claim_iri, entity_iri, source_iri
from rightsgraph.release import publish
from rightsgraph.store import embedded
from tests.conftest import ROOT


def test_real_graph_public_release_holds_exactly_the_internal_quads(built):
    rel = built.releases["public"]
    assert rel.withheld == {"claims": 0, "entities": 0, "sources": 0}
    internal = set(embedded.open(built.store))
    release = set(embedded.open(rel.store))
    assert len(internal) == len(release) == built.quads == rel.quads
    assert internal == release  # the release adds nothing: which audience it is for is in its manifest
    onto = ontology.load(ROOT / "ontology" / "rightsgraph.ttl")
    assert publish.leaks(embedded.open(rel.store), ROOT / "queries", onto.audiences["public"]) == []


def test_manifest_holds_the_sha256_of_every_export(built):
    rel = built.releases["public"]
    manifest = json.loads((rel.folder / "manifest.json").read_text())
    assert manifest["audience"] == "public" and manifest["withheld"]["claims"] == 0
    for fmt, entry in manifest["exports"].items():
        assert publish.sha256(rel.folder / entry["file"]) == entry["sha256"]
        assert publish.sha256(built.exports[fmt]) == entry["sha256"]  # build/exports is the public release's


def test_internal_audience_opens_the_internal_store_and_says_so(built_testimony, capsys):
    root, report = built_testimony
    store = publish.open(paths.project(root), "internal")
    assert len(store) == report.quads
    assert "INTERNAL store" in capsys.readouterr().err
    assert len(publish.open(paths.project(root))) < report.quads


def _problems(store, root) -> dict[str, set[str]]:
    onto = ontology.load(root / "ontology" / "rightsgraph.ttl")
    out: dict[str, set[str]] = {}
    for thing, problem in publish.leaks(store, root / "queries", onto.audiences["public"]):
        out.setdefault(problem.split(" ")[0] + " " + problem.split(" ")[1], set()).add(thing)
    return out


def test_leak_query_finds_every_kind_of_leak_planted_in_a_release(built_testimony, tmp_path):
    """The leak query on a copy of the public release with one leak of each kind planted: each is found,
    and unlabelled terms that are not entities (violation and measure terms, sources) are not reported."""
    root, report = built_testimony
    copy = tmp_path / "store"
    shutil.copytree(report.releases["public"].store, copy)
    store = ox.Store(str(copy))
    assert _problems(store, root) == {}
    prov = ox.NamedNode(str(PROVENANCE_GRAPH))
    claim = next(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                            ox.NamedNode(str(RG.Claim)), prov))
    fact_graph = claim
    nobody = ox.NamedNode(str(entity_iri("person", "nobody-recorded")))
    also_nobody = ox.NamedNode(str(entity_iri("place", "nowhere-recorded")))
    orphan = ox.NamedNode(str(claim_iri("no-such-source", "orphan")))
    stray_selector = ox.NamedNode(str(claim_iri("no-such-source", "stray")) + "#selector")
    store.extend([
        # facts that point at an entity with no record, and speak about another one
        ox.Quad(fact_graph, ox.NamedNode(str(RG.heldAt)), nobody, fact_graph),
        ox.Quad(also_nobody, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RG.Place)), fact_graph),
        # an unlabelled violation term, measure term and source: not entities, not reported
        ox.Quad(fact_graph, ox.NamedNode(str(RG.violation)), ox.NamedNode(str(RGV["planted-term"])), fact_graph),
        ox.Quad(fact_graph, ox.NamedNode(str(RG.measure)), ox.NamedNode(str(RGM["planted-measure"])), fact_graph),
        ox.Quad(claim, ox.NamedNode(str(PROV.wasDerivedFrom)), ox.NamedNode(str(source_iri("planted"))), prov),
        # facts in a graph with no claim record, and a quote with no claim
        ox.Quad(orphan, ox.NamedNode(str(RG.heldAt)), fact_graph, orphan),
        ox.Quad(stray_selector, ox.NamedNode(str(OA.exact)), ox.Literal("a stray quote"), prov),
        # a claim whose access level the public does not see
        ox.Quad(claim, ox.NamedNode(str(RG.accessLevel)), ox.NamedNode(str(RG.Restricted)), prov),
    ])
    found = _problems(store, root)
    assert found == {
        "an entity": {nobody.value, also_nobody.value},
        "a graph": {orphan.value},
        "a quote": {stray_selector.value},
        "access level": {claim.value},
    }
