"""A reconciliation service over the public release: the W3C Entity Reconciliation Community Group's
Reconciliation Service API, version 0.2, which OpenRefine speaks.

    GET  /                         the service manifest (JSON)
    GET|POST / ?queries={...}      a batch of reconciliation queries (with types, property constraints, limit)
    GET  /preview?id=ID            an HTML preview of an entity, for the iframe OpenRefine shows
    GET  /suggest/entity?prefix=   entities whose names begin (or nearly begin) with the prefix
    GET  /suggest/type?prefix=     the ontology's classes in use
    GET  /suggest/property?prefix= the ontology's properties in use

A ``callback`` parameter wraps any JSON answer as JSONP. Ids are the entity's IRI below
``https://w3id.org/rightsgraph/id/`` (``facility/kwanliso-15``); a full IRI is taken too.

Every name the release knows counts: each entity's label and every other name (``skos:altLabel``), read
from the release's label index (:func:`rightsgraph.store.labels.of_store`, the one ``describe`` reads, with the
same folding, :func:`rightsgraph.claims.names.normalize_name`).
The scorer, :func:`rightsgraph.claims.names.similarity`, adds word order and the romanisations of
Korean. Types come from ``entity-types`` and the ontology's labels; property values from
``entity-facts``. Everything is read once when the service starts: the release is fixed while it runs.

A query's score (0 to 100) is the best similarity of any of the entity's names; with property
constraints, the name counts three times and each property once (its best value's similarity, 100 for
the same entity id). ``match`` is true when the best candidate scores 95 or more and no other candidate
scores within 10 points of it (two entities with the same name never match).
"""

from __future__ import annotations

import html
import json
import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from rightsgraph.claims.names import NameKeys, normalize_name, similarity
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import ID, RG
from rightsgraph.paths import Paths
from rightsgraph.release import publish
from rightsgraph.sparql import queries
from rightsgraph.store import embedded
from rightsgraph.store import labels as label_index

#: The API versions this service speaks.
VERSIONS = ["0.2"]
#: Candidates returned when a query names no limit, and the least score a candidate needs to be returned.
DEFAULT_LIMIT = 5
MIN_SCORE = 30.0
#: ``match``: the least score, and the least lead over the second candidate.
MATCH_SCORE = 95.0
MATCH_LEAD = 10.0
#: How much the name counts against each property constraint.
NAME_WEIGHT = 3.0
#: The size of the preview (the manifest tells OpenRefine).
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160
#: The preview is shown in an iframe of OpenRefine's page: its own policy lets any page frame it (a server's
#: ``frame-ancestors`` in the Content-Security-Policy supersedes ``X-Frame-Options``) and loads nothing.
PREVIEW_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"}
#: A batch larger than this is refused (400): OpenRefine sends 10 queries at a time.
MAX_BATCH = 500
#: The largest request body read (a form of queries).
MAX_BODY = 4 * 1024 * 1024


class BadRequest(Exception):
    """A request the service cannot answer: 400 with a one-line reason."""


@dataclass
class Entity:
    """What the service knows of one entity: its names, classes and property values."""

    iri: str
    label: str
    names: dict[str, NameKeys] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    #: property IRI -> [(value as text, value IRI or None)]
    facts: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)


def entity_id(iri: str) -> str:
    """The service's id of an entity: its IRI without the ``id/`` base."""
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def entity_iri(ident: str) -> str:
    """The IRI of an id (a full IRI is left as it is)."""
    return ident if ident.startswith(("http://", "https://")) else f"{ID}{ident}"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class Reconciler:
    """The reconciliation data of one store and its ontology, and the answers of the API."""

    def __init__(self, store: ox.Store, onto: ontology_mod.Ontology, query_folder, name: str = "rightsgraph"):
        self.name = name
        self.onto = onto
        self.entities: dict[str, Entity] = {}
        self._names(store)
        for entity, cls in queries.run(store, self._query(query_folder, "entity-types")).rows:
            if str(entity) in self.entities:
                self.entities[str(entity)].classes.add(str(cls))
        self.properties: dict[str, str] = {}  # property IRI -> label
        for entity, prop, value, value_label in queries.run(store, self._query(query_folder, "entity-facts")).rows:
            e = self.entities.get(str(entity))
            if e is None:
                continue
            is_iri = isinstance(value, URIRef)
            text = str(value_label) if value_label is not None else (entity_id(str(value)) if is_iri else str(value))
            e.facts.setdefault(str(prop), []).append((text, str(value) if is_iri else None))
            self.properties.setdefault(str(prop), onto.label(URIRef(str(prop))))
        self.types: dict[str, str] = {}  # class IRI in use -> label
        for e in self.entities.values():
            for c in e.classes:
                self.types.setdefault(c, onto.label(URIRef(c)))
        self._specific: dict[str, list[str]] = {}

    @staticmethod
    def _query(folder, name: str) -> queries.NamedQuery:
        path = folder / f"{name}.rq"
        return queries.parse(path.read_text(encoding="utf-8"), name, path)

    def _names(self, store: ox.Store) -> None:
        """Every label and other name, from the store's label index (the one ``describe`` reads)."""
        index = label_index.of_store(store)
        for iri, name in index.pairs():
            e = self.entities.get(iri)
            if e is None:
                e = self.entities[iri] = Entity(iri, index.labels.get(iri, name))
            e.names.setdefault(name, NameKeys.of(name))

    # -- types and properties -----------------------------------------------------------------------------

    def _class(self, ident: str) -> str | None:
        """The class IRI of a type id (a local name such as ``DetentionFacility``, or a full IRI)."""
        if ident.startswith(("http://", "https://")):
            return ident if URIRef(ident) in self.onto.classes else None
        found = self.onto.class_named(ident)
        return str(found) if found is not None else None

    def _property(self, ident: str) -> str:
        return ident if ident.startswith(("http://", "https://")) else f"{RG}{ident}"

    def is_a(self, entity: Entity, cls: str) -> bool:
        return any(self.onto.is_a(URIRef(c), URIRef(cls)) for c in entity.classes)

    def specific_types(self, entity: Entity) -> list[dict]:
        """The entity's most specific classes (those no other class of it falls under), as API types."""
        found = self._specific.get(entity.iri)
        if found is None:
            found = self._specific[entity.iri] = sorted(
                c for c in entity.classes
                if not any(o != c and self.onto.is_a(URIRef(o), URIRef(c)) for o in entity.classes))
        return [{"id": _local(c), "name": self.types[c]} for c in found]

    # -- reconciliation -----------------------------------------------------------------------------------

    def name_score(self, keys: NameKeys, entity: Entity) -> tuple[float, str]:
        """The best similarity (0 to 100) of any of the entity's names, and that name."""
        best, best_name = 0.0, entity.label
        for name, nk in entity.names.items():
            s = similarity(keys, nk, best)
            if s > best or (s == best and name == entity.label):
                best, best_name = s, name
        return round(100 * best, 1), best_name

    def _property_score(self, entity: Entity, prop: str, wanted: list) -> float:
        values = entity.facts.get(prop, [])
        best = 0.0
        for want in wanted:
            if isinstance(want, dict):
                want_iri = entity_iri(str(want.get("id", "")))
                if any(iri == want_iri for _, iri in values):
                    return 100.0
                want = want.get("name") or ""
            want_keys = NameKeys.of(str(want))
            for text, _ in values:
                best = max(best, 100 * similarity(want_keys, NameKeys.of(text)))
        return round(best, 1)

    def reconcile(self, query: dict) -> list[dict]:
        """The candidates of one reconciliation query, best first."""
        text = query.get("query")
        if text is not None and not isinstance(text, str):
            raise BadRequest("a query's 'query' must be a string")
        wanted_types = query.get("type")
        if isinstance(wanted_types, str):
            wanted_types = [wanted_types]
        classes = []
        for t in wanted_types or []:
            cls = self._class(str(t))
            if cls is None:
                return []  # a type this graph does not have: no candidate can be of it
            classes.append(cls)
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit < 0:
            raise BadRequest("a query's 'limit' must be a number of candidates")
        constraints = []
        for pv in query.get("properties") or []:
            if not isinstance(pv, dict) or "pid" not in pv or "v" not in pv:
                raise BadRequest("each property constraint needs 'pid' and 'v'")
            values = pv["v"] if isinstance(pv["v"], list) else [pv["v"]]
            constraints.append((self._property(str(pv["pid"])), str(pv["pid"]), values))
        if not text and not constraints:
            return []
        keys = NameKeys.of(text or "")
        scored = []
        for e in self.entities.values():
            if classes and not any(self.is_a(e, c) for c in classes):
                continue
            name, matched = self.name_score(keys, e) if text else (0.0, e.label)
            features = [{"id": "name", "value": name}]
            total, weight = (NAME_WEIGHT * name, NAME_WEIGHT) if text else (0.0, 0.0)
            for prop, pid, values in constraints:
                s = self._property_score(e, prop, values)
                features.append({"id": f"property:{pid}", "value": s})
                total, weight = total + s, weight + 1
            score = round(total / weight, 1)
            if score >= MIN_SCORE:
                scored.append((score, e, matched, features))
        scored.sort(key=lambda t: (-t[0], t[1].label, t[1].iri))
        out = []
        for i, (score, e, matched, features) in enumerate(scored[:int(limit)]):
            lead = score - scored[1][0] if len(scored) > 1 else score
            cand = {"id": entity_id(e.iri), "name": e.label, "score": score,
                    "match": i == 0 and score >= MATCH_SCORE and lead >= MATCH_LEAD,
                    "type": self.specific_types(e), "features": features}
            if matched != e.label:
                cand["description"] = f"also called {matched}"
            out.append(cand)
        return out

    def batch(self, batch) -> dict:
        """Answers of a batch of queries (``{"q0": {"query": ...}, ...}``), by the same keys."""
        if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
            raise BadRequest("'queries' must be a JSON object of query objects")
        if len(batch) > MAX_BATCH:
            raise BadRequest(f"at most {MAX_BATCH} queries in one batch")
        return {key: {"result": self.reconcile(q)} for key, q in batch.items()}

    # -- suggest ------------------------------------------------------------------------------------------

    def suggest_entities(self, prefix: str, limit: int = 10) -> list[dict]:
        """Entities with a name whose folded words begin with ``prefix`` (names starting with it first), else
        the closest names."""
        want = normalize_name(prefix)
        if not want:
            return []
        ranked = []
        for e in self.entities.values():
            best = None
            for name in e.names:
                folded = normalize_name(name)
                rank = 0 if folded.startswith(want) else 1 if f" {want}" in f" {folded}" else None
                if rank is not None and (best is None or (rank, name != e.label) < best[:2]):
                    best = (rank, name != e.label, name)
            if best is not None:
                ranked.append((best[0], best[1], e.label, e, best[2]))
        if not ranked:
            keys = NameKeys.of(prefix)
            close = sorted(((-self.name_score(keys, e)[0], e.label, e) for e in self.entities.values()),
                           key=lambda t: (t[0], t[1]))
            ranked = [(2, False, label, e, e.label) for s, label, e in close if -s >= 70]
        ranked.sort(key=lambda t: t[:3])
        out = []
        for _, _, _, e, name in ranked[:limit]:
            item = {"id": entity_id(e.iri), "name": e.label, "notable": self.specific_types(e)}
            if name != e.label:
                item["description"] = f"also called {name}"
            out.append(item)
        return out

    def suggest_types(self, prefix: str, limit: int = 10) -> list[dict]:
        want = normalize_name(prefix)
        found = sorted((label, c) for c, label in self.types.items()
                       if f" {want}" in f" {normalize_name(label)}" or f" {want}" in f" {normalize_name(_local(c))}")
        return [{"id": _local(c), "name": label} for label, c in found[:limit]]

    def suggest_properties(self, prefix: str, limit: int = 10) -> list[dict]:
        want = normalize_name(prefix)
        found = sorted((label, p) for p, label in self.properties.items()
                       if f" {want}" in f" {normalize_name(label)}" or f" {want}" in f" {normalize_name(_local(p))}")
        return [{"id": _local(p), "name": label} for label, p in found[:limit]]

    # -- manifest and preview -----------------------------------------------------------------------------

    def manifest(self, base: str) -> dict:
        """The service manifest; ``base`` is the service's own URL, ending in ``/``."""
        defaults = [c for c in ("Person", "DetentionFacility", "Place", "Organization", "Event", "Document")
                    if f"{RG}{c}" in self.types]
        return {
            "versions": VERSIONS,
            "name": self.name,
            "identifierSpace": str(ID),
            "schemaSpace": str(RG),
            "view": {"url": f"{ID}{{{{id}}}}"},
            "defaultTypes": [{"id": c, "name": self.types[f"{RG}{c}"]} for c in defaults],
            "preview": {"url": f"{base}preview?id={{{{id}}}}", "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
            "suggest": {
                "entity": {"service_url": base.rstrip("/"), "service_path": "/suggest/entity"},
                "type": {"service_url": base.rstrip("/"), "service_path": "/suggest/type"},
                "property": {"service_url": base.rstrip("/"), "service_path": "/suggest/property"},
            },
        }

    def preview(self, ident: str) -> str | None:
        """A small HTML page about the entity ``ident``, or None when the release has no such entity."""
        e = self.entities.get(entity_iri(ident))
        if e is None:
            return None
        esc = html.escape
        types = ", ".join(t["name"] for t in self.specific_types(e))
        others = sorted(n for n in e.names if n != e.label)
        shown = "; ".join(esc(n) for n in others[:8]) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
        facts = sum(len(v) for v in e.facts.values())
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                f"{esc(e.label)}</title></head>\n<body style=\"font: 13px sans-serif; margin: 4px\">\n"
                f"<p><a href=\"{esc(e.iri)}\" target=\"_blank\"><b>{esc(e.label)}</b></a> <i>{esc(types)}</i></p>\n"
                + (f"<p>Also called: {shown}</p>\n" if others else "")
                + f"<p>{facts} statement{'s' if facts != 1 else ''} in the public release. "
                f"<code>{esc(entity_id(e.iri))}</code></p>\n</body></html>\n")


# -- HTTP -----------------------------------------------------------------------------------------------------

def _json(request: Request, data) -> Response:
    callback = request.query_params.get("callback")
    if callback:
        if not callback.replace("_", "").replace(".", "").isalnum():
            return _bad("the callback must be a JavaScript name")
        body = f"/**/{callback}({json.dumps(data, ensure_ascii=False)});"
        return Response(body, media_type="text/javascript; charset=utf-8")
    return JSONResponse(data)


def _bad(reason: str) -> Response:
    return Response(reason + "\n", status_code=400, media_type="text/plain; charset=utf-8")


def _base(request: Request) -> str:
    """The service's own URL, ending in ``/``: the service answers at its root, so this is the request's URL
    without its query (``/reconcile`` and ``/reconcile/`` both)."""
    url = str(request.url.replace(query="", fragment=""))
    return url if url.endswith("/") else url + "/"


def app(reconciler: Reconciler) -> Starlette:
    """The reconciliation service as an ASGI application (mount it anywhere, e.g. ``/reconcile``)."""

    async def service(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            ctype = request.headers.get("content-type", "application/x-www-form-urlencoded").split(";")[0].strip()
            if ctype != "application/x-www-form-urlencoded":
                return _bad("post the queries as a form (application/x-www-form-urlencoded)")
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY:
                    return _bad(f"the request body is larger than {MAX_BODY} bytes")
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                return _bad("the request body is not UTF-8")
            params.update({k: v[-1] for k, v in form.items()})
        raw = params.get("queries")
        if raw is None:
            return _json(request, reconciler.manifest(_base(request)))
        try:
            batch = json.loads(raw)
        except ValueError as err:
            return _bad(f"'queries' is not JSON: {err}")
        try:  # the scoring is CPU work: the event loop keeps answering meanwhile
            return _json(request, await run_in_threadpool(reconciler.batch, batch))
        except BadRequest as err:
            return _bad(str(err))

    async def preview(request: Request) -> Response:
        ident = request.query_params.get("id")
        if not ident:
            return _bad("preview needs an id")
        page = reconciler.preview(ident)
        if page is None:
            return Response("the release has no entity of that id\n", status_code=404,
                            media_type="text/plain; charset=utf-8")
        return HTMLResponse(page, headers=PREVIEW_HEADERS)

    def suggester(answer):
        async def suggest(request: Request) -> Response:
            prefix = request.query_params.get("prefix", "")
            try:
                cursor = int(request.query_params.get("cursor", "0") or 0)
            except ValueError:
                return _bad("cursor must be a number")
            return _json(request, {"result": answer(prefix, limit=10 + cursor)[cursor:]})
        return suggest

    routes = [
        Route("/", service, methods=["GET", "POST"]),
        Route("/preview", preview, methods=["GET"]),
        Route("/suggest/entity", suggester(reconciler.suggest_entities), methods=["GET"]),
        Route("/suggest/type", suggester(reconciler.suggest_types), methods=["GET"]),
        Route("/suggest/property", suggester(reconciler.suggest_properties), methods=["GET"]),
    ]
    service_app = Starlette(routes=routes)
    service_app.state.service = service
    return service_app


def routes(reconciler: Reconciler, path: str = "/reconcile") -> list:
    """The routes that put the service at ``path`` of an application: the service itself at ``path`` with or
    without the final slash (a POST is not redirected: OpenRefine posts to the URL it was given), and the rest
    below it."""
    inner = app(reconciler)
    return [Route(path, inner.state.service, methods=["GET", "POST"]), Mount(path, app=inner)]


def for_release(paths: Paths, audience: str = publish.DEFAULT) -> Reconciler:
    """The reconciler of ``audience``'s release of the project (the public one by default), never the internal
    store unless that audience is the internal one."""
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    store = embedded.open(publish.store_path(paths, audience, onto))
    return Reconciler(store, onto, paths.queries, name=f"rightsgraph ({audience} release)")


def application(state) -> Starlette:
    """The service over the store the server serves (``state``: :class:`rightsgraph.web.server.App`, whose store
    is the release ``serve`` opened, the public one unless told otherwise), for the server to mount."""
    project = state.settings.paths
    onto = ontology_mod.load(project.ontology / "rightsgraph.ttl")
    return app(Reconciler(state.store, onto, project.queries, name="rightsgraph"))
