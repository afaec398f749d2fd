"""The label index: every name of every entity, folded for lookups, written beside the store at build time.

Looking a name up in the store with SPARQL means scanning every label and alias (a ``CONTAINS``
over all literals) at each call. The index is built once per build from the store, kept as a
tab-separated file inside the store's folder (so it is swapped in with the store), and searched
in memory: an exact folded name is a dictionary lookup; a part of a name is found with one
``str.find`` pass over all folded names joined in one string.
"""

from __future__ import annotations

import bisect
import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .claims import normalize_name
from .namespaces import ID, PREFIXES

#: The index's file name inside the store folder.
INDEX_FILE = "rightsgraph-labels.tsv"

#: Every label and every alternative name in any graph (one predicate's index each; filtered and deduplicated here).
_NAMES = tuple(f"SELECT ?entity ?name WHERE {{ GRAPH ?g {{ ?entity <{iri}> ?name }} }}"
               for iri in (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel"))


@dataclass(frozen=True)
class Hit:
    """An entity found by name: its IRI, its preferred label and the name that matched."""

    iri: str
    label: str
    matched: str


def names(store: ox.Store) -> list[tuple[str, str, bool]]:
    """Every (entity IRI, name, is the preferred label) of the store's entities, once each."""
    out: set[tuple[str, str, bool]] = set()
    prefix = str(ID)
    for text, preferred in zip(_NAMES, (True, False)):
        for entity, name in store.query(text):
            iri = entity.value
            if iri.startswith(prefix) and isinstance(entity, ox.NamedNode):
                out.add((iri, name.value, preferred))
    return sorted(out)


def write(store: ox.Store, folder: Path, rows: list[tuple[str, str, bool]] | None = None) -> Path:
    """Write the label index of ``store`` (or of ``rows`` from :func:`names`) into ``folder``, the store's own, atomically."""
    folder = Path(folder)
    rows = names(store) if rows is None else rows
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{INDEX_FILE}-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(["entity", "name", "preferred"])
        for iri, name, preferred in rows:
            w.writerow([iri, name, "1" if preferred else "0"])
    final = folder / INDEX_FILE
    os.replace(tmp, final)
    return final


class LabelIndex:
    """Names folded for lookups: exact names by dictionary, parts of names by one scan of a joined string.

    >>> idx = LabelIndex([("urn:a", "Yodok political prison camp", True), ("urn:a", "Camp 15", False),
    ...                   ("urn:b", "Hoeryong", True)])
    >>> [h.label for h in idx.search("camp 15")], [h.iri for h in idx.search("ryong")]
    (['Yodok political prison camp'], ['urn:b'])
    """

    def __init__(self, rows) -> None:
        self.labels: dict[str, str] = {}
        self.exact: dict[str, list[tuple[str, str]]] = {}
        entries: list[tuple[str, str, str]] = []
        for iri, name, preferred in rows:
            if preferred or iri not in self.labels:
                self.labels[iri] = name if preferred else self.labels.get(iri, name)
            key = normalize_name(name)
            if key:
                self.exact.setdefault(key, []).append((iri, name))
                entries.append((key, iri, name))
        entries.sort()
        self._entries = entries
        # one string of every folded name, each followed by a newline, and where each one starts
        self._joined = "".join(key + "\n" for key, _, _ in entries)
        self._starts = []
        pos = 0
        for key, _, _ in entries:
            self._starts.append(pos)
            pos += len(key) + 1

    @classmethod
    def load(cls, path: Path) -> "LabelIndex":
        """Read an index file written by :func:`write`."""
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t")
            next(reader, None)
            return cls((iri, name, preferred == "1") for iri, name, preferred in reader)

    def __len__(self) -> int:
        return len(self._entries)

    def _hit(self, iri: str, name: str) -> Hit:
        return Hit(iri, self.labels.get(iri, name), name)

    def search(self, text: str, limit: int | None = 50) -> list[Hit]:
        """Entities named ``text`` (folded); if none, entities with a name that contains it; labels sorted."""
        want = normalize_name(text)
        if not want:
            return []
        found = self.exact.get(want)
        if found:
            hits = {iri: self._hit(iri, name) for iri, name in found}
        else:
            hits = {}
            joined, pos = self._joined, self._joined.find(want)
            while pos != -1:
                i = bisect.bisect_right(self._starts, pos) - 1
                _, iri, name = self._entries[i]
                hits.setdefault(iri, self._hit(iri, name))
                if limit is not None and len(hits) >= limit * 4:
                    break
                pos = joined.find(want, self._starts[i] + len(self._entries[i][0]) + 1)
        out = sorted(hits.values(), key=lambda h: (h.label, h.iri))
        return out if limit is None else out[:limit]


_LOADED: dict[str, tuple[float, LabelIndex]] = {}


def for_store(store_path: Path) -> LabelIndex | None:
    """The label index of the store at ``store_path`` (read once, re-read when the file changes), or None."""
    path = Path(store_path) / INDEX_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _LOADED.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    index = LabelIndex.load(path)
    _LOADED[str(path)] = (mtime, index)
    return index
