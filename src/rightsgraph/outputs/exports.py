"""Exports for linked-data consumers: Turtle (facts, the union of all graphs), TriG, N-Quads, JSON-LD and
nanopublications (every claim on its own, named by a trusty URI: :mod:`rightsgraph.outputs.nanopub`).

:data:`FORMATS` is the one list of them: each entry names the format, its file suffix, its media type,
what it holds and its writer. The ``export`` command's choices, the server's content negotiation and
its download links, the pages' download list and the build's exports all read it, so adding a
format is one entry. TriG, N-Quads and JSON-LD keep every named graph and the provenance graph;
JSON-LD is compacted with the project's own ``@context`` (``ontology/context.jsonld``), embedded,
never fetched.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import RDF, XSD

from rightsgraph.errors import UsageError
from rightsgraph.namespaces import PREFIXES
from rightsgraph.outputs import nanopub
from rightsgraph.paths import Paths

#: Prefixes written into Turtle and TriG (the shapes' and OWL's are not used by the data).
_PREFIXES = {k: v for k, v in PREFIXES.items() if k not in ("sh", "rgsh", "owl")}


def context(paths: Paths) -> dict:
    """Return the project's JSON-LD context (the value of ``@context`` in ``ontology/context.jsonld``)."""
    path = paths.ontology / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _union_triples(store: ox.Store):
    """Every triple of ``store`` once, whichever graph holds it (the query ships with the package)."""
    text = resources.files(__package__).joinpath("rq", "union-triples.rq").read_text(encoding="utf-8")
    return store.query(text, use_default_graph_as_union=True)


def _turtle(store: ox.Store, out: BinaryIO, paths: Paths) -> None:
    ox.serialize(_union_triples(store), out, ox.RdfFormat.TURTLE, prefixes=_PREFIXES)


def _trig(store: ox.Store, out: BinaryIO, paths: Paths) -> None:
    store.dump(out, ox.RdfFormat.TRIG, prefixes=_PREFIXES)


def _nquads(store: ox.Store, out: BinaryIO, paths: Paths) -> None:
    store.dump(out, ox.RdfFormat.N_QUADS)


def _jsonld(store: ox.Store, out: BinaryIO, paths: Paths) -> None:
    write_jsonld(store, out, context(paths))


@dataclass(frozen=True)
class Format:
    """One export format: its name (``--format``), file suffix, media type, what it holds, and its writer.

    ``writer(store, out, paths)`` writes the whole of ``store`` to the binary file ``out``; ``paths``
    gives the project's files a format needs (the JSON-LD context).
    """

    name: str
    suffix: str
    media_type: str
    description: str
    writer: Callable[[ox.Store, BinaryIO, Paths], None]

    @property
    def filename(self) -> str:
        """The file name the build gives this export (``rightsgraph.ttl``)."""
        return f"{STEM}.{self.suffix}"


#: The stem of the export files (``rightsgraph.ttl``, ``rightsgraph.trig`` ...).
STEM = "rightsgraph"

#: Every export format, by name, in the order they are offered.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", "ttl", "text/turtle", "Turtle: the facts, the union of all graphs", _turtle),
    Format("trig", "trig", "application/trig", "TriG: every named graph, with its provenance", _trig),
    Format("nquads", "nq", "application/n-quads", "N-Quads: every named graph, with its provenance", _nquads),
    Format("jsonld", "jsonld", "application/ld+json", "JSON-LD: every named graph, with its provenance", _jsonld),
    Format("nanopub", "np.trig", nanopub.MEDIA_TYPE,
           "Nanopublications (TriG): every claim with its provenance, named by a trusty URI anyone can check",
           nanopub.write),
)}


def by_suffix(suffix: str) -> Format | None:
    """The format whose file suffix is ``suffix`` (without the dot), or None.

    >>> by_suffix("nq").name
    'nquads'
    """
    return next((f for f in FORMATS.values() if f.suffix == suffix), None)


def by_filename(name: str) -> Format | None:
    """The format whose export file is called ``name`` (``rightsgraph.np.trig``), or None.

    >>> by_filename("rightsgraph.np.trig").name
    'nanopub'
    """
    return next((f for f in FORMATS.values() if f.filename == name), None)


def by_media_type(media_type: str) -> Format | None:
    """The format whose media type is ``media_type``, or None.

    >>> by_media_type("application/trig").name
    'trig'
    """
    return next((f for f in FORMATS.values() if f.media_type == media_type), None)


def get(fmt: str) -> Format:
    """The format called ``fmt``, or UsageError listing the formats."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt]


def dump(store: ox.Store, fmt: str, out: BinaryIO, paths: Paths) -> None:
    """Write the whole of ``store`` in format ``fmt`` to the binary file ``out``."""
    get(fmt).writer(store, out, paths)


def serialize(quads, fmt: str, paths: Paths) -> bytes:
    """Return ``quads`` (pyoxigraph quads, e.g. the RDF of one entity) written in format ``fmt``, as an export is."""
    writer = get(fmt).writer
    store = ox.Store()
    store.extend(quads)
    out = io.BytesIO()
    writer(store, out, paths)
    return out.getvalue()


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


def write_jsonld(store: ox.Store, out, ctx: dict) -> None:
    """Stream the store as JSON-LD, graph by graph and subject by subject, compacted with the project's context.

    Written by hand rather than through an in-memory JSON-LD library so that the time and memory
    grow with the graph only as a walk over its quads does (a named graph at a time).
    """
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


def write(store: ox.Store, fmt: str, path: Path, paths: Paths) -> Path:
    """Write the store in format ``fmt`` to ``path``, atomically (a temporary file, then a rename)."""
    get(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            dump(store, fmt, out, paths)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_all(store: ox.Store, folder: Path, paths: Paths) -> dict[str, Path]:
    """Write every format into ``folder`` under its file name; return format name -> path."""
    return {name: write(store, name, folder / f.filename, paths) for name, f in FORMATS.items()}
