"""A real Virtuoso (Debian's virtuoso-opensource 7) on 127.0.0.1: push the graph, then every named query through
`rightsgraph query NAME --endpoint`, compared with the embedded store's rows (same conversion of terms).

Each difference is an xfail (strict, so a fix is noticed, except where Virtuoso is not wrong on every run) naming
Virtuoso's behaviour, with a minimal query.
"""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from rdflib import Literal

from rightsgraph.sparql import queries, remote
from rightsgraph.sparql.results import from_json_binding

from ..conftest import ROOT, free_port, run_cli

QUERIES = ROOT / "queries"
NAMES = sorted(queries.named(QUERIES))

pytestmark = pytest.mark.server

#: Named queries whose rows differ on Virtuoso 7.2, and why.
DIFFERS = {
    "entity-names": "Virtuoso answers BIND(true AS ?b) with 1 (xsd:integer), not \"true\"^^xsd:boolean; "
                    "see test_boolean_constants_come_back_as_integers",
    "figures-sources-disagree-on": "Virtuoso answers SELECT DISTINCT over two joined sub-selects with 28 rows, 3 "
                                   "of them repeated (25 distinct, the same as the embedded store); without the "
                                   "ORDER BY it answers 1 row; see test_distinct_over_joined_subselects",
    "stats-totals": "Virtuoso's union of all graphs includes its own system graphs (virtrdf# and two small ones, "
                    "2,496 more triples): ?quads is 35,583 instead of 33,087",
}

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A Virtuoso of its own (free ports, a temporary database and virtuoso.ini); yields its base URL."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        pytest.fail("Virtuoso is needed: `make test` installs it (apt-get install virtuoso-opensource)")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    deadline = time.time() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                log = (d / "virtuoso.log").read_text(errors="replace")[-500:] if (d / "virtuoso.log").exists() else ""
                raise RuntimeError(f"virtuoso did not start: {log}")
            time.sleep(0.5)
    # the anonymous SPARQL user may write (the endpoint only listens on 127.0.0.1, for this test)
    subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                   check=True, capture_output=True, timeout=60)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def pushed(built, virtuoso):
    """The built graph pushed with the command, through Virtuoso's Graph Store endpoint."""
    out = run_cli("push", "--store", str(built.store), "--endpoint", f"{virtuoso}/sparql-graph-crud")
    assert out.returncode == 0, out.stderr
    return f"{virtuoso}/sparql"


def count_ours(endpoint: str) -> int:
    res = queries.run(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/rightsgraph/')) }", folder=QUERIES)
    return int(res.rows[0][0])


def test_push_loads_every_graph(built, real_store, pushed):
    assert count_ours(pushed) == built.quads
    res = queries.run(pushed, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                              "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/rightsgraph/')) }", folder=QUERIES)
    assert int(res.rows[0][0]) == len(list(real_store.named_graphs()))


def test_push_by_sparql_update_splits_big_graphs(built, real_store, pushed):
    """SPARQL Update: INSERT DATA of at most 1,000 triples (Virtuoso's compiler fails on the provenance graph whole);
    the same triples again, so nothing changes."""
    sent = remote.push(real_store, pushed, method="update")
    assert sent == len(list(real_store.named_graphs()))
    assert count_ours(pushed) == built.quads


def rows_of(stdout: str) -> list[tuple]:
    data = json.loads(stdout)
    names = data["head"]["vars"]
    return [tuple(from_json_binding(b.get(v)) for v in names) for b in data["results"]["bindings"]]


#: Differences Virtuoso does not show on every run: the DISTINCT join answered right once in a make test run with
#: two test processes (the machine busier than in the one-process runs, where it was wrong every time), so its
#: xfail cannot be strict. Its own minimal case below is not strict for the same reason.
NOT_ALWAYS = {"figures-sources-disagree-on"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=DIFFERS[n], strict=n not in NOT_ALWAYS))
                                  if n in DIFFERS else n for n in NAMES])
def test_named_query_answers_as_the_embedded_store(real_store, pushed, name):
    local = queries.run(real_store, name, folder=QUERIES)
    out = run_cli("query", name, "--endpoint", pushed, "--format", "json", "--timeout", "120")
    assert out.returncode == 0, out.stderr
    there = rows_of(out.stdout)
    assert json.loads(out.stdout)["head"]["vars"] == local.vars
    assert set(there) == set(local.rows)
    assert collections.Counter(there) == collections.Counter(local.rows)


def ask(endpoint: str, text: str) -> list[dict]:
    body = urllib.parse.urlencode({"query": text}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)["results"]["bindings"]


@pytest.mark.xfail(reason="Virtuoso 7.2 gives booleans as xsd:integer 1 / 0", strict=True)
def test_boolean_constants_come_back_as_integers(pushed):
    [row] = ask(pushed, "SELECT ?b WHERE { BIND(true AS ?b) }")
    assert from_json_binding(row["b"]) == Literal(True)


@pytest.mark.xfail(reason="Virtuoso 7.2 loses rows of a DISTINCT join of two sub-selects when there is no "
                          "ORDER BY (1 row, not 25), and repeats 3 rows when there is one; not on every run "
                          "(see NOT_ALWAYS)", strict=False)
def test_distinct_over_joined_subselects(real_store, pushed):
    text = queries.named(QUERIES)["figures-sources-disagree-on"].text.split("ORDER BY")[0]
    local = queries.run(real_store, text, folder=QUERIES)
    there = queries.run(pushed, text, folder=QUERIES)
    assert len(local.rows) == 25
    assert sorted(map(str, there.rows)) == sorted(map(str, local.rows))
