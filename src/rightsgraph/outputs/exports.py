"""Exports for linked-data consumers: Turtle (facts, the union of all graphs), TriG, N-Quads and JSON-LD.

TriG, N-Quads and JSON-LD keep every named graph and the provenance graph; JSON-LD is compacted
with the project's own ``@context`` (``ontology/context.jsonld``), embedded, never fetched.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD

from rightsgraph.errors import UsageError
from rightsgraph.namespaces import PREFIXES
from rightsgraph.paths import project

#: Format name -> file suffix.
FORMATS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld"}
_OX = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}


def context(path: Path | None = None) -> dict:
    """Return the project's JSON-LD context (the value of ``@context``)."""
    path = path or project().ontology / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _dump(store: ox.Store, fmt: str, out, ctx: dict | None = None) -> None:
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh", "rgsh", "owl")}
    if fmt == "turtle":
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "jsonld":
        write_jsonld(store, out, ctx)
    elif fmt == "trig":
        store.dump(out, ox.RdfFormat.TRIG, prefixes=prefixes)
    else:
        store.dump(out, _OX[fmt])


_RDF_TYPE = str(RDF.type)
_XSD_STRING = str(XSD.string)


class _Compactor:
    """IRIs written short with the context: a term where the context defines one, else a prefixed name."""

    def __init__(self, ctx: dict) -> None:
        self.prefixes = sorted(((iri, name) for name, iri in ctx.items()
                                if isinstance(iri, str) and iri.endswith(("/", "#"))), key=lambda kv: -len(kv[0]))
        self.terms: dict[str, tuple[str, str | None]] = {}  # property IRI -> (term, its coercion)
        for term, definition in ctx.items():
            if isinstance(definition, str) and not definition.endswith(("/", "#")):
                self.terms[self.expand(definition)] = (term, None)
            elif isinstance(definition, dict):
                coercion = definition.get("@type")
                self.terms[self.expand(definition["@id"])] = (term, coercion if coercion == "@id" else
                                                              self.expand(coercion) if coercion else None)
        self._iris: dict[str, str] = {}

    def expand(self, curie: str) -> str:
        prefix, _, rest = curie.partition(":")
        for iri, name in self.prefixes:
            if name == prefix:
                return iri + rest
        return curie

    def iri(self, iri: str) -> str:
        """The IRI as a JSON string, shortened by a prefix when one fits."""
        cached = self._iris.get(iri)
        if cached is None:
            short = iri
            for full, name in self.prefixes:
                rest = iri[len(full):]
                if iri.startswith(full) and rest and not rest.startswith("//") and ":" not in rest:
                    short = f"{name}:{rest}"
                    break
            cached = self._iris[iri] = json.dumps(short, ensure_ascii=False)
        return cached


def _object(c: _Compactor, term, coercion: str | None) -> str:
    """A JSON-LD value for an object term, bare only where the key's coercion makes it so."""
    if isinstance(term, ox.NamedNode):
        return c.iri(term.value) if coercion == "@id" else '{"@id":' + c.iri(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"@id":' + json.dumps("_:" + term.value) + "}"
    value = json.dumps(term.value, ensure_ascii=False)
    if term.language:
        return '{"@value":' + value + ',"@language":' + json.dumps(term.language) + "}"
    datatype = term.datatype.value
    if coercion is not None and coercion == datatype:
        return value
    if datatype == _XSD_STRING:
        return '{"@value":' + value + "}"
    return '{"@value":' + value + ',"@type":' + c.iri(datatype) + "}"


def write_jsonld(store: ox.Store, out, ctx: dict | None = None) -> None:
    """Stream the store as JSON-LD, graph by graph and subject by subject, compacted with the project's context.

    Written by hand rather than through an in-memory JSON-LD library so that the time and memory
    grow with the graph only as a walk over its quads does (a named graph at a time).
    """
    ctx = context() if ctx is None else ctx
    c = _Compactor(ctx)
    write = out.write
    write(b'{"@context":' + json.dumps(ctx, indent=1).encode() + b',\n"@graph":[')
    first_graph = True
    graphs = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: g.value)]
    for graph in graphs:
        nodes: list[str] = []
        subject = None
        props: dict[str, list[str]] = {}
        types: list[str] = []

        def close() -> None:
            if subject is None:
                return
            parts = ['"@id":' + c.iri(subject.value) if isinstance(subject, ox.NamedNode)
                     else '"@id":' + json.dumps("_:" + subject.value)]
            if types:
                parts.append('"@type":[' + ",".join(types) + "]")
            parts.extend(key + ":[" + ",".join(values) + "]" for key, values in props.items())
            nodes.append("{" + ",".join(parts) + "}")

        for quad in store.quads_for_pattern(None, None, None, graph):
            if quad.subject != subject:
                close()
                subject, props, types = quad.subject, {}, []
            predicate = quad.predicate.value
            if predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                types.append(c.iri(quad.object.value))
                continue
            term, coercion = c.terms.get(predicate, (None, None))
            key = json.dumps(term) if term else c.iri(predicate)
            props.setdefault(key, []).append(_object(c, quad.object, coercion))
        close()
        if not nodes:
            continue
        separator = b"" if first_graph else b","
        if isinstance(graph, ox.DefaultGraph):  # default-graph nodes stand at the top level
            write(separator + b"\n" + ",\n".join(nodes).encode("utf-8"))
        else:
            write(separator + b'\n{"@id":' + c.iri(graph.value).encode("utf-8")
                  + b',"@graph":[\n' + ",\n".join(nodes).encode("utf-8") + b"\n]}")
        first_graph = False
    write(b"\n]}\n")


def write(store: ox.Store, fmt: str, path: Path, ctx: dict | None = None) -> Path:
    """Write the store in format ``fmt`` to ``path``, atomically (a temporary file, then a rename)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            _dump(store, fmt, out, ctx)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_all(store: ox.Store, folder: Path, stem: str = "rightsgraph", ctx: dict | None = None) -> dict[str, Path]:
    """Write every format into ``folder`` (JSON-LD with the context ``ctx``); return format -> path."""
    return {fmt: write(store, fmt, folder / f"{stem}.{suffix}", ctx) for fmt, suffix in FORMATS.items()}
