"""Data-driven tests of the SHACL shapes (``ontology/shapes.ttl``), in the style of GeoSPARQL's examples.

``tests/shapes/<Shape>-valid.ttl`` conforms to every shape; ``tests/shapes/<Shape>-invalid-NN.ttl`` is
that graph with one deliberate violation of ``<Shape>``, and of no other shape, so that a failure
points at its shape. ``<Shape>`` is the local name of a node shape of ``rgsh:``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import RDF, SH, Graph, URIRef

from rightsgraph.model import ontology
from rightsgraph.validate import shacl as validation
from rightsgraph.namespaces import SHAPES

from ..conftest import ROOT

EXAMPLES = Path(__file__).resolve().parents[1] / "shapes"
NAME = re.compile(r"^(?P<shape>.+?)-(?:valid|invalid-(?P<number>\d{2}))\.ttl$")

VALID = sorted(EXAMPLES.glob("*-valid.ttl"))
INVALID = sorted(EXAMPLES.glob("*-invalid-*.ttl"))


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return validation.shapes_graph(ROOT / "ontology" / "shapes.ttl")


@lru_cache(maxsize=1)
def onto() -> Graph:
    return ontology.load(ROOT / "ontology" / "rightsgraph.ttl").graph


def shape_of(path: Path) -> str:
    """The node shape an example file is about: its name before ``-valid`` or ``-invalid-NN``."""
    match = NAME.match(path.name)
    assert match, f"{path.name}: name it <Shape>-valid.ttl or <Shape>-invalid-NN.ttl"
    return match["shape"]


def node_shapes() -> set[str]:
    """Local names of the named node shapes of shapes.ttl."""
    g = shapes()
    return {str(s)[len(str(SHAPES)):] for s in g.subjects(RDF.type, SH.NodeShape)
            if isinstance(s, URIRef) and str(s).startswith(str(SHAPES))}


def violations(path: Path) -> list[validation.Finding]:
    data = Graph().parse(path, format="turtle")
    return validation.shacl(data, shapes(), onto())


def show(results: list[validation.Finding]) -> str:
    return "\n".join(f"  {r.shape}: {r.message} ({r.focus})" for r in results)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_conforms(path):
    results = violations(path)
    assert not results, f"{path.name} should conform to every shape, but:\n{show(results)}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_violates_only_its_shape(path):
    shape = shape_of(path)
    results = violations(path)
    assert results, f"{path.name} should violate {shape}, but conforms"
    others = [r for r in results if r.shape != shape]
    assert not others, f"{path.name} should violate only {shape}, but also:\n{show(others)}"


@pytest.mark.parametrize("path", VALID + INVALID, ids=lambda p: p.name)
def test_example_says_what_it_shows(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 10, f"{path.name}: start with a comment saying what it shows"


def test_there_are_examples():
    assert VALID and INVALID


def test_every_node_shape_has_a_valid_and_an_invalid_example():
    names = node_shapes()
    assert names
    with_valid = {shape_of(p) for p in VALID}
    with_invalid = {shape_of(p) for p in INVALID}
    assert names - with_valid == set(), "node shapes without a -valid.ttl example"
    assert names - with_invalid == set(), "node shapes without an -invalid-NN.ttl example"


def test_every_example_is_about_a_node_shape():
    names = node_shapes()
    for path in sorted(EXAMPLES.glob("*.ttl")):
        assert shape_of(path) in names, f"{path.name}: no node shape rgsh:{shape_of(path)}"


def test_every_shape_has_a_message():
    """Every node shape and every property shape has an sh:message."""
    g = shapes()
    for prop in g.objects(None, SH.property):
        holder = g.value(predicate=SH.property, object=prop)
        assert g.value(prop, SH.message) is not None, \
            f"a property shape of {holder} on {g.value(prop, SH.path)} has no sh:message"
    for node in g.subjects(RDF.type, SH.NodeShape):
        assert g.value(node, SH.message) is not None, f"{node} has no sh:message"
