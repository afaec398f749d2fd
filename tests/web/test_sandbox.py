"""The endpoint's query runner: content negotiation, the W3C result formats, the row cap, and the timeout."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as hs

from rightsgraph.web import sandbox

QUADS = [ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)), ox.NamedNode("urn:g"))
         for i in range(5)]


@pytest.fixture
def st() -> ox.Store:
    s = ox.Store()
    s.extend(QUADS)
    return s


def job(query: str, accept: str | None = None, max_rows: int = 100) -> dict:
    return {"query": query, "accept": accept, "max_rows": max_rows}


def test_negotiation_prefers_the_highest_quality():
    assert sandbox.negotiate(None, sandbox.SOLUTION_TYPES) == "application/sparql-results+json"
    assert sandbox.negotiate("text/*;q=0.9, application/sparql-results+xml;q=0.5", sandbox.SOLUTION_TYPES) == "text/csv"
    assert sandbox.negotiate("image/png", sandbox.SOLUTION_TYPES) is None


@pytest.mark.parametrize("accept", sandbox.SOLUTION_TYPES)
def test_rows_in_every_format_read_back(st, accept):
    answer = sandbox.execute(st, job("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", accept))
    assert answer.status == 200 and answer.content_type == accept and not answer.truncated
    if accept == "text/csv":
        assert answer.body.splitlines()[:2] == [b"s,o", b"urn:s0,0"]
        return
    fmt = {"text/tab-separated-values": ox.QueryResultsFormat.TSV,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML}.get(accept, ox.QueryResultsFormat.JSON)
    rows = [(sol["s"], sol["o"]) for sol in ox.parse_query_results(answer.body, fmt)]
    assert rows == [(q.subject, q.object) for q in QUADS]


def test_rows_past_the_cap_are_cut_and_flagged(st):
    answer = sandbox.execute(st, job("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", max_rows=3))
    assert answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 3


def test_yes_no_and_graph_answers(st):
    answer = sandbox.execute(st, job("ASK { ?s ?p ?o }", "application/sparql-results+xml"))
    assert answer.status == 200 and b"<boolean>true</boolean>" in answer.body
    answer = sandbox.execute(st, job("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", max_rows=2))
    assert answer.status == 200 and answer.truncated and answer.body.count(b"\n") == 2


def test_refusals(st):
    assert sandbox.execute(st, job("SELECT * WHERE {", None)).status == 400
    assert sandbox.execute(st, job("SELECT * WHERE { ?s ?p ?o }", "image/png")).status == 406
    assert sandbox.execute(st, job("ASK { ?s ?p ?o }", "text/turtle")).status == 406
    assert sandbox.execute(st, job("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")).status == 406


@pytest.fixture
def on_disk(tmp_path) -> str:
    """A store of :data:`QUADS` on disk, closed, for query workers to open."""
    path = tmp_path / "store"
    s = ox.Store(str(path))
    s.extend(QUADS)
    s.flush()
    del s
    return str(path)


def test_a_runner_answers_and_stops_a_query_past_its_timeout(on_disk):
    runner = sandbox.Runner(on_disk, workers=1, timeout=20)
    try:
        answer = runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json")
        assert json.loads(answer.body)["results"]["bindings"][0]["n"]["value"] == "5"
        runner.timeout = 0.5
        explosive = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
        with pytest.raises(sandbox.QueryTimeout):
            runner.run(explosive, None)
    finally:
        runner.close()


def test_the_memory_cap_counts_from_the_opened_store_so_a_small_cap_still_starts(on_disk):
    # The store's own threads reserve 450-620 MB of address space before any query; a cap on the whole
    # address space from the start made the worker abort while opening the store (seen at 768 MB under load).
    runner = sandbox.Runner(on_disk, workers=1, timeout=20, max_memory_mb=64)
    try:
        answer = runner.run("ASK { ?s ?p ?o }", "application/sparql-results+json")
        assert answer.status == 200 and json.loads(answer.body)["boolean"] is True
        # 5^9 rows, sorted: some hundreds of MB, past the 64 MB a query may take
        big = ("SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(9)) + " } ORDER BY "
               + " ".join(f"?o{i}" for i in range(9)))
        answer = runner.run(big, None)
        assert answer.status == 503 and b"64 MB" in answer.body
        assert runner.run("ASK { ?s ?p ?o }", None).status == 200
    finally:
        runner.close()


# -- the lookups the server answers itself ---------------------------------------------------------

#: Fragments for each slot of a lookup-shaped text: valid ones and hostile ones (SERVICE, escapes,
#: comments, a second pattern, modifiers, FROM), so that the grammar is tried on its edges.
_SLOTS = {
    "prefix": ["", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ", "PREFIX : <http://a/> ",
               "PREFIX s: <http://127.0.0.1:9/x> ", "# SERVICE <http://127.0.0.1:9/>\n", "BASE <http://a/> "],
    "project": ["*", "?s", "?o", "$s ?o", "?s ?p ?o", "DISTINCT ?s", "(COUNT(*) AS ?n)", "?s\n"],
    "where": ["WHERE ", "", "where ", "FROM <http://127.0.0.1:9/> WHERE ", "FROM NAMED <http://a/> "],
    "s": ["?s", "$s", "<http://a/b>", ":b", "<http://a/b#c>", "?o", "SERVICE <http://127.0.0.1:9/x> { ?s", "\\u003Chttp://a/>"],
    "p": ["?p", "a", "rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>", "?s", "rdfs:label/rdfs:label",
          "^rdfs:label", "rdfs:label*"],
    "o": ["?o", '"Camp 15"', '"Camp 15"@en', '"15"^^<http://www.w3.org/2001/XMLSchema#integer>', "<http://a/c>",
          '"a\\" } SERVICE <http://127.0.0.1:9/> { ?x ?y ?z"', "?s", "?p", "'single'", "15", ":c",
          "?o . ?s ?p ?o2", "?o FILTER(?o)", "?o } UNION { ?s ?p ?o", "?o . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }"],
    "dot": ["", " .", "."],
    "tail": ["", " LIMIT 5", " ORDER BY ?o", " OFFSET 3", " LIMIT 5 OFFSET 3", " GROUP BY ?s", "} SERVICE <http://127.0.0.1:9/> {",
             " # }", " VALUES ?s { <http://a/b> }"],
}


def _shape(query: str) -> list[str]:
    """The names of rdflib's algebra nodes of ``query`` (a real SPARQL 1.1 parser), and its triple count."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from rightsgraph.web.server import _walk

    algebra = translateQuery(parseQuery(query)).algebra
    names = [n.name for n in _walk(algebra) if hasattr(n, "name") and isinstance(getattr(n, "name"), str)]
    triples = sum(len(n["triples"]) for n in _walk(algebra) if getattr(n, "name", None) == "BGP")
    return names + [f"triples={triples}"]


#: How many of each slot's fragments (from the front) are valid in a lookup.
_VALID = {"prefix": 3, "project": 5, "where": 3, "s": 5, "p": 4, "o": 5, "dot": 3, "tail": 2}
#: A lookup-shaped text: valid fragments in every slot, then up to two slots given any fragment.
_DRAWN = hs.tuples(hs.fixed_dictionaries({k: hs.sampled_from(v[:_VALID[k]]) for k, v in _SLOTS.items()}),
                   hs.lists(hs.sampled_from([(k, f) for k, v in _SLOTS.items() for f in v]), max_size=2))


@settings(max_examples=400, deadline=None)
@given(_DRAWN)
def test_what_the_lookup_grammar_accepts_is_one_triple_pattern_and_nothing_else(drawn):
    parts = {**drawn[0], **dict(drawn[1])}
    query = (f"{parts['prefix']}SELECT {parts['project']} {parts['where']}{{ {parts['s']} {parts['p']} {parts['o']}"
             f"{parts['dot']} }}{parts['tail']}")
    if not sandbox.is_lookup(query):
        event("refused")
        return
    try:
        shape = _shape(query)
    except Exception:  # noqa: BLE001 - e.g. a prefix it does not declare: the store refuses it as well (400)
        with pytest.raises(SyntaxError):
            ox.Store().query(query)
        event("accepted, and refused by both parsers")
        return
    event("accepted")
    # ... whose algebra is a projection (perhaps sliced) of one basic graph pattern of one triple
    assert set(shape[:-1]) <= {"SelectQuery", "Project", "BGP", "Slice"}, (query, shape)
    assert shape[-1] == "triples=1", (query, shape)
    assert "DISTINCT" not in query.upper() and "OFFSET" not in query.upper() and "SERVICE" not in query.upper()


def test_a_lookup_answered_here_gives_up_past_its_rows_and_the_same_answer_below_them(st):
    lookup = "SELECT ?s ?o WHERE { ?s <urn:p> ?o }"
    assert sandbox.is_lookup(lookup)
    assert sandbox.execute(st, job(lookup, None), most=4) is None  # 5 rows: handed on
    here = sandbox.execute(st, job(lookup, None), most=5)
    assert here is not None and here.body == sandbox.execute(st, job(lookup, None)).body


@pytest.mark.parametrize("query, lookup", [
    ("SELECT ?l WHERE { <https://w3id.org/rightsgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> ?l }", True),
    ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> select * { ?s rdfs:label "Camp 15"@en . } LIMIT 5', True),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o", False),
    ("SELECT * WHERE { ?x ?p ?x }", False),           # a repeated variable filters the scan
    ("SELECT ?s WHERE { ?s ?p ?o } # comment", False),
    ('SELECT ?s WHERE { ?s ?p "a\\"" }', False),       # no escapes at all
    ("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", False),
    ("SELECT ?s WHERE { ?s ?p ?o } OFFSET 5", False),
    ("SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", False),
])
def test_lookup_examples(query, lookup):
    assert sandbox.is_lookup(query) is lookup
