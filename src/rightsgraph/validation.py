"""Validation: SHACL over the built graph, with every finding traced back to its file and line.

The checks that need the corpus (every quote is the source text at its offsets, every source's
sha256) are made while claims are loaded with a corpus (:func:`rightsgraph.claims.load`).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import RDF, SH, Graph, URIRef

from .claims import Collection, Origin
from .errors import Problem
from .namespaces import SHAPES
from .paths import project


def shapes_graph(path: Path | None = None) -> Graph:
    """Return the SHACL shapes graph (``ontology/shapes.ttl``)."""
    return Graph().parse(path or project().ontology / "shapes.ttl", format="turtle")


def shacl(data: Graph, shapes: Graph, ontology: Graph) -> list[tuple[URIRef, str, str]]:
    """Run pySHACL; return (focus node, shape name, message) for every violation.

    >>> from rightsgraph import ontology
    >>> g = Graph().parse(data='<urn:x> a <https://w3id.org/rightsgraph/ontology#Person> .', format="turtle")
    >>> [(str(f), s) for f, s, m in shacl(g, shapes_graph(), ontology.load().graph)]
    [('urn:x', 'Entity-one-english-label')]
    """
    # the ontology is mixed in by hand: pySHACL only mixes ont_graph in when it also infers
    mixed = Graph()
    for triple in data:
        mixed.add(triple)
    for triple in ontology:
        mixed.add(triple)
    conforms, report, _ = pyshacl.validate(mixed, shacl_graph=shapes, inference="none",
                                           advanced=True, allow_warnings=False)
    out = []
    if conforms:
        return out
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        # property shapes are blank nodes: name the node shape that holds them
        holder = shapes.value(predicate=SH.property, object=shape) if shape is not None else None
        named = holder if isinstance(holder, URIRef) else shape
        name = str(named)[len(str(SHAPES)):] if str(named).startswith(str(SHAPES)) else str(named)
        message = str(report.value(result, SH.resultMessage) or "")
        out.append((focus, name, message))
    return sorted(set(out))


def locate(collection: Collection, results: list[tuple[URIRef, str, str]]) -> list[Problem]:
    """Turn SHACL results into problems at the file and line where the offending record was written."""
    origins = collection.origin_of()
    problems = []
    for focus, shape, message in results:
        base = URIRef(str(focus).split("#", 1)[0])
        origin = origins.get(focus) or origins.get(base) or Origin("graph", 0)
        problems.append(origin.problem(f"{shape}: {message} ({focus})"))
    return problems
