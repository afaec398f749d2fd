"""The HTTP side of the server: a Starlette application over :class:`rightsgraph.web.server.App`.

Why Starlette on uvicorn: the HTTP parsing (httptools), keep-alive, the idle timeout and the limits
on request lines and headers are a well-kept library's, not ours; a malformed request line or
header (``Content-Length: abc``, ``-1``) is answered 400 by uvicorn itself. What this module adds:
the routes, the request body read with a deadline and a size cap (413, 408), the protocol's
checks (one ``query``, UTF-8 or 415, invalid UTF-8 400, updates 403), the bearer token when one is
set (401 before anything else is looked at), the security headers on every response, CORS, and a
one-line plain-text reason for every 4xx.

Sub-applications (e.g. the reconciliation service) are mounted under a path prefix: list their
module in :data:`SUB_APPS`, or hand them to :func:`make`. They sit behind the same token check,
security headers and CORS as the rest.

Blocking work (the query workers, pages built from the store) runs in Starlette's thread pool, so
the event loop keeps answering while a query runs. A one-pattern lookup (``sandbox.is_lookup``),
whose cost is bounded by the rows it answers, is answered on the event loop itself from the
server's own read-only store, once :func:`serve` has moved the process into a network namespace
with no interfaces.
"""

from __future__ import annotations

import asyncio
import hmac
import importlib
import importlib.util
import json
import urllib.parse
from collections.abc import Callable

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from rightsgraph.errors import UsageError
from rightsgraph.outputs import exports
from rightsgraph.outputs import nanopub
from rightsgraph.sparql import queries
from rightsgraph.web import sandbox
from rightsgraph.web.server import HOST_RE, LD_TYPES, NTRIPLES, App, Settings, check, refuse_reason

#: Sent with every response. The pages load nothing from elsewhere; inline styles, and the inline
#: scripts of the network view (a sandboxed srcdoc frame inherits this policy), are the only exceptions.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
TEXT = "text/plain; charset=utf-8"
#: The rows up to which the server answers a one-pattern lookup itself (:func:`sandbox.is_lookup`).
LOOKUP_ROWS = 256
HTML = "text/html; charset=utf-8"
UPDATE_REFUSED = "SPARQL Update is not allowed: this endpoint is read-only"

#: The place to mount sub-applications: path prefix -> module. Each module has
#: ``application(state: App) -> ASGI app``, called once when the server starts, and answers every
#: path under its prefix. A module not (yet) in the package is skipped.
SUB_APPS: dict[str, str] = {
    "/reconcile": "rightsgraph.web.reconcile",
}


class Refused(Exception):
    """A request answered with a 4xx (or 503) and a one-line reason."""

    def __init__(self, status: int, reason: str, headers: dict | None = None):
        super().__init__(reason)
        self.status, self.reason, self.headers = status, reason, headers or {}


def _text(status: int, reason: str, headers: dict | None = None) -> Response:
    return Response(reason.rstrip("\n") + "\n", status, headers=headers, media_type=TEXT)


class Headers:
    """ASGI middleware: the security headers and CORS on every response, errors included."""

    def __init__(self, inner, cors: set[str]):
        self.inner, self.cors = inner, cors

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        origin = None
        for k, v in scope["headers"]:
            if k == b"origin":
                origin = v.decode("latin-1")
        allowed = "*" if "*" in self.cors else (origin if origin and origin in self.cors else None)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for k, v in SECURITY_HEADERS.items():
                    if k.lower().encode() not in present:
                        headers.append((k.encode(), v.encode()))
                if allowed:
                    headers.append((b"access-control-allow-origin", allowed.encode("latin-1")))
                    if allowed != "*":
                        headers.append((b"vary", b"Origin"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.inner(scope, receive, sending)


class Guard:
    """ASGI middleware: with a token set, every request must carry ``Authorization: Bearer <token>``;
    anything else is answered 401 before any route, sub-application or query sees it."""

    def __init__(self, inner, token: str | None):
        self.inner, self.token = inner, (token.encode() if token else None)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.token is None:
            return await self.inner(scope, receive, send)
        given = b""
        for k, v in scope["headers"]:
            if k == b"authorization":
                given = v
        scheme, _, credential = given.partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(credential.strip(), self.token):
            return await self.inner(scope, receive, send)
        response = _text(401, "this endpoint needs its bearer token (Authorization: Bearer ...)",
                         {"WWW-Authenticate": 'Bearer realm="rightsgraph"'})
        return await response(scope, receive, send)


class AtRoot:
    """A mounted sub-application answering its prefix itself (``/reconcile`` as ``/reconcile/``): a Mount alone
    redirects it, and clients such as OpenRefine POST to the URL they were given without following."""

    def __init__(self, sub, prefix: str):
        self.sub, self.prefix = sub, prefix

    async def __call__(self, scope, receive, send):
        root = scope.get("root_path", "") + self.prefix
        await self.sub({**scope, "path": root + "/", "raw_path": (root + "/").encode(), "root_path": root},
                       receive, send)


def sub_apps(state: App) -> dict[str, Callable]:
    """The sub-applications of :data:`SUB_APPS` whose module the package holds, built over ``state``."""
    found = {}
    for prefix, module in SUB_APPS.items():
        if importlib.util.find_spec(module) is None:
            continue
        found[prefix] = importlib.import_module(module).application(state)
    return found


class Kept:
    """The last ``size`` rendered answers by key, for pages built from the read-only store (which cannot change
    while it is served): a page is rendered once, not on every request."""

    def __init__(self, size: int = 2048):
        import collections
        import threading

        self.size, self._items, self._lock = size, collections.OrderedDict(), threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def application(state: App, mounts: dict[str, Callable] | None = None) -> Starlette:
    """The Starlette application serving ``state`` (``.state.app`` is ``state``), with ``mounts``
    (path prefix -> ASGI app) answering under their prefixes; by default those of :data:`SUB_APPS`."""
    settings = state.settings
    kept = Kept()
    checked: set[str] = set()  # query texts whose parse is cached: checked again without a thread hop

    def host(request: Request) -> str:
        """The scheme and authority the client used, from a Host header that is checked before any use."""
        given = request.headers.get("host")
        if given is None:
            server = request.scope.get("server") or ("127.0.0.1", 0)
            given = f"{server[0]}:{server[1]}"
        if not HOST_RE.match(given):
            raise Refused(400, "the Host header is not a host name or address with an optional port")
        return f"http://{given}"

    async def body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body:
            raise Refused(413, f"request body over {settings.max_body} bytes", {"Connection": "close"})
        chunks, size = [], 0

        async def read():
            nonlocal size
            async for chunk in request.stream():  # chunked bodies too: uvicorn undoes the chunking
                size += len(chunk)
                if size > settings.max_body:
                    raise Refused(413, f"request body over {settings.max_body} bytes", {"Connection": "close"})
                chunks.append(chunk)

        try:
            await asyncio.wait_for(read(), settings.read_timeout)
        except asyncio.TimeoutError:
            raise Refused(408, f"the request body did not arrive within {settings.read_timeout:g} s",
                          {"Connection": "close"}) from None
        return b"".join(chunks)

    def charset_of(ctype: str) -> None:
        """Refuse a body in any charset but UTF-8 (415)."""
        for part in ctype.split(";")[1:]:
            k, _, v = part.strip().partition("=")
            if k.strip().lower() == "charset" and v.strip().strip('"').lower() not in ("utf-8", "utf8"):
                raise Refused(415, f"the body must be UTF-8, not {v.strip()}")

    def utf8(data: bytes, what: str) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from None

    def form(data: str) -> dict[str, list[str]]:
        try:
            return urllib.parse.parse_qs(data, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise Refused(400, "the form is not valid UTF-8 once percent-decoded") from None

    def query_params(request: Request) -> dict[str, list[str]]:
        return form(request.scope.get("query_string", b"").decode("latin-1"))

    async def sparql(request: Request) -> Response:
        method = request.method
        params = query_params(request)
        query = None
        if method == "POST":
            ctype_full = request.headers.get("content-type") or ""
            ctype = ctype_full.split(";")[0].strip().lower()
            if ctype not in ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded"):
                raise Refused(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
            data = await body(request)
            if ctype == "application/sparql-update":
                raise Refused(403, UPDATE_REFUSED)
            charset_of(ctype_full)
            if ctype == "application/x-www-form-urlencoded":
                fields = form(utf8(data, "form"))
                if "update" in fields:
                    raise Refused(403, UPDATE_REFUSED)
                if "query" in fields and "query" in params:
                    raise Refused(400, "give the query once: in the body or in the URL, not both")
                for k, v in fields.items():
                    params.setdefault(k, []).extend(v)
            else:
                if "query" in params:
                    raise Refused(400, "give the query once: in the body or in the URL, not both")
                params["query"] = [utf8(data, "query")]
        elif "update" in params:
            raise Refused(403, UPDATE_REFUSED)
        given = params.get("query")
        if given and len(given) > 1:
            raise Refused(400, "give exactly one query parameter")
        query = given[0] if given else None
        if query is None:
            if method == "GET":
                media = sandbox.negotiate(request.headers.get("accept"), ["text/turtle", NTRIPLES]) or "text/turtle"
                try:
                    text = state.service_description(host(request) + "/sparql", media)
                except ValueError:
                    raise Refused(400, "the Host header does not make a valid IRI") from None
                return Response(text, 200, media_type=f"{media}; charset=utf-8")
            raise Refused(400, "no query: give query= or POST an application/sparql-query body")
        default_graphs = params.get("default-graph-uri")
        named_graphs = params.get("named-graph-uri")
        extra = (default_graphs or []) + (named_graphs or [])
        # A one-pattern lookup (its grammar: sandbox.is_lookup) can hold no SERVICE, FROM, LOAD or update:
        # with no dataset in the request there is nothing for the parser to refuse, and nothing to wait for.
        lookup = default_graphs is None and named_graphs is None and sandbox.is_lookup(query)
        if lookup:
            reason = None
        elif query in checked:
            reason = refuse_reason(query, state.graphs, extra)
        else:  # the first parse of a text takes milliseconds: off the event loop
            reason = await run_in_threadpool(refuse_reason, query, state.graphs, extra)
            if len(checked) < 4096:
                checked.add(query)
        if reason:
            raise Refused(400, reason)
        if lookup:
            pass  # no FROM in it, none in the request: the union of all graphs, as for any query without one
        elif default_graphs is None and named_graphs is None:
            found = check(query)
            if found.defaults or found.named:  # the query's own dataset (FROM, FROM NAMED), as the protocol says
                default_graphs, named_graphs = list(found.defaults), list(found.named)
        else:  # the protocol's dataset replaces the query's
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        base = host(request) + "/sparql"
        answer = None
        if lookup and state.isolated:
            # A one-pattern lookup costs no more than the rows it answers: answered here, on the event loop,
            # by the server process (itself in a network namespace with no interfaces) up to LOOKUP_ROWS rows;
            # past that it goes to a worker like any other query.
            answer = sandbox.execute(state.store, {"query": query, "accept": request.headers.get("accept"),
                                                   "max_rows": settings.max_rows, "base_iri": base}, LOOKUP_ROWS)
        if answer is None:
            answer = await run_in_threadpool(state.runner.run, query, request.headers.get("accept"),
                                             default_graphs, named_graphs, base)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["Rightsgraph-Truncated"] = f"results cut at {settings.max_rows} rows"
        ctype = answer.content_type if "charset" in answer.content_type else answer.content_type + "; charset=utf-8"
        return Response(answer.body, answer.status, headers=headers, media_type=ctype)

    def linked_data(request: Request, path: str) -> Response:
        media = sandbox.negotiate(request.headers.get("accept"), LD_TYPES)
        status, body, headers, ctype = kept.get(("ld", path, media), lambda: render_linked_data(path, media))
        return Response(body, status, headers=headers, media_type=ctype)

    def render_linked_data(path: str, media: str | None) -> tuple:
        try:
            response = linked_data_response(path, media)
        except Refused as exc:
            return exc.status, exc.reason.rstrip("\n") + "\n", exc.headers, TEXT
        return response.status_code, response.body, {"Vary": "Accept"}, response.media_type

    def linked_data_response(path: str, media: str | None) -> Response:
        iri = state.iri(path)
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Refused(400, "the path holds characters not allowed in an IRI") from None
        if media is None:
            raise Refused(406, "available as " + ", ".join(LD_TYPES), {"Vary": "Accept"})
        if media == "text/html":
            from rightsgraph.web import pages

            if path.startswith("/claim/"):
                doc = pages.claim(state.store, iri, state.link, paths=settings.paths)
            elif path.startswith("/id/source/"):
                doc = pages.source(state.store, iri, state.link, paths=settings.paths)
            else:
                doc = pages.entity(state.store, iri, state.link, paths=settings.paths)
            if doc is None:
                raise Refused(404, f"no such resource: {iri}", {"Vary": "Accept"})
            return Response(doc, 200, headers={"Vary": "Accept"}, media_type=HTML)
        if media == nanopub.MEDIA_TYPE and path.startswith("/claim/") and iri in state.graphs:
            # the claim's nanopublication as the export has it (its trusty URI is the one the pages show)
            doc = nanopub.maker(state.store, settings.paths).make(iri).trig()
            return Response(doc, 200, headers={"Vary": "Accept"}, media_type=f"{media}; charset=utf-8")
        data = state.about(iri)
        if data is None:
            raise Refused(404, f"no such resource: {iri}", {"Vary": "Accept"})
        return Response(state.rdf(data, media), 200, headers={"Vary": "Accept"}, media_type=f"{media}; charset=utf-8")

    def export_file(name: str) -> Response:
        fmt = exports.by_filename(name)  # by the whole name: rightsgraph.np.trig is not rightsgraph.trig
        path = settings.exports / name
        if "/" in name or "\\" in name or name.startswith(".") or fmt is None or fmt.filename != name or not path.is_file():
            raise Refused(404, "no such export")
        return Response(path.read_bytes(), 200, media_type=f"{fmt.media_type}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    def run_named(text: str, named: queries.NamedQuery | None, bound: dict):
        """Run a named query (with its parameters) or SPARQL text for a page; (result, error)."""
        from rightsgraph.sparql.results import from_json_binding

        try:
            full = queries.with_values(named.text, queries.bind(named, bound)) if named else text
            reason = refuse_reason(full, state.graphs, [])
            if reason:
                return None, reason
            answer = state.runner.run(full, "application/sparql-results+json")
            if answer.status != 200:
                return None, answer.body.decode("utf-8", "replace")
            doc = json.loads(answer.body)
            if "boolean" in doc:
                return queries.Result(["boolean"], [(str(doc["boolean"]).lower(),)]), None
            names = doc["head"]["vars"]
            rows = [tuple(from_json_binding(b.get(n)) for n in names) for b in doc["results"]["bindings"]]
            return queries.Result(names, rows), None
        except sandbox.QueryTimeout:
            raise
        except (UsageError, ValueError) as exc:  # shown on the page, as a person expects
            return None, str(exc)

    def page(request: Request, path: str, params: dict) -> Response:
        from rightsgraph.web import pages

        project = settings.paths
        first = lambda key: (params.get(key) or [""])[0]  # noqa: E731
        if path == "/":
            return Response(kept.get(("home",), lambda: pages.home(state.store, state.link, paths=project)), media_type=HTML)
        if path == "/search":
            return Response(pages.search(state.store, first("q"), state.link, paths=project), media_type=HTML)
        if path == "/queries":
            return Response(kept.get(("queries",), lambda: pages.queries_page(state.link, paths=project)), media_type=HTML)
        if path.startswith("/queries/") or path == "/query":
            bound = {k: v[0] for k, v in params.items() if k != "query"}
            status, result, error = 200, None, None
            if path.startswith("/queries/"):
                # a name of the project's named queries, never a path: nothing else is read from disk
                text = path[len("/queries/"):]
                named = queries.named(project.queries).get(text)
                if named is None:
                    status, error = 404, f"no named query {text!r}: /queries lists them"
                else:
                    result, error = run_named(text, named, bound)
            else:
                text = first("query")  # SPARQL text or a named query's name, never a file name
                if text:
                    named = queries.named(project.queries).get(text) if len(text) < 200 else None
                    result, error = run_named(text, named, bound if named else {})
            return Response(pages.query_result(text, result, error, state.link, bound, paths=project), status,
                            media_type=HTML)
        if path == "/viz":
            from rightsgraph.outputs import visuals

            focus = first("focus")
            hops = first("hops") or "1"
            if not hops.isdigit() or not 0 <= int(hops) <= 6:
                raise Refused(400, "hops must be a whole number from 0 to 6")
            try:
                g = visuals.network(state.store, project, focus=focus or None, hops=int(hops))
            except UsageError as exc:
                raise Refused(404, str(exc).splitlines()[0] if str(exc) else "no such entity") from None
            title = f"rightsgraph: around {focus}" if focus else "rightsgraph network"
            return Response(visuals.render(g, title), media_type=HTML)
        raise Refused(404, "not found")

    async def dispatch(request: Request) -> Response:
        path, method = request.url.path, request.method
        try:
            if method == "OPTIONS":
                headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
                origin = request.headers.get("origin")
                if origin and ("*" in settings.cors or origin in settings.cors):
                    headers.update({"Access-Control-Allow-Methods": "GET, POST",
                                    "Access-Control-Allow-Headers": "Content-Type, Accept"})
                return Response(b"", 204, headers=headers)
            if method not in ("GET", "HEAD", "POST"):
                if path in ("/sparql", "/store", "/update"):
                    raise Refused(405, "this endpoint is read-only", {"Allow": "GET, HEAD, POST"})
                raise Refused(405, "method not allowed", {"Allow": "GET, HEAD"})
            if path == "/sparql":
                return await sparql(request)
            if path in ("/store", "/update"):
                raise Refused(403 if method == "POST" else 405, "this endpoint is read-only")
            if method == "POST":
                raise Refused(405, "method not allowed", {"Allow": "GET, HEAD"})
            if path.startswith("/id/") or path.startswith("/claim/"):
                return await run_in_threadpool(linked_data, request, path)
            if path in ("/void", "/.well-known/void"):
                base = host(request)
                try:
                    text = await run_in_threadpool(state.void, base)
                except ValueError:
                    raise Refused(400, "the Host header does not make a valid IRI") from None
                return Response(text, media_type="text/turtle; charset=utf-8")
            if path.startswith("/exports/"):
                return export_file(path[len("/exports/"):])
            return await run_in_threadpool(page, request, path, query_params(request))
        except Refused as exc:
            return _text(exc.status, exc.reason, exc.headers)
        except sandbox.QueryTimeout as exc:
            return _text(503, str(exc), {"Retry-After": "1"})

    mounted = sub_apps(state) if mounts is None else mounts
    routes = [*(r for prefix, sub in mounted.items() for r in (Route(prefix, AtRoot(sub, prefix)), Mount(prefix, app=sub))),
              Route("/{path:path}", dispatch, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])]

    async def failed(request: Request, exc: Exception) -> Response:
        return _text(500, f"internal error: {type(exc).__name__}")

    inner = Starlette(routes=routes, exception_handlers={Exception: failed})
    inner.state.app = state
    wrapped = Headers(Guard(inner, settings.token), settings.cors)
    wrapped.state = inner.state  # type: ignore[attr-defined]
    return wrapped


def make(settings: Settings, mounts: dict[str, Callable] | None = None):
    """The ASGI application over a new :class:`App`; ``make(...).state.app`` holds the query workers."""
    return application(App(settings), mounts)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False, ready=None,
          mounts: dict[str, Callable] | None = None) -> None:
    """Serve until interrupted, on uvicorn: HTTP/1.1 with keep-alive, the idle timeout, its header limits."""
    import socket

    import uvicorn

    # The socket is bound first; then this process leaves the network for a namespace with no interfaces
    # (before any thread starts: a new user namespace needs a single-threaded process). The bound socket
    # keeps serving; nothing in the process (nor the workers it starts) can open a connection anywhere.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=1024)
    except OSError as exc:  # taken port, unknown address: said in one line, as uvicorn did before
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    refused = sandbox.isolate_network()
    asgi = make(settings, mounts)
    asgi.state.app.isolated = refused is None
    asgi.state.app.isolation_refused = refused
    config = uvicorn.Config(asgi, host=host, port=port, log_level="info" if verbose else "warning",
                            access_log=verbose, timeout_keep_alive=int(max(settings.idle_timeout, 1)),
                            server_header=False, lifespan="off", proxy_headers=False,
                            limit_concurrency=1000, backlog=1024)
    if ready:
        ready(asgi.state.app)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        asgi.state.app.runner.close()
