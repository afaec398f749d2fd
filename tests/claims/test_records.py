"""The records of graph/ once read: their IRIs and where they were written."""

from rdflib import URIRef

from rightsgraph.claims.records import Collection, Evidence, Origin, SourceRecord, ref_iri
from rightsgraph.namespaces import RGV, entity_iri, source_iri


def test_entity_ids_and_violation_types_get_their_own_namespaces():
    assert ref_iri("facility/kwanliso-15") == entity_iri("facility", "kwanliso-15")
    assert ref_iri("violation/torture") == URIRef(str(RGV) + "torture")


def test_a_collection_maps_every_iri_to_its_file_and_line():
    src = SourceRecord("s1", "a.txt", "T", "P", "https://x.example/", "0" * 64, Origin("graph/sources.yaml", 3))
    col = Collection(sources={"s1": src}, entities={}, claims=[])
    assert col.origin_of() == {source_iri("s1"): Origin("graph/sources.yaml", 3)}
    assert col.anchors == {}
    assert str(Origin("graph/x.yaml", 7).problem("bad")) == "graph/x.yaml:7: bad"
    assert Evidence("s1", "a quote").occurrence == 1
