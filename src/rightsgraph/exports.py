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
from rdflib import Dataset

from .errors import UsageError
from .namespaces import PREFIXES
from .paths import project

#: Format name -> file suffix.
FORMATS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "jsonld": "jsonld"}
_OX = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE}


def context(path: Path | None = None) -> dict:
    """Return the project's JSON-LD context (the value of ``@context``)."""
    path = path or project().ontology / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def _dump(store: ox.Store, fmt: str, out) -> None:
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh", "rgsh", "owl")}
    if fmt == "turtle":
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "jsonld":
        buf = tempfile.SpooledTemporaryFile()
        store.dump(buf, ox.RdfFormat.N_QUADS)
        buf.seek(0)
        ds = Dataset()
        ds.parse(buf, format="nquads")
        text = ds.serialize(format="json-ld", context=context(), auto_compact=True, indent=1)
        out.write(text.encode("utf-8"))
    elif fmt == "trig":
        store.dump(out, ox.RdfFormat.TRIG, prefixes=prefixes)
    else:
        store.dump(out, _OX[fmt])


def write(store: ox.Store, fmt: str, path: Path) -> Path:
    """Write the store in format ``fmt`` to ``path``, atomically (a temporary file, then a rename)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "wb") as out:
            _dump(store, fmt, out)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_all(store: ox.Store, folder: Path, stem: str = "rightsgraph") -> dict[str, Path]:
    """Write every format into ``folder``; return format -> path."""
    return {fmt: write(store, fmt, folder / f"{stem}.{suffix}") for fmt, suffix in FORMATS.items()}
