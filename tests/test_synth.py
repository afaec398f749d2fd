"""Synthetic claims have exactly the project's data model: SHACL conforms, every claim graph has its
provenance, every named query answers, and the same seed gives the same bytes."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, URIRef

from rightsgraph.model import ontology
from rightsgraph.sparql import queries
import synth
from rightsgraph.validate import invariants
from rightsgraph.validate import shacl as validation
from rightsgraph.namespaces import OA, PROVENANCE_GRAPH, RG
from rightsgraph import paths

from .conftest import ROOT

NAMED = queries.named(paths.project(ROOT).queries)

from .conftest import ROOT

QUERIES = ROOT / "queries"


@pytest.fixture(scope="module")
def dump() -> tuple[str, synth.Summary]:
    buf = io.StringIO()
    summary = synth.generate(buf, 10_000, seed=1)
    return buf.getvalue(), summary


@pytest.fixture(scope="module")
def ox_store(dump) -> ox.Store:
    st = ox.Store()
    st.load(dump[0].encode(), format=ox.RdfFormat.N_QUADS)
    return st


@pytest.fixture(scope="module")
def rdflib_dataset(dump) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(data=dump[0], format="nquads")
    return ds


def test_size_is_the_target_within_a_few_percent(dump, ox_store):
    text, summary = dump
    assert summary.quads == text.count("\n") == len(ox_store)  # no duplicate quads
    assert abs(summary.quads - 10_000) / 10_000 < 0.03
    bigger = synth.generate(io.StringIO(), 30_000, seed=1)
    assert abs(bigger.quads - 30_000) / 30_000 < 0.01


def test_same_seed_same_bytes_other_seed_other_bytes(dump):
    assert synth.text(10_000, seed=1) == dump[0]
    assert synth.text(10_000, seed=2) != dump[0]


def test_dump_conforms_to_the_shapes(rdflib_dataset):
    union = Graph()
    for s, p, o, _ in rdflib_dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    findings = validation.shacl(union, validation.shapes_graph(ROOT / "ontology" / "shapes.ttl"),
                                ontology.load(ROOT / "ontology" / "rightsgraph.ttl").graph)
    assert findings == []


def test_every_claim_graph_has_its_provenance(ox_store, dump):
    claims, problems = invariants.check_claim_provenance(ox_store)
    assert problems == [] and claims == dump[1].claims
    graphs = {g.value for g in ox_store.named_graphs()} - {str(PROVENANCE_GRAPH)}
    described = {q.subject.value for q in ox_store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                       ox.NamedNode(str(RG.Claim)),
                                                                       ox.NamedNode(str(PROVENANCE_GRAPH)))}
    assert graphs == described and len(graphs) == dump[1].claims
    assert not queries.run(ox_store, NAMED["claims-without-evidence-violation"]).rows
    assert not queries.run(ox_store, NAMED["entities-without-claims-violation"]).rows


def _bind(q: queries.NamedQuery, summary: synth.Summary) -> dict[str, str]:
    return {name: summary.params[name] for name in q.params}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_answers_on_synthetic_data(ox_store, dump, name):
    q = NAMED[name]
    assert set(q.params) <= set(dump[1].params), f"{name} takes a parameter the generator does not provide"
    rows = queries.run(ox_store, q, _bind(q, dump[1])).rows
    if name.endswith("-violation"):
        assert rows == []
    else:
        assert rows, f"{name} returns no rows on synthetic data"


@pytest.mark.parametrize("name", ["two-hop-paths", "label-search", "events-in-date-order"])
def test_rdflib_gives_the_same_rows(ox_store, rdflib_dataset, dump, name):
    q = NAMED[name]
    params = _bind(q, dump[1])
    assert sorted(queries.run(rdflib_dataset, q, params).as_strings()) == sorted(queries.run(ox_store, q, params).as_strings())


def test_entities_of_every_class_and_only_ontology_terms(ox_store, dump):
    onto = ontology.load(ROOT / "ontology" / "rightsgraph.ttl")
    kinds = {"person", "org", "group", "facility", "place", "document", "event"}
    wanted = {str(c).rsplit("#", 1)[1] for c in onto.classes if onto.kind_of(c) in kinds}
    assert wanted <= set(dump[1].per_class)
    rg = str(RG._NS)
    used = {q.predicate.value for q in ox_store} | {q.object.value for q in ox_store
                                                   if q.predicate.value == str(RDF.type)}
    unknown = {t for t in used if t.startswith(rg) and t[len(rg):] not in RG.__annotations__}
    assert unknown == set()


def test_sources_disagree_on_the_same_facility(ox_store, dump):
    rows = queries.run(ox_store, NAMED["figures-sources-disagree-on"]).rows
    by_subject: dict[str, set[str]] = {}
    for row in rows:
        by_subject.setdefault(str(row[0]), set()).add(str(row[8]))
    facility = dump[1].params["entity"]
    assert len(by_subject.get(facility, ())) >= 2
    assert any("/facility/" in s and len(v) >= 2 for s, v in by_subject.items())


def test_literals_are_escaped(rdflib_dataset):
    quotes = [str(o) for o in rdflib_dataset.objects(None, URIRef(str(OA.exact)))]
    findings = [str(o) for o in rdflib_dataset.objects(None, URIRef(str(RG.finding)))]
    assert any("\n" in q for q in quotes) and any('"' in q for q in quotes)
    assert any("\\" in f for f in findings)
    assert any("ŏ" in str(o) for o in rdflib_dataset.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#altLabel")))


def test_methods_and_confidence(ox_store):
    rows = queries.run(ox_store, """PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        SELECT ?kind (COUNT(*) AS ?n) (MIN(?c) AS ?low) (MAX(?c) AS ?high) WHERE {
          ?claim prov:wasGeneratedBy ?m . ?m a ?kind . OPTIONAL { ?claim rg:confidence ?c }
          FILTER(?kind IN (rg:CurationActivity, rg:ExtractionRule)) } GROUP BY ?kind""", folder=QUERIES).rows
    kinds = {str(r[0]).rsplit("#", 1)[1]: r for r in rows}
    assert set(kinds) == {"CurationActivity", "ExtractionRule"}
    assert kinds["CurationActivity"][2] is None
    assert 0 < float(kinds["ExtractionRule"][2]) <= float(kinds["ExtractionRule"][3]) < 1
