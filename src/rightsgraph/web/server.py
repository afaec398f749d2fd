"""The server: a read-only SPARQL 1.1 Protocol endpoint and dereferenceable linked-data pages.

    /sparql               SPARQL 1.1 Protocol (GET, URL-encoded POST, direct POST); a service
                          description on a GET with no query; updates refused (403)
    /id/..., /claim/...   every entity, source and claim graph IRI of the base, as HTML, N-Triples or
                          any export format (Turtle, TriG, N-Quads, JSON-LD) by content
                          negotiation (Vary: Accept); the RDF is what ``describe.about`` gathers
    /, /search, /queries, /queries/NAME, /query, /viz    pages for people
    /void, /.well-known/void                             the VoID description
    /exports/FILE                                        the downloadable exports

Safe defaults: binds 127.0.0.1; SERVICE, LOAD and FROM/FROM NAMED of IRIs outside the dataset are
refused before anything is fetched; queries run in worker processes stopped at the timeout;
results are cut at a row cap (signalled by the ``Rightsgraph-Truncated`` header); request bodies
over the size cap get 413; CORS headers only for the configured origins.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rdflib import DCTERMS, PROV, RDF, VOID, BNode, Graph, Literal, URIRef

from rightsgraph.errors import UsageError
from rightsgraph.namespaces import BASE, OA, RG, SD, W3C_FORMATS
from rightsgraph.outputs import describe
from rightsgraph.outputs import exports
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries
from rightsgraph.sparql import remote
from rightsgraph.store import embedded as store_mod
from rightsgraph.web import sandbox

_TOKEN = re.compile(r"""(?P<comment>\#[^\n]*)|(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|(?P<word>[A-Za-z_][\w-]*)|(?P<other>\S)""", re.S)

#: N-Triples: the triples of a resource alone, offered besides the export formats.
NTRIPLES = "application/n-triples"
#: What an IRI of the base dereferences as: the page, every export format, N-Triples.
LD_TYPES = ["text/html", *(f.media_type for f in exports.FORMATS.values()), NTRIPLES]
#: The result formats the endpoint describes (by their names under http://www.w3.org/ns/formats/).
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "TriG", "JSON-LD")


def refuse_reason(query: str, graphs: set[str], extra_graphs: list[str]) -> str | None:
    """Why a query must not run here (SERVICE, LOAD, a dataset outside ours), or None.

    Words are read as SPARQL tokens: "SERVICE" inside a string or a comment is no reason
    (tests/web/test_server.py has the examples).
    """
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(query) if m.lastgroup not in ("comment",)]
    for i, (kind, text) in enumerate(tokens):
        word = text.upper() if kind == "word" else ""
        if word == "SERVICE":
            return "SERVICE is not allowed: this endpoint does not fetch from other endpoints"
        if word == "LOAD":
            return "LOAD is not allowed: this endpoint is read-only"
        if word == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "NAMED":
                j += 1
            if j < len(tokens) and tokens[j][0] == "iri" and tokens[j][1][1:-1] not in graphs:
                return f"FROM {tokens[j][1]} is not a graph of this dataset, and remote data is not fetched"
    for g in extra_graphs:
        if g not in graphs:
            return f"<{g}> is not a graph of this dataset, and remote data is not fetched"
    return None


@dataclass
class Settings:
    """How the server runs: the project (its ontology and named queries), the store and exports it serves."""

    paths: Paths
    store: Path
    exports: Path
    paths: Paths
    base: str = BASE
    timeout: float = 30.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    cors: set[str] = field(default_factory=set)
    workers: int = 2
    #: when set, every request must carry ``Authorization: Bearer <token>`` (401 without it)
    token: str | None = None


class App:
    """The state shared by every request: settings, the query runner, a read-only store for pages."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.runner = sandbox.Runner(str(settings.store), settings.workers, settings.timeout, settings.max_rows)
        self.store = store_mod.open(settings.store)
        self.graphs = {g.value for g in self.store.named_graphs()}
        self._lock = threading.Lock()

    def link(self, iri: str) -> str:
        """The local URL that dereferences ``iri`` (IRIs outside the base are left as they are)."""
        base = self.settings.base
        return "/" + iri[len(base):] if iri.startswith(base) else iri

    def iri(self, path: str) -> str:
        return self.settings.base + path.lstrip("/")

    # -- linked data --------------------------------------------------------------------------
    def about(self, iri: str) -> dict | None:
        """Everything about ``iri`` (:func:`rightsgraph.outputs.describe.about`), or None if the graph holds nothing."""
        try:
            data = describe.about(self.store, iri, self.settings.paths)
        except UsageError:
            return None
        return data if data["quads"] else None

    def rdf(self, data: dict, media: str) -> bytes:
        """The RDF of ``data`` in ``media`` (an export format's media type, or N-Triples)."""
        fmt = "ntriples" if media == NTRIPLES else exports.by_media_type(media).name
        return describe.rdf(data, fmt, self.settings.paths)

    # -- descriptions -------------------------------------------------------------------------
    def service_description(self, endpoint: str, media: str = "text/turtle") -> str:
        """The SPARQL 1.1 service description of the endpoint, in Turtle or N-Triples."""
        g = Graph()
        g.bind("sd", SD)
        g.bind("void", VOID)
        service, dataset = BNode(), BNode()
        g.add((service, RDF.type, SD.Service))
        g.add((service, SD.endpoint, URIRef(endpoint)))
        g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
        for name in RESULT_FORMATS:
            g.add((service, SD.resultFormat, W3C_FORMATS[name]))
        g.add((service, SD.feature, SD.UnionDefaultGraph))
        g.add((service, SD.defaultDataset, dataset))
        g.add((dataset, RDF.type, SD.Dataset))
        g.add((dataset, VOID.triples, Literal(len(self.store))))
        return g.serialize(format="nt" if media == NTRIPLES else "turtle")

    def void(self, host: str) -> str:
        """The VoID description of the dataset, in Turtle: its endpoint, its dumps (every export format), its size."""
        totals = queries.run(self.store, queries.resolve("stats-totals", self.settings.paths.queries))
        counts = dict(zip(totals.vars, (int(str(x)) for x in totals.rows[0])))
        base = self.settings.base
        g = Graph()
        g.bind("void", VOID)
        g.bind("dcterms", DCTERMS)
        dataset, claims = URIRef(base + "void"), BNode()
        g.add((dataset, RDF.type, VOID.Dataset))
        g.add((dataset, DCTERMS.title,
               Literal("rightsgraph: North Korean human-rights documentation, claim by claim")))
        g.add((dataset, DCTERMS.description,
               Literal("Entities, events and figures from five sources; every fact is a named graph with its source, "
                       "verbatim quote, offsets and certainty.")))
        g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{host}/sparql")))
        for f in exports.FORMATS.values():
            g.add((dataset, VOID.dataDump, URIRef(f"{host}/exports/{f.filename}")))
        g.add((dataset, VOID.uriSpace, Literal(base + "id/")))
        for vocabulary in (RG._NS, PROV, OA):
            g.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
        g.add((dataset, VOID.triples, Literal(counts.get("quads", 0))))
        g.add((dataset, VOID.entities, Literal(counts.get("entities", 0))))
        g.add((dataset, VOID.classPartition, claims))
        g.add((claims, VOID["class"], RG.Claim))
        g.add((claims, VOID.entities, Literal(counts.get("claims", 0))))
        return g.serialize(format="turtle")


class Handler(BaseHTTPRequestHandler):
    """One request."""

    server_version = "rightsgraph"
    protocol_version = "HTTP/1.1"
    app: App

    def log_message(self, fmt, *args):  # quiet by default; the CLI turns it on
        if getattr(self.server, "verbose", False):
            super().log_message(fmt, *args)

    # -- responses ----------------------------------------------------------------------------
    def send(self, status: int, body: bytes | str, content_type: str = "text/plain; charset=utf-8",
             headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        origin = self.headers.get("Origin")
        if origin and origin in self.app.settings.cors:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def host(self) -> str:
        return f"http://{self.headers.get('Host') or '%s:%d' % self.server.server_address[:2]}"

    # -- methods ------------------------------------------------------------------------------
    def do_GET(self):  # noqa: N802
        self.route("GET")

    def do_HEAD(self):  # noqa: N802
        self.route("GET")

    def do_POST(self):  # noqa: N802
        self.route("POST")

    def do_PUT(self):  # noqa: N802
        if not self.authorised():
            return
        self.send(405, "this endpoint is read-only\n", headers={"Allow": "GET, HEAD, POST"})

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self):  # noqa: N802
        if not self.authorised():
            return
        origin = self.headers.get("Origin")
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if origin and origin in self.app.settings.cors:
            headers.update({"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type, Accept"})
        self.send(204, b"", headers=headers)

    def authorised(self) -> bool:
        """True when no token is set, or the request carries it as a bearer token; else answer 401."""
        token = self.app.settings.token
        if token is None:
            return True
        given = self.headers.get("Authorization") or ""
        if given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode()):
            return True
        self.send(401, "this endpoint needs its bearer token (Authorization: Bearer ...)\n",
                  headers={"WWW-Authenticate": 'Bearer realm="rightsgraph"'})
        return False

    def route(self, method: str) -> None:
        if not self.authorised():
            return
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        path = url.path
        try:
            if path == "/sparql":
                return self.sparql(method, params)
            if path in ("/store", "/update"):
                return self.send(403 if method == "POST" else 405, "this endpoint is read-only\n")
            if method != "GET":
                return self.send(405, "method not allowed\n", headers={"Allow": "GET, HEAD"})
            if path.startswith("/id/") or path.startswith("/claim/"):
                return self.linked_data(path)
            if path in ("/void", "/.well-known/void"):
                return self.send(200, self.app.void(self.host()), "text/turtle; charset=utf-8")
            if path.startswith("/exports/"):
                return self.export_file(path[len("/exports/"):])
            return self.page(path, params)
        except sandbox.QueryTimeout as exc:
            return self.send(503, f"{exc}\n", headers={"Retry-After": "1"})
        except BrokenPipeError:
            return None

    # -- SPARQL protocol ----------------------------------------------------------------------
    def read_body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.app.settings.max_body:
            self.send(413, f"request body over {self.app.settings.max_body} bytes\n", headers={"Connection": "close"})
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def sparql(self, method: str, params: dict) -> None:
        query = None
        if method == "POST":
            body = self.read_body()
            if body is None:
                return
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self.send(403, "SPARQL Update is not allowed: this endpoint is read-only\n")
            if ctype == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return self.send(403, "SPARQL Update is not allowed: this endpoint is read-only\n")
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
                query = (form.get("query") or [None])[0]
            elif ctype == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            else:
                return self.send(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded\n")
            if query is not None and "query" in params and ctype == "application/sparql-query":
                return self.send(400, "give the query once: in the body or in the URL, not both\n")
        else:
            if "update" in params:
                return self.send(403, "SPARQL Update is not allowed: this endpoint is read-only\n")
            queries = params.get("query")
            if queries and len(queries) > 1:
                return self.send(400, "give exactly one query parameter\n")
            query = queries[0] if queries else None
        if query is None:
            if method == "GET":
                media = sandbox.negotiate(self.headers.get("Accept"), ["text/turtle", "application/n-triples"])
                media = media or "text/turtle"
                return self.send(200, self.app.service_description(self.host() + "/sparql", media),
                                 f"{media}; charset=utf-8")
            return self.send(400, "no query: give query= or POST an application/sparql-query body\n")
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        reason = refuse_reason(query, self.app.graphs, default_graphs + named_graphs)
        if reason:
            return self.send(400, reason + "\n")
        answer = self.app.runner.run(query, self.headers.get("Accept"), default_graphs, named_graphs)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["Rightsgraph-Truncated"] = f"results cut at {self.app.settings.max_rows} rows"
        ctype = answer.content_type if "charset" in answer.content_type else answer.content_type + "; charset=utf-8"
        self.send(answer.status, answer.body, ctype, headers)

    # -- linked data --------------------------------------------------------------------------
    def linked_data(self, path: str) -> None:
        iri = self.app.iri(path)
        media = sandbox.negotiate(self.headers.get("Accept"), LD_TYPES)
        if media is None:
            return self.send(406, "available as " + ", ".join(LD_TYPES) + "\n", headers={"Vary": "Accept"})
        if media == "text/html":
            from rightsgraph.web import pages

            app = self.app
            if path.startswith("/claim/"):
                doc = pages.claim(app.store, iri, app.link, paths=app.settings.paths)
            elif path.startswith("/id/source/"):
                doc = pages.source(app.store, iri, app.link, paths=app.settings.paths)
            else:
                doc = pages.entity(app.store, iri, app.link, paths=app.settings.paths)
            if doc is None:
                return self.send(404, f"no such resource: {iri}\n", headers={"Vary": "Accept"})
            return self.send(200, doc, "text/html; charset=utf-8", {"Vary": "Accept"})
        data = self.app.about(iri)
        if data is None:
            return self.send(404, f"no such resource: {iri}\n", headers={"Vary": "Accept"})
        return self.send(200, self.app.rdf(data, media), f"{media}; charset=utf-8", {"Vary": "Accept"})

    def export_file(self, name: str) -> None:
        path = self.app.settings.exports / name
        fmt = exports.by_suffix(path.suffix.lstrip("."))
        if "/" in name or not path.is_file() or fmt is None:
            return self.send(404, "no such export\n")
        self.send(200, path.read_bytes(), f"{fmt.media_type}; charset=utf-8",
                  {"Content-Disposition": f'attachment; filename="{name}"'})

    # -- pages for people ---------------------------------------------------------------------
    def page(self, path: str, params: dict) -> None:
        from rightsgraph.web import pages

        app = self.app
        project = app.settings.paths
        first = lambda key: (params.get(key) or [""])[0]  # noqa: E731
        if path == "/":
            return self.send(200, pages.home(app.store, app.link, paths=project), "text/html; charset=utf-8")
        if path == "/search":
            return self.send(200, pages.search(app.store, first("q"), app.link, paths=project), "text/html; charset=utf-8")
        if path == "/queries":
            return self.send(200, pages.queries_page(app.link, paths=project), "text/html; charset=utf-8")
        if path.startswith("/queries/") or path == "/query":
            text = path[len("/queries/"):] if path.startswith("/queries/") else first("query")
            bound = {k: v[0] for k, v in params.items() if k != "query"}
            result, error = None, None
            if text:
                try:
                    named = queries.resolve(text, project.queries)
                    full = queries.with_values(named.text, queries.bind(named, bound))
                    reason = refuse_reason(full, app.graphs, [])
                    if reason:
                        raise ValueError(reason)
                    answer = app.runner.run(full, "application/sparql-results+json")
                    if answer.status != 200:
                        raise ValueError(answer.body.decode("utf-8", "replace"))
                    from rightsgraph.sparql.results import from_json_binding

                    doc = json.loads(answer.body)
                    if "boolean" in doc:
                        result = queries.Result(["boolean"], [(str(doc["boolean"]).lower(),)])
                    else:
                        names = doc["head"]["vars"]
                        result = queries.Result(names, [tuple(from_json_binding(b.get(n)) for n in names) for b in doc["results"]["bindings"]])
                except Exception as exc:  # shown on the page, as a person expects
                    error = str(exc)
            return self.send(200, pages.query_result(text, result, error, app.link, bound, paths=project),
                             "text/html; charset=utf-8")
        if path == "/viz":
            from rightsgraph.outputs import visuals

            focus = first("focus")
            g = visuals.network(app.store, project, focus=focus or None, hops=int(first("hops") or 1))
            return self.send(200, visuals.render(g, f"rightsgraph: around {focus}" if focus else "rightsgraph network"),
                             "text/html; charset=utf-8")
        return self.send(404, "not found\n")


def make(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Create the server (not yet serving); its ``app`` holds the query workers."""
    app = App(settings)
    handler = type("BoundHandler", (Handler,), {"app": app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.app = app  # type: ignore[attr-defined]
    return server
