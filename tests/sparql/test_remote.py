"""A real oxigraph server on 127.0.0.1: push the graph, then every named query answers as locally."""

from __future__ import annotations

import json

import pytest

from rightsgraph.sparql import queries
from rightsgraph.sparql import remote
from rightsgraph.errors import EndpointError

from ..conftest import ROOT, free_port, run_cli

QUERIES = ROOT / "queries"

pytestmark = pytest.mark.server


def normalized(result: queries.Result) -> list[tuple]:
    return sorted(result.as_strings())


@pytest.mark.parametrize("method", ["gsp", "update", "dataset"])
def test_push_then_every_named_query_matches_local(built, real_store, oxigraph_server, method):
    endpoint = f"{oxigraph_server}/update" if method == "update" else f"{oxigraph_server}/store"
    sent = remote.push(real_store, endpoint, method=method)
    assert sent == len(list(real_store.named_graphs()))
    count = queries.run(f"{oxigraph_server}/query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                        folder=QUERIES)
    assert int(count.rows[0][0]) == built.quads
    for name, q in queries.named(QUERIES).items():
        local = queries.run(real_store, q)
        there = queries.run(f"{oxigraph_server}/query", q)
        assert there.vars == local.vars, name
        assert normalized(there) == normalized(local), name


def test_cli_push_and_query_through_endpoint(built, oxigraph_server):
    push = run_cli("push", "--store", str(built.store), "--endpoint", f"{oxigraph_server}/store")
    assert push.returncode == 0, push.stderr
    local = run_cli("query", "coi-members", "--store", str(built.store), "--format", "json")
    there = run_cli("query", "coi-members", "--endpoint", f"{oxigraph_server}/query", "--format", "json")
    assert local.returncode == there.returncode == 0, there.stderr
    rows = lambda out: sorted(json.dumps(b, sort_keys=True) for b in json.loads(out)["results"]["bindings"])  # noqa: E731
    assert rows(there.stdout) == rows(local.stdout) and rows(local.stdout)
    params = ["--param", "source=hrw-world-report-2019-north-korea", "--format", "csv"]
    local = run_cli("query", "claims-by-source", "--store", str(built.store), *params)
    there = run_cli("query", "claims-by-source", "--endpoint", f"{oxigraph_server}/query", *params)
    assert sorted(local.stdout.splitlines()) == sorted(there.stdout.splitlines())
    assert len(local.stdout.splitlines()) > 60


def test_unreachable_endpoint_is_a_one_line_error():
    port = free_port()  # nothing listens there
    with pytest.raises(EndpointError, match=f"127.0.0.1:{port}"):
        queries.run(f"http://127.0.0.1:{port}/query", "coi-members", timeout=3, folder=QUERIES)
    out = run_cli("query", "coi-members", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3")
    assert out.returncode == 3
    assert out.stderr.strip().count("\n") == 0 and out.stderr.startswith("Error: SPARQL endpoint")


def test_push_to_unreachable_store_exits_3(built):
    out = run_cli("push", "--store", str(built.store), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert out.returncode == 3 and "cannot be reached" in out.stderr
