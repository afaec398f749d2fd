"""Records into quads: each claim in its own named graph, its provenance in the provenance graph."""

from __future__ import annotations

from rdflib import RDF

from rightsgraph.claims import loader
from rightsgraph.model import ontology, quads
from rightsgraph.namespaces import PROVENANCE_GRAPH, RG
from rightsgraph.sources.corpus import Corpus


def test_every_claim_gets_a_graph_of_its_facts_and_its_provenance(mini):
    from rightsgraph import paths

    p = paths.project(mini)
    onto = ontology.load(p.ontology / "rightsgraph.ttl")
    col = loader.load(p, Corpus(mini / "corpus"), onto)
    qs = list(quads.quads(col, onto))
    graphs = {g for *_, g in qs}
    for c in col.claims:
        assert c.iri in graphs
        assert (c.iri, RDF.type, RG.Claim, PROVENANCE_GRAPH) in qs
    ds = quads.dataset(col, onto)
    assert sum(1 for _ in ds.quads((None, None, None, None))) == len(set(qs))
