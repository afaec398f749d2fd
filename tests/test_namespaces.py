"""The namespaces module is the one place IRIs are written: it must agree with the ontology and the queries."""

import re

from rdflib import Graph

from rightsgraph import namespaces
from rightsgraph.sparql import queries
from rightsgraph.namespaces import PREFIXES, RG

from .conftest import ROOT

QUERIES = ROOT / "queries"


def test_rg_lists_exactly_the_ontology_terms():
    g = Graph().parse(ROOT / "ontology" / "rightsgraph.ttl")
    ns = str(RG._NS)
    in_ontology = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)}
    in_module = set(RG.__annotations__)
    assert in_ontology == in_module


def test_every_ontology_term_has_label_and_comment():
    from rdflib import OWL, RDF, RDFS

    g = Graph().parse(ROOT / "ontology" / "rightsgraph.ttl")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            assert g.value(term, RDFS.label) is not None, term
            assert g.value(term, RDFS.comment) is not None, term


def test_query_prefixes_agree_with_the_module():
    for name, q in queries.named(QUERIES).items():
        for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]+)>", q.text, re.MULTILINE):
            assert PREFIXES.get(prefix) == iri, f"{name}.rq: PREFIX {prefix}: <{iri}>"


def test_every_named_query_states_its_question():
    for name, q in queries.named(QUERIES).items():
        assert "?" in q.question, f"{name}.rq must start with a comment holding its question"


def test_context_prefixes_agree_with_the_module():
    from rightsgraph.outputs import exports

    ctx = exports.context()
    for prefix, iri in ctx.items():
        if isinstance(iri, str) and iri.startswith("http"):
            assert PREFIXES.get(prefix) == iri, prefix


def test_entity_iris_follow_the_pattern():
    assert str(namespaces.entity_iri("facility", "kwanliso-15")) == namespaces.BASE + "id/facility/kwanliso-15"
