"""SHACL over the graph built from the YAML (pySHACL), with every finding traced back to its file and line.

The checks that need the corpus (every quote is the source text at its offsets, every source's
sha256) are made while claims are loaded with a corpus (:func:`rightsgraph.claims.loader.load`); a
store built from a dump, too large for pySHACL, is checked by counting (:mod:`rightsgraph.validate.invariants`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import RDF, SH, Graph, URIRef

from rightsgraph.claims.records import Collection, Origin
from rightsgraph.errors import Problem
from rightsgraph.namespaces import SHAPES


def shapes_graph(path: Path) -> Graph:
    """Return the SHACL shapes graph at ``path`` (the project's ``ontology/shapes.ttl``)."""
    return Graph().parse(path, format="turtle")


@dataclass(frozen=True, order=True)
class Finding:
    """One SHACL violation: the focus node, the shape's name, its message, and the offending path and value."""

    focus: URIRef
    shape: str
    message: str
    path: URIRef | None = None
    value: object | None = None


def shacl(data: Graph, shapes: Graph, ontology: Graph) -> list[Finding]:
    """Run pySHACL; return a Finding for every violation.

    >>> from rightsgraph import paths
    >>> from rightsgraph.model import ontology
    >>> folder = paths.discover(".").ontology
    >>> g = Graph().parse(data='<urn:x> a <https://w3id.org/rightsgraph/ontology#Person> .', format="turtle")
    >>> [(str(f.focus), f.shape) for f in shacl(g, shapes_graph(folder / "shapes.ttl"),
    ...                                          ontology.load(folder / "rightsgraph.ttl").graph)]
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
        path = report.value(result, SH.resultPath)
        out.append(Finding(focus, name, message, path if isinstance(path, URIRef) else None,
                           report.value(result, SH.value)))
    return sorted(set(out), key=lambda f: (str(f.focus), f.shape, f.message, str(f.path), str(f.value)))


def locate(collection: Collection, findings: list[Finding], quads: list | None = None) -> list[Problem]:
    """Turn SHACL findings into problems at the file and line where the offending data was written.

    A finding on a value (focus, path, value) points at the claim that asserted that triple, at the
    line of its fact; otherwise at the record of the focus node (an entity, a claim graph, a source).
    """
    origins = collection.origin_of()
    asserted: dict[tuple, URIRef] = {}
    for s, p, o, g in quads or []:
        asserted.setdefault((s, p, o), g)
    by_graph = {c.iri: c for c in collection.claims}
    problems = []
    for f in findings:
        graph = asserted.get((f.focus, f.path, f.value)) if f.path is not None and f.value is not None else None
        claim = by_graph.get(graph) if graph is not None else None
        if claim is not None:
            line = next((fact.line for fact in claim.facts if fact.predicate.iri == f.path), claim.origin.line)
            problems.append(claim.origin.problem(f"{f.shape}: {f.message} ({f.focus})", line))
            continue
        base = URIRef(str(f.focus).split("#", 1)[0])
        origin = origins.get(f.focus) or origins.get(base) or Origin("graph", 0)
        problems.append(origin.problem(f"{f.shape}: {f.message} ({f.focus})"))
    return problems
