"""The label index: written from the store or from N-Quads alike, read back, and searched by folded names."""

from __future__ import annotations

from rdflib import RDFS, SKOS, Literal, URIRef

from rightsgraph.namespaces import entity_iri
from rightsgraph.store import embedded as store
from rightsgraph.store import labels

CAMP = entity_iri("facility", "kwanliso-15")
TOWN = entity_iri("place", "hoeryong")
QUADS = [(CAMP, RDFS.label, Literal("Yodok political prison camp"), URIRef("urn:g1")),
         (CAMP, SKOS.altLabel, Literal('Camp 15 "Yodok"\ttab'), URIRef("urn:g1")),
         (CAMP, SKOS.altLabel, Literal("Kwan-li-so No. 15", lang="en"), URIRef("urn:g2")),
         (TOWN, RDFS.label, Literal("Hoeryong"), URIRef("urn:g2")),
         (URIRef("urn:not-an-entity"), RDFS.label, Literal("Elsewhere"), URIRef("urn:g2"))]


def nquads(path, quads):
    lines = [f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} ." for s, p, o, g in quads]
    path.write_text("\n".join(lines).replace('"Camp 15 \\"Yodok\\"\ttab"', '"Camp 15 \\"Yodok\\"\\ttab"') + "\n",
                    encoding="utf-8")
    return path


def test_names_of_the_entities_only(tmp_path):
    store.write(tmp_path / "s", QUADS)
    found = labels.names(store.open(tmp_path / "s"))
    assert (str(CAMP), "Yodok political prison camp", True) in found
    assert (str(TOWN), "Hoeryong", True) in found
    assert not any(iri == "urn:not-an-entity" for iri, _, _ in found) and len(found) == 4


def test_the_index_from_the_store_and_from_nquads_is_the_same(tmp_path):
    store.write(tmp_path / "s", QUADS)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from_store = labels.LabelIndex.load(labels.write(store.open(tmp_path / "s"), tmp_path / "a"))
    from_file = labels.LabelIndex.load(labels.write_from_nquads(nquads(tmp_path / "d.nq", QUADS), tmp_path / "b"))
    assert sorted(from_store.exact) == sorted(from_file.exact) and from_store.labels == from_file.labels
    assert [h.iri for h in from_store.search("kwan li so no 15")] == [str(CAMP)]
    assert [h.matched for h in from_file.search('camp 15 "yodok"')] == ['Camp 15 "Yodok"\ttab']
    assert list((tmp_path / "a").iterdir()) == [tmp_path / "a" / labels.INDEX_FILE]  # no temporary file left


def test_search_by_part_of_a_name_and_the_cache(tmp_path):
    store.write(tmp_path / "s", QUADS)
    labels.write(store.open(tmp_path / "s"), tmp_path / "s")
    index = labels.for_store(tmp_path / "s")
    assert index is labels.for_store(tmp_path / "s")  # read once
    assert [h.label for h in index.search("ryong")] == ["Hoeryong"]
    assert index.search("") == [] and index.search("atlantis") == []
    assert labels.for_store(tmp_path / "nowhere") is None


def test_of_store_builds_the_index_of_a_store_without_one():
    """A store with no index file beside it (in memory) gets its index from the names query, folded the same."""
    import pyoxigraph as ox

    store = ox.Store()
    camp = ox.NamedNode("https://w3id.org/rightsgraph/id/facility/kwanliso-15")
    g = ox.NamedNode("https://w3id.org/rightsgraph/claim/test/a")
    store.add(ox.Quad(camp, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Yodok political prison camp"), g))
    store.add(ox.Quad(camp, ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"), ox.Literal("Kwan-li-so No. 15"), g))
    index = labels.of_store(store)
    assert sorted(index.pairs()) == [(camp.value, "Kwan-li-so No. 15"), (camp.value, "Yodok political prison camp")]
    assert [h.label for h in index.search("kwan li so no 15")] == ["Yodok political prison camp"]
