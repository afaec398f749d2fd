"""The embedded store: pyoxigraph on disk, written whole into a new folder (swapped in by :mod:`rightsgraph.fileio`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from rightsgraph.errors import RightsgraphError
from rightsgraph.sparql.results import from_ox

#: ``from_ox`` lives in :mod:`rightsgraph.sparql.results`; the name stays here for the callers that have not moved yet.
__all__ = ["as_rdflib", "folder", "from_ox", "open", "to_ox", "write"]


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


def write_nquads(path: Path, quads: Iterable[tuple]) -> Path:
    """Write ``quads`` (rdflib terms) to the new N-Quads file ``path``, as Oxigraph writes N-Quads."""
    ox.serialize((ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads), str(path),
                 ox.RdfFormat.N_QUADS)
    return Path(path)


#: The folders of the stores :func:`open` opened last, by the store's id. Each entry holds the store itself, so
#: that its id cannot be reused by another store while the entry exists (a Store takes no weak reference;
#: an in-memory store once got the folder, and so the label index, of a freed one). Only the last few are
#: kept, and only read-only ones (holding a writable store open would keep its lock): an older store simply has
#: no folder hint.
_FOLDERS: OrderedDict[int, tuple[ox.Store, Path]] = OrderedDict()
_FOLDERS_KEPT = 8


def open(path: Path, read_only: bool = True) -> ox.Store:  # noqa: A001 - the verb is the API
    """Open the store at ``path`` (read-only by default, so several readers can share it)."""
    path = Path(path)
    if not (path / "CURRENT").exists():
        raise RightsgraphError(f"no store at {path}: run `rightsgraph build` first")
    try:
        opened = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise RightsgraphError(f"cannot open the store at {path}: {exc}") from None
    if read_only:
        _FOLDERS[id(opened)] = (opened, path)
        while len(_FOLDERS) > _FOLDERS_KEPT:
            _FOLDERS.popitem(last=False)
    return opened


def folder(store: ox.Store) -> Path | None:
    """The folder a store was opened from by :func:`open`, if it was (a hint: callers check what they find)."""
    entry = _FOLDERS.get(id(store))
    return entry[1] if entry is not None and entry[0] is store else None


def as_rdflib(store: ox.Store):
    """Put rdflib's API (oxrdflib) over an open store, default graph = the union.

    For analysts who work with rdflib: the same data, queried by Oxigraph underneath. Hand it a
    release, ``rightsgraph.release.open(paths)`` (the public one unless told otherwise), never a path:
    the internal store is read only by asking for it (``release.open(paths, "internal")``).

    >>> from rdflib import RDFS
    >>> from rightsgraph import release
    >>> from rightsgraph.namespaces import entity_iri
    >>> ds = as_rdflib(release.open(proj))
    >>> str(ds.value(entity_iri("facility", "kwanliso-15"), RDFS.label))
    'Yodok political prison camp'
    """
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    if not isinstance(store, ox.Store):
        raise TypeError("as_rdflib takes an open store: rightsgraph.release.open(paths[, audience])")
    return Dataset(store=OxigraphStore(store=store), default_union=True)

