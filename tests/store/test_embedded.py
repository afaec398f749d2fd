"""The embedded store: terms go in and come out unchanged, a store is written once, opened read-only by many."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDFS, XSD, BNode, Literal, URIRef

from rightsgraph.errors import RightsgraphError
from rightsgraph.sparql import results
from rightsgraph.store import embedded as store

TERMS = [URIRef("urn:a"), Literal("plain"), Literal("Yodok", lang="en"), Literal(15),
         Literal("1999", datatype=XSD.gYear), BNode("b1")]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_terms_round_trip_through_pyoxigraph(term):
    assert results.from_ox(store.to_ox(term)) == term


def test_to_ox_refuses_what_is_not_a_term():
    with pytest.raises(TypeError):
        store.to_ox("urn:a")


def test_write_open_and_read_back(tmp_path):
    g = URIRef("urn:g")
    quads = [(URIRef("urn:s"), RDFS.label, Literal("Camp 15"), g), (URIRef("urn:s"), URIRef("urn:p"), Literal(3), g)]
    assert store.write(tmp_path / "s", quads) == 2
    with pytest.raises(RightsgraphError, match="already exists"):
        store.write(tmp_path / "s", quads)
    first, second = store.open(tmp_path / "s"), store.open(tmp_path / "s")  # read-only: several readers share it
    assert len(first) == len(second) == 2
    assert store.folder(first) == tmp_path / "s"
    assert store.folder(ox.Store()) is None
    assert {results.from_ox(q.object) for q in first} == {Literal("Camp 15"), Literal(3)}


def test_open_a_missing_store_says_to_build(tmp_path):
    with pytest.raises(RightsgraphError, match="rightsgraph build"):
        store.open(tmp_path / "nowhere")


def test_as_rdflib_shows_the_union_of_the_graphs(tmp_path):
    store.write(tmp_path / "s", [(URIRef("urn:s"), RDFS.label, Literal("Camp 15"), URIRef("urn:g1")),
                                 (URIRef("urn:s"), RDFS.label, Literal("Yodok"), URIRef("urn:g2"))])
    ds = store.as_rdflib(store.open(tmp_path / "s"))
    assert {str(o) for o in ds.objects(URIRef("urn:s"), RDFS.label)} == {"Camp 15", "Yodok"}
    with pytest.raises(TypeError, match="release.open"):
        store.as_rdflib(tmp_path / "s")  # a path could be the internal store: a release is opened first


def test_from_ox_still_answers_here_until_its_callers_move():
    assert store.from_ox is results.from_ox
