"""The provenance invariants of a store, checked by counting: for stores built from a dump, too large for pySHACL.

Each invariant is a query shipped in the package, ``invariants/<name>.rq``, whose first line says
the rule; when a count is off, ``invariants/faults/<name>.rq`` names the claims at fault. The
per-claim rules are each read off one predicate's index without joins (a few ms per million quads)
and run side by side on a thread pool when one is given (pyoxigraph lets go of the GIL while it
evaluates).
"""

from __future__ import annotations

from importlib import resources

import pyoxigraph as ox
from rdflib import PROV, RDF

from rightsgraph.namespaces import PROVENANCE_GRAPH, RG, sparql_prologue

#: The rules every claim graph's description keeps, in the order problems are reported. The
#: description conforms when each count has one statement per claim (``@per-claim`` in the file
#: says otherwise), one distinct subject per claim and, where the file counts them, one distinct
#: object per statement.
PER_CLAIM = ("claim", "source", "evidence", "method", "certainty", "access", "evidence-source", "selector",
             "quote", "start", "end")
_FOLDER = resources.files(__package__).joinpath("invariants")


def text(name: str) -> str:
    """The file ``invariants/<name>.rq`` (``faults/<name>`` for a lookup of the claims at fault), as written."""
    return _FOLDER.joinpath(f"{name}.rq").read_text(encoding="utf-8")


def query(name: str) -> str:
    """The query ``invariants/<name>.rq`` behind the one prologue of :mod:`rightsgraph.namespaces`."""
    return sparql_prologue() + text(name)


def rule(name: str) -> str:
    """The rule an invariant checks: the first line of its file.

    >>> rule("source")
    'Every claim graph is derived from exactly one source (prov:wasDerivedFrom).'
    """
    return text(name).splitlines()[0].lstrip("#").strip()


def _per_claim(name: str) -> int:
    """How many statements each claim has of this rule (``# @per-claim N`` in its file; 1 if not said)."""
    for line in text(name).splitlines():
        if line.startswith("# @per-claim"):
            return int(line.split()[-1])
    return 1


def _says(name: str) -> str:
    """The rule as the end of a sentence about one claim graph: 'is derived from exactly one source (...)'."""
    return rule(name).removeprefix("Every claim graph ").rstrip(".")


def per_claim_counts(store: ox.Store, pool=None) -> dict[str, tuple[int, int, int | None]]:
    """For each rule of :data:`PER_CLAIM`, (statements, distinct subjects, distinct objects or None if not counted)."""
    def count(name):
        solutions = store.query(query(name))
        names = [v.value for v in solutions.variables]
        row = next(iter(solutions))
        return name, (int(row["n"].value), int(row["d"].value), int(row["e"].value) if "e" in names else None)

    return dict(pool.map(count, PER_CLAIM) if pool is not None else map(count, PER_CLAIM))


def check_claim_provenance(store: ox.Store, pool=None) -> tuple[int, list[str]]:
    """Check the provenance invariants of every claim graph in a pyoxigraph store: (claims, what is wrong).

    Counted, not compared (a few seconds per ten million quads, on two threads when ``pool`` is
    given): every named graph but the provenance graph is a described claim and every described
    claim has a graph; each claim has one source, evidence passage, method, certainty, access
    level, quote, and offsets with start < end; evidence and claims name the same sources, as
    often; every source and method is declared. When a count is off, the claims at fault are
    looked up and named.
    """
    scalar = lambda name: int(next(iter(store.query(query(name))))["n"].value)  # noqa: E731
    ask = lambda name: bool(store.query(query(name)))  # noqa: E731
    jobs = {
        "named-graphs": lambda: scalar("named-graphs"),
        "graphs-or-claims": lambda: scalar("graphs-or-claims"),
        "empty-quote": lambda: ask("empty-quote"),
        "offsets": lambda: ask("offsets"),
        "uses": lambda: [(row["k"].value, row["o"].value, int(row["n"].value)) for row in store.query(query("uses"))],
    }
    if pool is not None:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        counts = per_claim_counts(store, pool)
        done = {name: f.result() for name, f in futures.items()}
    else:
        counts = per_claim_counts(store)
        done = {name: job() for name, job in jobs.items()}
    claims = counts.get("claim", (0, 0, None))[1]
    problems: list[str] = []
    graphs = done["named-graphs"] - (1 if store.contains_named_graph(ox.NamedNode(str(PROVENANCE_GRAPH))) else 0)
    either = done["graphs-or-claims"] - (1 if graphs != done["named-graphs"] else 0)
    if not graphs == claims == either:
        for row in store.query(query("faults/undescribed-graphs")):
            problems.append(f"<{row['g'].value}>: a named graph with no description in the provenance graph "
                            "(a fact without evidence)")
        for row in store.query(query("faults/claims-without-graph")):
            problems.append(f"<{row['c'].value}>: described as a claim but its graph holds no facts")
    for name in PER_CLAIM[1:]:
        per, says, key = _per_claim(name), _says(name), name.replace("-", " ")
        n, d, e = counts.get(name, (0, 0, None))
        if n == claims * per and d == claims and (e is None or e == claims * per):
            continue
        found = [f"<{row['c'].value}>: a claim graph that does not have what it needs: it {says} "
                 f"(found {row['n'].value})" for row in store.query(query(f"faults/{name}"))]
        problems.extend(found or [f"{n} {key} statements for {claims} claims: every claim graph {says}, "
                                  "and no two share one"])
    if done["empty-quote"]:
        problems.append("a claim's quote (oa:exact) is empty")
    if done["offsets"]:
        problems.extend(f"<{row['c'].value}>: its quote's offsets are not integers with start < end"
                        for row in store.query(query("faults/offsets")))
    # sources and methods are declared; evidence and claims point into the same sources, as often
    used = {(k, o): n for k, o, n in done["uses"]}
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
