"""The server: a read-only SPARQL 1.1 Protocol endpoint and dereferenceable linked-data pages.

    /sparql               SPARQL 1.1 Protocol (GET, URL-encoded POST, direct POST); a service
                          description on a GET with no query; updates refused (403)
    /id/..., /claim/...   every entity, source and claim graph IRI of the base, as HTML, N-Triples or
                          any export format (Turtle, TriG, N-Quads, JSON-LD) by content
                          negotiation (Vary: Accept); the RDF is what ``describe.about`` gathers
    /, /search, /queries, /queries/NAME, /query, /viz    pages for people
    /void, /.well-known/void                             the VoID description
    /exports/FILE                                        the downloadable exports

The HTTP side is Starlette on uvicorn (:mod:`rightsgraph.web.app`): request parsing, keep-alive,
timeouts and limits are theirs. What is ours is the query sandbox (:mod:`rightsgraph.web.sandbox`)
and the checks here. Safe defaults: binds 127.0.0.1; every query is parsed with rdflib's SPARQL
parser before it runs, and SERVICE, LOAD, updates and FROM/FROM NAMED of IRIs outside the dataset
are refused (the workers, in a network namespace of their own, could not connect anyway);
queries run in worker processes with a memory cap, stopped at the timeout; results are cut at a
row cap (signalled by the ``Rightsgraph-Truncated`` header); request bodies over the size cap get
413; CORS headers only for the configured origins (or any, with ``*``).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from rdflib import DCTERMS, PROV, RDF, VOID, BNode, Graph, Literal, URIRef

from rightsgraph.errors import UsageError
from rightsgraph.namespaces import BASE, OA, RG, SD, W3C_FORMATS
from rightsgraph.outputs import describe
from rightsgraph.outputs import exports
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries
from rightsgraph.store import embedded as store_mod
from rightsgraph.web import sandbox

#: A Host header: a name or an IPv4 address, or an IPv6 address in brackets, with an optional port.
HOST_RE = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$")

#: N-Triples: the triples of a resource alone, offered besides the export formats.
NTRIPLES = "application/n-triples"
#: What an IRI of the base dereferences as: the page, every export format, N-Triples.
LD_TYPES = ["text/html", *(f.media_type for f in exports.FORMATS.values()), NTRIPLES]
#: The result formats the endpoint describes (by their names under http://www.w3.org/ns/formats/).
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "TriG", "JSON-LD")


@dataclass(frozen=True)
class Checked:
    """What the parser found in a request's SPARQL text."""

    error: str | None = None        #: a syntax error (one line)
    update: bool = False            #: the text is an update, not a query
    load: bool = False              #: ... and it holds LOAD
    service: bool = False           #: a SERVICE pattern anywhere in the query
    defaults: tuple[str, ...] = ()  #: the query's FROM graphs (prefixed names resolved)
    named: tuple[str, ...] = ()     #: the query's FROM NAMED graphs


def _walk(node):
    """Every node of an rdflib parse tree or algebra, without recursion (a deep query cannot overflow the stack)."""
    from pyparsing import ParseResults

    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        if isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, ParseResults)):
            stack.extend(n)


#: rdflib's SPARQL parser (pyparsing underneath) is not safe to run from two threads at once: under
#: concurrent requests it raised errors from inside its parse actions (seen as 400 "SPARQL error:
#: <lambda>() missing 1 required positional argument" on 99 of 100 lookups from 16 clients).
_PARSER_LOCK = threading.Lock()


#: SPARQL's codepoint escapes (\\u0045, \\U00000045) may stand anywhere in a query text and are read before
#: the grammar (SPARQL 1.1, 19.2): they are decoded before looking for the words below.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Every keyword that begins what the check looks for: SERVICE, FROM (NAMED), and the update operations.
#: Matched as plain substrings, case aside, so that "address" or a comment "from ..." also goes to the parser.
_NEEDS_PARSE = re.compile(r"service|from|load|insert|delete|clear|drop|create|add|move|copy|with|using", re.IGNORECASE)


def _decoded(query: str) -> str:
    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)
    return _CODEPOINT.sub(one, query)


@functools.lru_cache(maxsize=4096)
def check(query: str) -> Checked:
    """What ``query`` holds: SERVICE, an update, LOAD, FROM graphs, a syntax error; cached by text.

    A text that holds none of the keywords SERVICE, FROM or an update begins with (after decoding
    codepoint escapes, case aside, even inside strings and comments) can hold none of them, and goes
    straight to the store, whose own parser answers a syntax error with 400. Every other text is
    parsed by rdflib's SPARQL 1.1 parser (:func:`_check`), one parse at a time.
    """
    if not _NEEDS_PARSE.search(_decoded(query)):
        return Checked()
    with _PARSER_LOCK:
        return _check(query)


def _check(query: str) -> Checked:
    """Parse ``query`` with rdflib's SPARQL 1.1 parser (a real grammar, not a pattern).

    A SERVICE pattern is found in the parsed algebra, wherever it is and whatever strings, escapes or
    comments come before it (tests/web/test_app.py fuzzes this).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
        algebra = translateQuery(tree)
    except ParseException as exc:
        try:
            update = parseUpdate(query)
        except Exception:  # noqa: BLE001 - not an update either: report the query's syntax error
            return Checked(error=f"SPARQL syntax error: {str(exc).splitlines()[0]}")
        return Checked(update=True, load=any(getattr(n, "name", None) == "Load" for n in _walk(update)))
    except RecursionError:
        return Checked(error="the query is nested too deeply to be read")
    except Exception as exc:  # noqa: BLE001 - e.g. an undeclared prefix
        return Checked(error=f"SPARQL error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    service = any(getattr(n, "name", None) == "ServiceGraphPattern" for n in _walk(algebra.algebra))
    clauses = algebra.algebra.get("datasetClause") or []
    defaults = tuple(str(c["default"]) for c in clauses if "default" in c)
    named = tuple(str(c["named"]) for c in clauses if "named" in c)
    return Checked(service=service, defaults=defaults, named=named)


def refuse_reason(query: str, graphs: set[str], extra_graphs: list[str]) -> str | None:
    """Why a query must not run here (a syntax error, an update, SERVICE, LOAD, a dataset outside ours), or None.

    The query is read by a SPARQL parser: "SERVICE" inside a string or a comment is no reason, and
    no string or escape can hide a SERVICE pattern (tests/web/test_server.py has the examples).
    """
    found = check(query)
    if found.error:
        return found.error
    if found.load:
        return "LOAD is not allowed: this endpoint is read-only"
    if found.update:
        return "SPARQL Update is not allowed: this endpoint is read-only"
    if found.service:
        return "SERVICE is not allowed: this endpoint does not fetch from other endpoints"
    for g in (*found.defaults, *found.named):
        if g not in graphs:
            return f"FROM <{g}> is not a graph of this dataset, and remote data is not fetched"
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
    base: str = BASE
    timeout: float = 30.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    cors: set[str] = field(default_factory=set)
    workers: int = 2
    #: when set, every request must carry ``Authorization: Bearer <token>`` (401 without it)
    token: str | None = None
    max_workers: int | None = None
    max_memory_mb: int | None = 2048
    read_timeout: float = 10.0
    idle_timeout: float = 5.0


class App:
    """The state shared by every request: settings, the query runner, a read-only store for pages."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.runner = sandbox.Runner(str(settings.store), settings.workers, settings.timeout, settings.max_rows,
                                     settings.max_memory_mb, settings.max_workers)
        self.store = store_mod.open(settings.store)
        self.graphs = {g.value for g in self.store.named_graphs()}
        #: Whether this process is in a network namespace of its own (set by ``serve`` once it has bound its
        #: socket); only then does it answer one-pattern lookups itself instead of handing them to a worker.
        self.isolated = False
        #: Why the server process is not cut off from the network (None when it is, or not tried).
        self.isolation_refused: str | None = None

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
        g.add((service, SD.endpoint, URIRef(ox.NamedNode(endpoint).value)))  # a valid IRI, or ValueError
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
        g.add((dataset, VOID.sparqlEndpoint, URIRef(ox.NamedNode(f"{host}/sparql").value)))  # valid, or ValueError
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
