"""The embedded store: pyoxigraph on disk, written whole into a new folder and swapped in atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

from rightsgraph.errors import RightsgraphError

_XSD_STRING = str(XSD.string)


def to_ox(term):
    """Convert an rdflib term to a pyoxigraph term.

    >>> to_ox(Literal(3))
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"cannot convert {term!r}")


def from_ox(term):
    """Convert a pyoxigraph term (or None) to an rdflib term (or None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # a simple literal: rdflib's spelling of xsd:string
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r}")


def write(path: Path, quads: Iterable[tuple]) -> int:
    """Create a new on-disk store at ``path`` holding ``quads``; return how many were written."""
    if path.exists():
        raise RightsgraphError(f"{path} already exists")
    store = ox.Store(str(path))
    batch = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads]
    store.bulk_extend(batch)
    store.flush()
    count = len(store)
    del store
    return count


#: id() of each store opened by :func:`open` -> its folder (pyoxigraph stores take no weak references).
_FOLDERS: dict[int, Path] = {}


def open(path: Path, read_only: bool = True) -> ox.Store:  # noqa: A001 - the verb is the API
    """Open the store at ``path`` (read-only by default, so several readers can share it)."""
    path = Path(path)
    if not (path / "CURRENT").exists():
        raise RightsgraphError(f"no store at {path}: run `rightsgraph build` first")
    try:
        opened = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise RightsgraphError(f"cannot open the store at {path}: {exc}") from None
    _FOLDERS[id(opened)] = path
    return opened


def folder(store: ox.Store) -> Path | None:
    """The folder a store was opened from by :func:`open`, if it was (a hint: callers check what they find)."""
    return _FOLDERS.get(id(store))


def as_rdflib(path: Path):
    """Open the store at ``path`` read-only behind rdflib's API (oxrdflib), default graph = the union.

    For analysts who work with rdflib: the same data, queried by Oxigraph underneath.

    >>> from rightsgraph import paths
    >>> ds = as_rdflib(paths.project().store)
    >>> int(next(iter(ds.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]) > 30000
    True
    """
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    return Dataset(store=OxigraphStore(store=open(path)), default_union=True)


def swap(new: Path, final: Path) -> None:
    """Put the folder or file ``new`` in the place of ``final``, removing what was there."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.unlink()
