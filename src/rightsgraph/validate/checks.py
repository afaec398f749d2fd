"""Validation: SHACL over the built graph, with every finding traced back to its file and line.

The checks that need the corpus (every quote is the source text at its offsets, every source's
sha256) are made while claims are loaded with a corpus (:func:`rightsgraph.claims.loader.load`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import PROV, RDF, SH, Graph, URIRef

from rightsgraph.claims.records import Collection, Origin
from rightsgraph.errors import Problem
from rightsgraph.namespaces import RG, SHAPES
from rightsgraph.paths import project


def shapes_graph(path: Path | None = None) -> Graph:
    """Return the SHACL shapes graph (``ontology/shapes.ttl``)."""
    return Graph().parse(path or project().ontology / "shapes.ttl", format="turtle")


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

    >>> from rightsgraph import ontology
    >>> g = Graph().parse(data='<urn:x> a <https://w3id.org/rightsgraph/ontology#Person> .', format="turtle")
    >>> [(str(f.focus), f.shape) for f in shacl(g, shapes_graph(), ontology.load().graph)]
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


# --------------------------------------------------------------------------------------------
# The provenance invariants, checked on a store by counting (for dumps too large for pySHACL)
# --------------------------------------------------------------------------------------------

_CERTAINTIES = ", ".join(f"rg:{c}" for c in ("Reported", "Alleged", "Estimated", "Confirmed", "Denied"))

#: What every claim graph's description holds, as (key, what it says, SPARQL pattern binding ?c and ?o).
#: The dump conforms when each pattern has one solution per claim, one distinct ?c per claim and one
#: distinct ?o per claim where that is asked (``selector``: two per claim). Single patterns only: a
#: count over one predicate is read off the index without joins (a few ms per million quads).
INVARIANTS: list[tuple[str, str, str]] = [
    ("claim", "is described as an rg:Claim", "?c a rg:Claim"),
    ("source", "is derived from exactly one source (prov:wasDerivedFrom)", "?c prov:wasDerivedFrom ?o"),
    ("evidence", "has exactly one evidence passage of its own (rg:evidence)", "?c rg:evidence ?o"),
    ("method", "says how it was obtained, once (prov:wasGeneratedBy)", "?c prov:wasGeneratedBy ?o"),
    ("certainty", "has one certainty among reported, alleged, estimated, confirmed, denied",
     f"?c rg:certainty ?o VALUES ?o {{ {_CERTAINTIES.replace(',', '')} }}"),
    ("access", "has one access level, public, partners or restricted",
     "?c rg:accessLevel ?o VALUES ?o { rg:Public rg:Partners rg:Restricted }"),
    ("evidence source", "has evidence pointing into one source (oa:hasSource)", "?c oa:hasSource ?o"),
    ("selector", "has evidence with a quote selector and a position selector (oa:hasSelector)", "?c oa:hasSelector ?o"),
    ("quote", "has one quote (oa:exact)", "?c oa:exact ?o"),
    ("start", "has one start offset (oa:start)", "?c oa:start ?o"),
    ("end", "has one end offset (oa:end)", "?c oa:end ?o"),
]
_PER_CLAIM = {"selector": 2}
_DISTINCT_OBJECTS = {"evidence", "selector"}


def _prologue() -> str:
    from rightsgraph.namespaces import PREFIXES

    return "".join(f"PREFIX {k}: <{PREFIXES[k]}>\n" for k in ("rg", "prov", "oa", "xsd", "rdf"))


def _count_query(key: str, pattern: str) -> str:
    """The counting query of one invariant: solutions, distinct claims, distinct objects."""
    from rightsgraph.namespaces import PROVENANCE_GRAPH

    distinct_o = "(COUNT(DISTINCT ?o) AS ?e)" if key in _DISTINCT_OBJECTS else "(0 AS ?e)"
    return (_prologue() + f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?c) AS ?d) {distinct_o} "
            f"WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ {pattern} }} }}")


def provenance_counts(store, pool=None) -> dict[str, tuple[int, int, int]]:
    """For each invariant, (solutions, distinct ?c, distinct ?o or 0) in the provenance graph.

    One query per invariant: each is read off one predicate's index, and they run side by side
    when ``pool`` (a thread pool; pyoxigraph lets go of the GIL while it evaluates) is given.
    """
    def count(item):
        key, _, pattern = item
        row = next(iter(store.query(_count_query(key, pattern))))
        return key, (int(row["n"].value), int(row["d"].value), int(row["e"].value))

    return dict(pool.map(count, INVARIANTS) if pool is not None else map(count, INVARIANTS))


def check_store(store, pool=None) -> tuple[int, list[str]]:
    """Check the provenance invariants of every claim graph in a pyoxigraph store: (claims, what is wrong).

    Counted, not compared (a few seconds per ten million quads, on two threads when ``pool`` is
    given): every named graph but the provenance graph is a described claim and every described
    claim has a graph; each claim has one source, evidence passage, method, certainty, access
    level, quote, and offsets with start < end; evidence and claims name the same sources, as
    often; every source and method is declared. When a count is off, the claims at fault are
    looked up and named.
    """
    import pyoxigraph as ox

    from rightsgraph.namespaces import PROVENANCE_GRAPH

    prov = f"<{PROVENANCE_GRAPH}>"
    ask = lambda text: bool(store.query(_prologue() + text))  # noqa: E731
    scalar = lambda text: int(next(iter(store.query(_prologue() + text)))["n"].value)  # noqa: E731
    jobs = {
        "graphs": lambda: scalar("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { } }"),
        # the named graphs and the described claims are the same set when their union is no larger than either
        "either": lambda: scalar(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {{ GRAPH ?g {{ }} }} "
                                 f"UNION {{ GRAPH {prov} {{ ?g a rg:Claim }} }} }}"),
        "empty quote": lambda: ask(f'ASK {{ GRAPH {prov} {{ ?q oa:exact "" }} }}'),
        "bad offsets": lambda: ask(f"ASK {{ GRAPH {prov} {{ ?p oa:start ?a ; oa:end ?b FILTER(!(?a < ?b) "
                                   "|| DATATYPE(?a) != xsd:integer || DATATYPE(?b) != xsd:integer) } }"),
        "used": lambda: [(row["k"].value, row["o"].value, int(row["n"].value)) for row in store.query(
            _prologue() + f"SELECT ?k ?o (COUNT(*) AS ?n) WHERE {{ GRAPH {prov} {{ "
            '{ ?c prov:wasDerivedFrom ?o BIND("source" AS ?k) } UNION '
            '{ ?c prov:wasGeneratedBy ?o BIND("method" AS ?k) } UNION '
            '{ ?e oa:hasSource ?o BIND("evidence" AS ?k) } } } GROUP BY ?k ?o')],
    }
    if pool is not None:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        counts = provenance_counts(store, pool)
        done = {name: f.result() for name, f in futures.items()}
    else:
        counts = provenance_counts(store)
        done = {name: job() for name, job in jobs.items()}
    claims = counts.get("claim", (0, 0, 0))[1]
    problems: list[str] = []
    graphs = done["graphs"] - (1 if store.contains_named_graph(ox.NamedNode(str(PROVENANCE_GRAPH))) else 0)
    either = done["either"] - (1 if graphs != done["graphs"] else 0)
    if not graphs == claims == either:
        rows = store.query(_prologue() + f"SELECT ?g WHERE {{ GRAPH ?g {{ }} FILTER(?g != {prov}) "
                           f"FILTER NOT EXISTS {{ GRAPH {prov} {{ ?g a rg:Claim }} }} }} LIMIT 10")
        for row in rows:
            problems.append(f"<{row['g'].value}>: a named graph with no description in the provenance graph "
                            "(a fact without evidence)")
        rows = store.query(_prologue() + f"SELECT ?c WHERE {{ GRAPH {prov} {{ ?c a rg:Claim }} "
                           "FILTER NOT EXISTS { GRAPH ?c { } } } LIMIT 10")
        for row in rows:
            problems.append(f"<{row['c'].value}>: described as a claim but its graph holds no facts")
    for key, says, pattern in INVARIANTS[1:]:
        per = _PER_CLAIM.get(key, 1)
        n, d, e = counts.get(key, (0, 0, 0))
        if n == claims * per and d == claims and (key not in _DISTINCT_OBJECTS or e == claims * per):
            continue
        rows = store.query(_prologue() + f"SELECT ?c (COUNT(?o) AS ?n) WHERE {{ GRAPH {prov} {{ ?c a rg:Claim . "
                           f"OPTIONAL {{ {_subject_pattern(key, pattern)} }} }} }} GROUP BY ?c "
                           f"HAVING (COUNT(?o) != {per}) LIMIT 10")
        found = [f"<{row['c'].value}>: a claim graph that does not have what it needs: it {says} "
                 f"(found {row['n'].value})" for row in rows]
        problems.extend(found or [f"{n} {key} statements for {claims} claims: every claim graph {says}, "
                                  "and no two share one"])
    if done["empty quote"]:
        problems.append("a claim's quote (oa:exact) is empty")
    if done["bad offsets"]:
        rows = store.query(_prologue() + f"SELECT ?c WHERE {{ GRAPH {prov} {{ ?c rg:evidence ?e . ?e oa:hasSelector ?p . "
                           "?p oa:start ?a ; oa:end ?b FILTER(!(?a < ?b) || DATATYPE(?a) != xsd:integer "
                           "|| DATATYPE(?b) != xsd:integer) } } LIMIT 10")
        problems.extend(f"<{row['c'].value}>: its quote's offsets are not integers with start < end" for row in rows)
    # sources and methods are declared; evidence and claims point into the same sources, as often
    used = {(k, o): n for k, o, n in done["used"]}
    declared = {"source": (str(RG.Source), "source record"),
                "method": (str(PROV.Activity), "activity (curation or an extraction rule)")}
    rdf_type = ox.NamedNode(str(RDF.type))
    for (key, iri), n in sorted(used.items()):
        if key in declared and ox.Quad(ox.NamedNode(iri), rdf_type, ox.NamedNode(declared[key][0]),
                                                     ox.NamedNode(str(PROVENANCE_GRAPH))) not in store:
            problems.append(f"<{iri}>: used by {n} claims but not declared as a {declared[key][1]}")
        if key == "source" and used.get(("evidence", iri), 0) != n:
            problems.append(f"<{iri}>: {n} claims are derived from it but {used.get(('evidence', iri), 0)} "
                            "evidence passages point into it")
    return claims, problems


def _subject_pattern(key: str, pattern: str) -> str:
    """The invariant's pattern rewritten to start from the claim (evidence and selectors hang off it)."""
    if key in ("evidence source", "selector"):
        return "?c rg:evidence ?e . " + pattern.replace("?c ", "?e ", 1)
    if key == "quote":
        return "?c rg:evidence ?e . ?e oa:hasSelector ?q . " + pattern.replace("?c ", "?q ", 1)
    if key in ("start", "end"):
        return "?c rg:evidence ?e . ?e oa:hasSelector ?q . " + pattern.replace("?c ", "?q ", 1)
    return pattern
