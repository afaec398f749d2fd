"""The server probed as an attacker would, from 127.0.0.1: the real `rightsgraph serve` in a subprocess.

A listener on another 127.0.0.1 port stands for any outside endpoint a query names: it must see
zero connections, whatever the request. Then the sandbox's limits (memory cap, dead workers, slow
queries beside cheap ones) and malformed requests, each answered with a 4xx and a one-line reason.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from .test_server import http, start, stop

pytestmark = pytest.mark.server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
#: Lookups timed while two explosive queries run (acceptance 2 of issue 13).
LOOKUPS = 10
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Listener:
    """A TCP listener on a free 127.0.0.1 port that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    one = Listener()
    yield one
    one.close()
    assert one.connections == 0


@pytest.fixture(scope="module")
def hostile(built):
    proc, base = start(built.store, "--timeout", "5", "--read-timeout", "2", "--idle-timeout", "2",
                       "--max-body", "20000", "--cors-origin", "*")
    yield base
    stop(proc)


def raw(base: str, data: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes on a new connection; return everything the server sends until it closes or goes quiet."""
    parts = urllib.parse.urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
                if b"\r\n\r\n" in out:
                    head, _, rest = out.partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                    if length and len(rest) >= length[0]:
                        break
        except socket.timeout:
            pass
    return out


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


# -- 1. zero outbound connections ----------------------------------------------------------------

def service_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/x"
    return [
        f"SELECT * WHERE {{ BIND('''a\\'''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ BIND("""a\\"""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ BIND('''a\\'''' AS ?x) SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:x {{ ?s ?p ?o }} }}",
        f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ]


def test_the_issue_s_service_bypasses_are_refused_and_never_connect(hostile, listener):
    for query in service_queries(listener.port):
        answers = [
            http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(query)),
            http("POST", f"{hostile}/sparql", query, DIRECT),
            http("POST", f"{hostile}/sparql", "query=" + urllib.parse.quote(query), FORM),
        ]
        for status, headers, body in answers:
            assert status == 400 and b"SERVICE is not allowed" in body, (query, status, body)
        status, _, body = http("GET", f"{hostile}/query?query=" + urllib.parse.quote(query))
        assert b"SERVICE is not allowed" in body
    for update in (f"LOAD <http://127.0.0.1:{listener.port}/x>", f"LOAD <http://127.0.0.1:{listener.port}/x> INTO GRAPH <urn:g>"):
        assert http("POST", f"{hostile}/sparql", update, DIRECT)[0] == 400
        assert http("POST", f"{hostile}/sparql", update, {"Content-Type": "application/sparql-update"})[0] == 403
        assert http("POST", f"{hostile}/sparql", "update=" + urllib.parse.quote(update), FORM)[0] == 403
    remote = f"http://127.0.0.1:{listener.port}/g"
    assert http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(f"SELECT * FROM <{remote}> {{ ?s ?p ?o }}"))[0] == 400
    assert http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(f"SELECT * FROM NAMED <{remote}> {{ ?s ?p ?o }}"))[0] == 400
    prefixed = f"PREFIX r: <http://127.0.0.1:{listener.port}/> SELECT * FROM r:g {{ ?s ?p ?o }}"
    status, _, body = http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(prefixed))
    assert status == 400 and remote.encode() in body
    assert http("GET", f"{hostile}/sparql?query=ASK%7B%7D&default-graph-uri=" + urllib.parse.quote(remote))[0] == 400
    assert http("GET", f"{hostile}/sparql?query=ASK%7B%7D&named-graph-uri=" + urllib.parse.quote(remote))[0] == 400
    time.sleep(0.5)
    assert listener.connections == 0


QUOTES = ["'", '"', "'''", '"""']
_text = st.text(alphabet=st.sampled_from(list("ab \\'\"#\n{}<>SERVICE")), max_size=12)


@st.composite
def literal(draw) -> str:
    """A valid SPARQL string literal in one of the four quote styles, with escapes."""
    quote = draw(st.sampled_from(QUOTES))
    parts = []
    for piece in draw(st.lists(st.one_of(st.text(alphabet="abcSERVICE {}<>#", max_size=6),
                                         st.sampled_from(["\\'", '\\"', "\\\\", "\\n", "\\t", "\\u0041"])), max_size=6)):
        parts.append(piece)
    body = "".join(parts)
    if len(quote) == 1:
        body = body.replace("\n", "")
    elif body.endswith(quote[0]) and not body.endswith("\\" + quote[0]):
        body += "a"
    return f"{quote}{body}{quote}"


@st.composite
def before_service(draw) -> str:
    """Random literals, comments and white space: what comes before the SERVICE clause."""
    items = draw(st.lists(st.one_of(
        literal().map(lambda lit: f"BIND({lit} AS ?NEW)"),
        literal().map(lambda lit: f"FILTER(?o != {lit})"),
        st.text(alphabet="abcSERVICE {}<>'\"\\", max_size=20).map(lambda t: "#" + t.replace("\n", "") + "\n"),
        st.sampled_from([" ", "\n", "\t", "\r\n", "  \n  "]),
        st.just("?s ?p ?o ."),
    ), max_size=6))
    text = " ".join(items)
    for i in range(text.count("?NEW")):  # each BIND binds a variable of its own
        text = text.replace("?NEW", f"?v{i}", 1)
    return text


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(prefix=before_service(), silent=st.booleans(), channel=st.sampled_from(["get", "direct", "form"]))
def test_fuzzed_service_positions_never_connect(hostile, listener, prefix, silent, channel):
    query = (f"SELECT * WHERE {{ {prefix} SERVICE {'SILENT ' if silent else ''}<http://127.0.0.1:{listener.port}/f> "
             f"{{ ?s ?p ?o }} }}")
    if channel == "get":
        status, _, body = http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(query))
    elif channel == "direct":
        status, _, body = http("POST", f"{hostile}/sparql", query, DIRECT)
    else:
        status, _, body = http("POST", f"{hostile}/sparql", "query=" + urllib.parse.quote(query), FORM)
    # refused (or, for a prefix that is not valid SPARQL, a syntax error): never run
    assert status == 400, (query, status, body)
    refused = b"SERVICE is not allowed" in body
    assert refused or b"syntax error" in body.lower(), body
    event("refused as SERVICE" if refused else "syntax error")
    assert listener.connections == 0, query


def test_the_workers_themselves_cannot_connect(built, listener):
    """The second line: a SERVICE query handed to the workers directly (past the parser) reaches no one."""
    from rightsgraph.web import sandbox

    runner = sandbox.Runner(str(built.store), workers=1, timeout=20)
    try:
        assert runner.isolation_refused is None, runner.isolation_refused
        answer = runner.run(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/w> {{ ?s ?p ?o }} }}", None)
        assert answer.status >= 400
        answer = runner.run(f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/w> {{ ?s ?p ?o }} }}", None)
        time.sleep(0.3)
    finally:
        runner.close()
    assert listener.connections == 0


# -- 2. memory cap, dead workers, starvation -------------------------------------------------------

def workers_of(proc) -> list[int]:
    """The query worker processes of a server process (its children started by multiprocessing)."""
    pids = []
    for task in Path(f"/proc/{proc.pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline:
                pids.append(int(child))
    return pids


@pytest.fixture(scope="module")
def limited(built):
    proc, base = start(built.store, "--timeout", "30", "--max-memory", "768", "--workers", "2")
    yield proc, base
    stop(proc)


def test_a_query_over_the_memory_cap_gets_503_and_its_worker_is_replaced(limited):
    proc, base = limited
    big = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"
    started = time.perf_counter()
    status, _, body = http("POST", f"{base}/sparql", big, DIRECT, timeout=60)
    assert status == 503 and b"memory" in body, body
    assert time.perf_counter() - started < 30
    assert http("GET", f"{base}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), timeout=60)[0] == 200


def test_killed_workers_are_replaced_and_the_next_query_answers(limited):
    proc, base = limited
    before = workers_of(proc)
    assert before
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    status, _, body = http("GET", f"{base}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), timeout=60)
    assert status == 200 and b"true" in body
    assert not set(workers_of(proc)) & set(before)


def test_the_server_process_itself_has_no_network_but_its_bound_socket(limited):
    """The server enters a network namespace of its own once its socket is bound: the only interface
    it sees is its own loopback (no route anywhere), and it still answers on the socket it bound."""
    proc, base = limited
    assert os.readlink(f"/proc/{proc.pid}/ns/net") != os.readlink("/proc/self/ns/net")
    interfaces = [line.split(":")[0].strip() for line in Path(f"/proc/{proc.pid}/net/dev").read_text().splitlines()[2:]]
    assert interfaces == ["lo"]
    assert Path(f"/proc/{proc.pid}/net/route").read_text().splitlines()[1:] == []  # no route at all
    assert http("GET", f"{base}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"), timeout=60)[0] == 200


def test_lookups_are_answered_by_the_server_while_every_worker_is_stopped(limited, built):
    """A one-pattern lookup is answered by the server process itself (its cost is bounded by its rows), the
    same answer a worker gives; one with more rows than the server answers itself goes to a worker."""
    from rightsgraph.web import sandbox

    proc, base = limited
    lookup = ("SELECT ?l WHERE { <https://w3id.org/rightsgraph/id/facility/kwanliso-15> "
              "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    many = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    store = __import__("pyoxigraph").Store.read_only(str(built.store))
    accept = {"Accept": "application/sparql-results+json"}
    expected = sandbox.execute(store, {"query": lookup, "accept": accept["Accept"], "max_rows": 10_000}).body
    stopped = workers_of(proc)
    assert stopped
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.perf_counter()
        status, _, body = http("GET", f"{base}/sparql?query=" + urllib.parse.quote(lookup), headers=accept, timeout=10)
        assert status == 200 and body == expected
        assert time.perf_counter() - started < 2  # a stopped worker would have kept it to the 30 s timeout
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
    rows = sum(1 for _ in store.query(many, use_default_graph_as_union=True))
    assert rows > 256  # more than the server answers itself: a worker's answer, every row
    status, _, body = http("GET", f"{base}/sparql?query=" + urllib.parse.quote(many), headers=accept, timeout=60)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == min(rows, 10_000)


def test_a_lookup_answers_within_100_ms_while_two_explosive_queries_run(limited):
    proc, base = limited
    lookup = f"{base}/sparql?query=" + urllib.parse.quote(
        "SELECT ?l WHERE { <https://w3id.org/rightsgraph/id/facility/kwanliso-15> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    # not a one-pattern lookup (an ASK): this one is answered by a query worker, not by the server itself
    cheap = f"{base}/sparql?query=" + urllib.parse.quote(
        "ASK { <https://w3id.org/rightsgraph/id/facility/kwanliso-15> <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert http("GET", lookup)[0] == 200 and http("GET", cheap)[0] == 200
    outcomes = []

    def explode():
        outcomes.append(http("POST", f"{base}/sparql", EXPLOSIVE, DIRECT, timeout=90)[0])

    slow = [threading.Thread(target=explode) for _ in range(2)]
    for t in slow:
        t.start()
    deadline = time.time() + 30
    while len(workers_of(proc)) < 3 and time.time() < deadline:  # a spare worker is started while both run
        time.sleep(0.2)
    time.sleep(1.0)
    times, worker_times = [], []
    for _ in range(LOOKUPS):
        started = time.perf_counter()
        status, _, body = http("GET", lookup)
        times.append(time.perf_counter() - started)
        assert status == 200 and b"Yodok" in body
        started = time.perf_counter()
        status, _, body = http("GET", cheap)
        worker_times.append(time.perf_counter() - started)
        assert status == 200 and b"true" in body
    still_running = not outcomes
    for t in slow:
        t.join()
    print(f"lookups beside two explosive queries: p50 {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {LOOKUPS}; the same in a worker (ASK): p50 "
          f"{statistics.median(worker_times) * 1000:.1f} ms, max {max(worker_times) * 1000:.1f} ms")
    assert still_running, "the explosive queries ended before the lookups were timed"
    assert outcomes == [503, 503]
    # Both asserted, on the 10 lookups timed while both explosive queries ran: the median (p50) and
    # the slowest one (max) are each under the issue's 100 ms.
    assert statistics.median(times) < 0.1, times
    assert max(times) < 0.1, times
    assert statistics.median(worker_times) < 0.1, worker_times
    assert max(worker_times) < 0.1, worker_times


# -- 3. malformed requests, protocol details, headers ----------------------------------------------

@pytest.mark.parametrize("request_bytes", [
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\nASK {}",
    b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: -1\r\n\r\nASK {}",
    b"GET /sparql HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET /id/\x01\x02 HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_malformed_requests_get_a_4xx_not_a_dropped_connection(hostile, request_bytes):
    answer = raw(hostile, request_bytes)
    assert 400 <= status_of(answer) < 500, answer[:300]


def test_a_short_body_gets_408_after_the_read_timeout(hostile):
    started = time.perf_counter()
    answer = raw(hostile, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                          b"Content-Length: 100\r\n\r\nASK {}", timeout=20)
    assert status_of(answer) == 408 and b"did not arrive" in answer
    assert time.perf_counter() - started < 10


def test_an_idle_connection_is_closed(hostile):
    parts = urllib.parse.urlsplit(hostile)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as s:
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
        started = time.perf_counter()
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 200") and time.perf_counter() - started < 10


@pytest.mark.parametrize("path, status, words", [
    ("/viz?hops=abc", 400, b"hops"),
    ("/viz?hops=99", 400, b"hops"),
    ("/viz?focus=no-such-entity-anywhere", 404, b""),
    ("/id/a%3Cb%3E", 400, b"IRI"),
    ("/id/a%20b", 400, b"IRI"),
    ("/id/a%22b", 400, b"IRI"),
    ("/queries/..%2Fqueries%2Fcoi-members.rq", 404, b"no named query"),
    ("/queries/coi-members.rq", 404, b"no named query"),
    ("/exports/..%2Frightsgraph.toml", 404, b"no such export"),
])
def test_bad_parameters_and_paths_get_a_4xx_with_a_reason(hostile, path, status, words):
    got, headers, body = http("GET", hostile + path, headers={"Accept": "text/html"})
    assert got == status and words in body, (path, got, body[:300])
    assert body.count(b"\n") <= 1 or headers["Content-Type"].startswith("text/html")


def test_rq_paths_are_never_read_from_disk(hostile):
    for spec in ("queries/coi-members.rq", str(Path(__file__).resolve().parents[2] / "queries" / "coi-members.rq")):
        status, _, body = http("GET", f"{hostile}/query?query=" + urllib.parse.quote(spec))
        assert b"syntax error" in body.lower() and b"<table" not in body
        status, _, body = http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(spec))
        assert status == 400 and b"syntax error" in body.lower()
    status, _, body = http("GET", f"{hostile}/queries/coi-members")
    assert status == 200 and b"<table" in body


def test_protocol_details(hostile, real_store):
    # duplicate query= in a form, or in the URL and the form
    assert http("POST", f"{hostile}/sparql", "query=ASK%7B%7D&query=ASK%7B%7D", FORM)[0] == 400
    assert http("POST", f"{hostile}/sparql?query=ASK%7B%7D", "query=ASK%7B%7D", FORM)[0] == 400
    # charset: UTF-8 only (415), invalid UTF-8 400
    latin = "ASK { ?s ?p \"\xe9\" }".encode("latin-1")
    assert http("POST", f"{hostile}/sparql", latin, {"Content-Type": "application/sparql-query; charset=ISO-8859-1"})[0] == 415
    status, _, body = http("POST", f"{hostile}/sparql", latin, DIRECT)
    assert status == 400 and b"UTF-8" in body
    assert http("POST", f"{hostile}/sparql", b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22%E9%22%20%7D", FORM)[0] == 400
    assert http("POST", f"{hostile}/sparql", "ASK {}", {"Content-Type": "application/sparql-query; charset=utf-8"})[0] == 200
    # a chunked body is read
    answer = raw(hostile, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                          b"Transfer-Encoding: chunked\r\nAccept: application/sparql-results+json\r\n\r\n"
                          b"4\r\nASK \r\n2\r\n{}\r\n0\r\n\r\n")
    assert status_of(answer) == 200 and b'"boolean":true' in answer
    # CONSTRUCT with relative IRIs takes the request's IRI as base
    status, _, body = http("POST", f"{hostile}/sparql", "CONSTRUCT { <a> <b> <c> } WHERE {}",
                           {**DIRECT, "Accept": "application/n-triples"})
    assert status == 200 and f"<{hostile}/a>".encode() in body
    # FROM names the default graph; FROM NAMED the named ones
    graph = min(g.value for g in real_store.named_graphs() if "/claim/" in g.value)
    in_graph = sum(1 for _ in real_store.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(graph)))
    count = lambda q: int(json.loads(http("GET", f"{hostile}/sparql?query=" + urllib.parse.quote(q))[2])  # noqa: E731
                          ["results"]["bindings"][0]["n"]["value"])
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == in_graph
    assert count(f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == in_graph
    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}") > in_graph
    base, local = graph.rsplit("/", 1)
    assert count(f"PREFIX c: <{base}/> SELECT (COUNT(*) AS ?n) FROM c:{local} WHERE {{ ?s ?p ?o }}") == in_graph


@pytest.mark.parametrize("host", ['evil.example>"; <x', "a b", "x:99999999", 'x"@en'])
def test_host_derived_text_is_checked_before_it_reaches_rdf(hostile, host):
    for path in ("/sparql", "/void"):
        answer = raw(hostile, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/turtle\r\n\r\n".encode())
        assert 400 <= status_of(answer) < 500, answer[:300]


def test_a_plain_host_gives_rdf_that_parses(hostile):
    for path in ("/sparql", "/void"):
        answer = raw(hostile, f"GET {path} HTTP/1.1\r\nHost: example.org:8080\r\nAccept: text/turtle\r\n\r\n".encode())
        assert status_of(answer) == 200
        body = answer.partition(b"\r\n\r\n")[2]
        g = Graph().parse(data=body.decode(), format="turtle")
        assert any("http://example.org:8080/sparql" == str(o) for o in g.objects())


@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/sparql?query=ASK%7B%7D"), ("GET", "/nowhere"),
                                          ("GET", "/id/facility/kwanliso-15"), ("POST", "/sparql"), ("PUT", "/sparql"),
                                          ("GET", "/viz?hops=abc"), ("GET", "/void"), ("OPTIONS", "/sparql")])
def test_security_headers_and_the_wildcard_origin_on_every_response(hostile, method, path):
    status, headers, _ = http(method, hostile + path, headers={"Origin": "https://anyone.example"})
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Access-Control-Allow-Origin"] == "*"


# -- the bearer token (--token-file) and the sub-applications' mount place ---------------------------

def test_with_a_token_file_every_request_needs_the_bearer_token(built, tmp_path):
    secret = tmp_path / "token.txt"
    secret.write_text("s3cret-token\n", encoding="utf-8")
    proc, base = start(built.store, "--token-file", str(secret))
    try:
        ask = f"{base}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"},
                        {"Authorization": "Bearer s3cret-token-and-more"}):
            for method, url in (("GET", ask), ("GET", base + "/"), ("OPTIONS", base + "/sparql"), ("PUT", base + "/sparql"),
                                ("GET", base + "/id/facility/kwanliso-15")):
                status, got, body = http(method, url, headers=headers)
                assert status == 401 and b"bearer token" in body, (method, url, headers, status)
                assert got["WWW-Authenticate"].startswith("Bearer") and got["X-Frame-Options"] == "DENY"
        status, _, body = http("GET", ask, headers={"Authorization": "Bearer s3cret-token",
                                                    "Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        stop(proc)


def test_sub_applications_mount_under_their_prefix_behind_the_token_and_headers(built):
    """The place the reconciliation service is mounted: a sub-app answers under its prefix, everything
    else still reaches the endpoint, and the token and security headers cover both."""
    import uvicorn
    from starlette.responses import PlainTextResponse

    from rightsgraph import paths
    from rightsgraph.web import app as app_mod
    from rightsgraph.web import server

    from ..conftest import ROOT, free_port

    async def hello(scope, receive, send):
        await PlainTextResponse(f"sub-app saw {scope['path']}")(scope, receive, send)

    settings = server.Settings(paths=paths.project(ROOT), store=built.store, exports=built.store.parent / "exports",
                               workers=1, token="t0k")
    asgi = app_mod.make(settings, mounts={"/mounted": hello})
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while not srv.started and time.time() < deadline:
            time.sleep(0.05)
        assert http("GET", base + "/mounted/x")[0] == 401
        status, headers, body = http("GET", base + "/mounted/x", headers={"Authorization": "Bearer t0k"})
        assert status == 200 and body == b"sub-app saw /mounted/x", body  # Starlette keeps the path; root_path is /mounted
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, _, body = http("GET", base + "/sparql?query=ASK%7B%7D", headers={"Authorization": "Bearer t0k"})
        assert status == 200
    finally:
        srv.should_exit = True
        thread.join(10)
        asgi.state.app.runner.close()
    # the registry: a listed module that the package does not hold is skipped, not an error
    assert set(app_mod.SUB_APPS) >= {"/reconcile"}


def test_a_claim_asked_for_as_a_nanopublication_is_the_exports_and_verify_checks_it(hostile, built):
    """Issue 17: the server hands out a claim's nanopublication as the export has it (same trusty URI), the
    export file under its own name, and `rightsgraph verify URL` checks what it downloads."""
    from rightsgraph.outputs import nanopub
    from tests.conftest import run_cli

    exported, _ = nanopub.load(str(built.exports["nanopub"]))
    one = exported[len(exported) // 2]
    path = one.claim[len("https://w3id.org/rightsgraph"):]
    status, headers, body = http("GET", hostile + path, headers={"Accept": nanopub.MEDIA_TYPE})
    assert status == 200 and headers["Content-Type"].startswith(nanopub.MEDIA_TYPE)
    (served,), _ = nanopub.split(nanopub.parse(body))
    assert served.iri == one.iri and nanopub.check(served).ok
    status, _, body = http("GET", hostile + "/exports/rightsgraph.np.trig")
    assert status == 200 and body == built.exports["nanopub"].read_bytes()
    result = run_cli("verify", hostile + path)
    assert result.returncode == 0 and "1 nanopublication(s) verified" in result.stdout
