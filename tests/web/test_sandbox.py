"""The endpoint's query runner: content negotiation, the W3C result formats, the row cap, and the timeout."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

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


def test_a_runner_answers_and_stops_a_query_past_its_timeout(tmp_path):
    path = tmp_path / "store"
    s = ox.Store(str(path))
    s.extend(QUADS)
    s.flush()
    del s
    runner = sandbox.Runner(str(path), workers=1, timeout=20)
    try:
        answer = runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json")
        assert json.loads(answer.body)["results"]["bindings"][0]["n"]["value"] == "5"
        runner.timeout = 0.5
        explosive = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
        with pytest.raises(sandbox.QueryTimeout):
            runner.run(explosive, None)
    finally:
        runner.close()


def test_the_memory_cap_counts_from_the_opened_store_so_a_small_cap_still_starts(tmp_path):
    # The store's own threads reserve 450-620 MB of address space before any query; a cap on the whole
    # address space from the start made the worker abort while opening the store (seen at 768 MB under load).
    path = tmp_path / "store"
    s = ox.Store(str(path))
    s.extend(QUADS)
    s.flush()
    del s
    runner = sandbox.Runner(str(path), workers=1, timeout=20, max_memory_mb=64)
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
