"""`rightsgraph serve` of the testimony fixture: the public release gives nothing withheld to hostile
SPARQL or to any page; the internal audience needs a token beyond 127.0.0.1 and answers 401 without it.

The real command runs in a subprocess on 127.0.0.1 (the ASGI server of rightsgraph.web.app). The needles
are tests/release/conftest.py's. With the release switched off (the policy letting everything through)
these tests fail: the pages and queries then show the witness. Two kinds do not, and say why: the pages
of public things nothing withheld is linked to, and the internal audience's (which is about the token).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from rightsgraph import paths
from rightsgraph.store import build, embedded
from tests.conftest import copy_project, free_port, run_cli
from tests.release.conftest import found_in, internal_only
from tests.web.test_server import http, stop

pytestmark = pytest.mark.server

BASE = "https://w3id.org/rightsgraph/"
WITNESS = BASE + "id/person/pak-sun-ok"
ENV = {"RIGHTSGRAPH_CORPUS": None}


def serve(root: Path, *extra: str, host: str = "127.0.0.1", token: str | None = None) -> tuple[subprocess.Popen, str]:
    """Start `rightsgraph --root ROOT serve` on a free port of ``host``; return the process and its base URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("rightsgraph")
    env = {k: v for k, v in os.environ.items() if k != "RIGHTSGRAPH_CORPUS"}
    proc = subprocess.Popen([str(exe), "--root", str(root), "serve", "--host", host, "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/sparql", timeout=2).read()
            return proc, base
        except urllib.error.HTTPError:  # an answer (401 without the token, 400 without a query): it is serving
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(proc.stderr.read().decode()[:1000])
            time.sleep(0.3)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("serve") / "testimony", "testimony")
    build.build(paths.project(root))
    return root


@pytest.fixture(scope="module")
def needles(project) -> list[str]:
    return internal_only(project)


@pytest.fixture(scope="module")
def public(project):
    proc, base = serve(project)
    yield base
    stop(proc)


def sparql(base: str, query: str, accept: str, headers: dict | None = None) -> tuple[int, str]:
    status, _, body = http("GET", f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
                           headers={"Accept": accept, **(headers or {})})
    return status, body.decode("utf-8")


JSON = "application/sparql-results+json"
NT = "application/n-triples"
LITERALS = "pak|magpie|sun-ok|tae-ho|interview|revolution|quota|cousin|zone"

#: Ten queries an attacker would send to find what the release withholds.
HOSTILE = [
    ("every quad of every graph", "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", JSON),
    ("the provenance graph", "SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/rightsgraph/graph/provenance> { ?s ?p ?o } }", JSON),
    ("REGEX over all literals", f'SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isLiteral(?o) && REGEX(STR(?o), "{LITERALS}", "i")) }}', JSON),
    ("COUNT per graph", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", JSON),
    ("DESCRIBE the witness", f"DESCRIBE <{WITNESS}>", NT),
    ("CONSTRUCT everything", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", NT),
    ("every graph name", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", JSON),
    ("every name and alias", "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label>|"
                             "<http://www.w3.org/2004/02/skos/core#altLabel> ?o }", JSON),
    ("every source record", "SELECT ?src ?p ?o WHERE { ?src a <https://w3id.org/rightsgraph/ontology#Source> ; ?p ?o }", JSON),
    ("IRIs that look like the interview's", 'SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } UNION { GRAPH ?x { ?a ?b ?c } } '
                                            'FILTER(isIRI(?x) && REGEX(STR(?x), "interview|pak|ri-tae|death", "i")) }', JSON),
]


@pytest.mark.parametrize("what, query, accept", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_sparql_finds_nothing_withheld(public, needles, what, query, accept):
    status, body = sparql(public, query, accept)
    assert status == 200, body[:300]
    assert found_in(body, needles) == [], what


def test_the_counts_are_the_release_s_not_the_internal_store_s(public, project):
    p = paths.project(project)
    status, body = sparql(public, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", JSON)
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert n == len(embedded.open(p.releases / "public" / "store")) < len(embedded.open(p.store))
    status, body = sparql(public, f"ASK {{ GRAPH ?g {{ <{WITNESS}> ?p ?o }} }}", JSON)
    assert json.loads(body)["boolean"] is False


def _public_claim(project) -> str:
    release = embedded.open(paths.project(project).releases / "public" / "store")
    return sorted(g.value for g in release.named_graphs() if "/claim/test-camp-bulletin/" in g.value
                  and "/entity-" not in g.value)[0]


def _pages(public, project, needles, path):
    if path == "CLAIM":
        path = "/" + _public_claim(project)[len(BASE):]
    for accept in ("text/html", "text/turtle", "application/ld+json"):
        status, _, body = http("GET", public + path, headers={"Accept": accept})
        assert status == 200, (path, accept, status)
        assert found_in(body.decode("utf-8"), needles) == [], (path, accept)


@pytest.mark.parametrize("path", ["/", "/search?q=Tae", "/search?q=Sun", "/search?q=Kwan-li-so", "/id/facility/kwanliso-15",
                                  "/viz?focus=" + urllib.parse.quote(BASE + "id/facility/kwanliso-15")])
def test_pages_show_nothing_withheld(public, project, needles, path):
    """Home, search, the camp's page and its network: each would show the witness without the release."""
    _pages(public, project, needles, path)


@pytest.mark.parametrize("path", ["/search?q=Witness", "/id/person/witness-a", "/id/event/detention-of-witness-a",
                                  "/id/source/test-camp-bulletin", "CLAIM", "/queries"])
def test_pages_of_public_things_stay_clean(public, project, needles, path):
    """The pseudonym's page, the public source's, a public claim's: nothing withheld is linked to them, so the
    release switched off does not change them; they are here so that a future link to withheld data is caught.
    (The withheld claim's and source's pages are tested below: they must not exist.)"""
    _pages(public, project, needles, path)


def test_void_counts_are_the_release_s(public, project):
    from rdflib import Graph, Namespace

    status, _, body = http("GET", public + "/void", headers={"Accept": "text/turtle"})
    assert status == 200
    triples = {int(o) for o in Graph().parse(data=body.decode("utf-8"), format="turtle").objects(
        None, Namespace("http://rdfs.org/ns/void#").triples)}
    p = paths.project(project)
    assert max(triples) == len(embedded.open(p.releases / "public" / "store")) < len(embedded.open(p.store))


@pytest.mark.parametrize("path", ["/id/person/pak-sun-ok", "/id/person/ri-tae-ho", "/id/event/death-of-ri-tae-ho",
                                  "/id/source/test-interview-7", "/claim/test-interview-7/entity-person-pak-sun-ok", "/search?q=Little%20Magpie", "/search?q=Pak%20Sun-ok",
                                  "/search?q=Ri%20Tae-ho"])
def test_withheld_things_have_no_page_and_no_search_hit(public, needles, path):
    status, _, body = http("GET", public + path, headers={"Accept": "text/html"})
    text = body.decode("utf-8")
    if path.startswith(("/id/", "/claim/")):
        assert status == 404, (path, status)
        text = text.replace(path, "")  # the 404 page may repeat the path asked for, and nothing else withheld
    else:  # the page may repeat what was asked for, and nothing else withheld
        asked = urllib.parse.unquote(path.split("q=", 1)[1])
        text = text.replace(asked, "").replace(asked.replace("-", "&#x2d;"), "")
        assert status == 200
    assert found_in(text, needles) == [], path


def test_internal_audience_without_a_token_refuses_to_bind_beyond_127_0_0_1(project):
    out = run_cli("--root", str(project), "serve", "--audience", "internal", "--host", "0.0.0.0",
                  "--port", str(free_port()), env=ENV)
    assert out.returncode != 0
    assert "needs --token-file" in out.stderr and "127.0.0.1" in out.stderr


def test_internal_audience_with_a_token_answers_401_without_it_and_200_with_it(project, tmp_path):
    secret = tmp_path / "token.txt"
    secret.write_text("internal-s3cret\n", encoding="utf-8")
    proc, base = serve(project, "--audience", "internal", "--token-file", str(secret))
    try:
        ask = f"ASK {{ GRAPH ?g {{ <{WITNESS}> ?p ?o }} }}"
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            status, body = sparql(base, ask, JSON, headers)
            assert status == 401, status
            assert found_in(body, internal_only(project)) == []
            status, _, body = http("GET", base + "/id/person/pak-sun-ok", headers=headers)
            assert status == 401 and b"Pak" not in body
        status, body = sparql(base, ask, JSON, {"Authorization": "Bearer internal-s3cret"})
        assert status == 200 and json.loads(body)["boolean"] is True  # the internal audience sees everything
        status, _, body = http("GET", base + "/id/person/pak-sun-ok", headers={"Authorization": "Bearer internal-s3cret",
                                                                                "Accept": "text/html"})
        assert status == 200 and b"Pak Sun-ok" in body
    finally:
        stop(proc)
    assert "INTERNAL store" in proc.stderr.read().decode()  # and it said so
