"""The label index: every name of every entity, folded for lookups, written beside the store at build time.

Looking a name up in the store with SPARQL means scanning every label and alias (a ``CONTAINS``
over all literals) at each call. The index is built once per build from the store, kept as a
tab-separated file inside the store's folder (so it is swapped in with the store), and searched
in memory: an exact folded name is a dictionary lookup; a part of a name is found with one
``str.find`` pass over all folded names joined in one string.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from rightsgraph.claims.names import normalize_name
from rightsgraph.fileio import atomic_writer
from rightsgraph.namespaces import ID, PREFIXES, sparql_prologue
from rightsgraph.store import embedded

#: The index's file name inside the store folder.
INDEX_FILE = "rightsgraph-labels.tsv"

@dataclass(frozen=True)
class Hit:
    """An entity found by name: its IRI, its preferred label and the name that matched."""

    iri: str
    label: str
    matched: str


#: Every label and every alternative name of an entity in any graph, with 1 for the preferred label.
_NAMES = sparql_prologue() + resources.files(__package__).joinpath("label-names.rq").read_text(encoding="utf-8")

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match) -> str:
    code = m.group(1)
    return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _SIMPLE.get(code, code)


def _term_text(cell: str) -> str:
    """The IRI or the lexical form of a term as SPARQL's TSV results write it (``<iri>``, ``"text"@en``)."""
    if cell.startswith("<"):
        return cell[1:-1]
    if cell.startswith('"'):
        body = cell[1:cell.rindex('"')]
        return _ESCAPE.sub(_unescape, body) if "\\" in body else body
    return cell


def names(store: ox.Store) -> list[tuple[str, str, bool]]:
    """Every (entity IRI, name, is the preferred label) of the store's entities, once each."""
    return sorted({(row["entity"].value, row["name"].value, row["preferred"].value == "1")
                   for row in store.query(_NAMES)})


def write(store: ox.Store, folder: Path) -> Path:
    """Write the label index of ``store`` into ``folder`` (the store's own), atomically.

    The file is the names query's results in SPARQL's TSV format, written by Oxigraph itself
    (a Python loop over every name would cost more than the checks of a whole build).
    """
    final = Path(folder) / INDEX_FILE
    with atomic_writer(final) as out:
        store.query(_NAMES).serialize(out, ox.QueryResultsFormat.TSV)
    return final


_LABEL_PREDICATES = ((f"<{PREFIXES['rdfs']}label>".encode(), b"1"), (f"<{PREFIXES['skos']}altLabel>".encode(), b"0"))


def _name_line(predicate: bytes) -> re.Pattern:
    """An N-Quads line whose subject is an entity, whose predicate is ``predicate`` and whose object is a literal."""
    return re.compile(rb'[ \t]*<(' + re.escape(str(ID).encode()) + rb'[^>]*)>[ \t]+' + re.escape(predicate)
                      + rb'[ \t]+("(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)')


def write_from_nquads(dump: Path, folder: Path) -> Path:
    """Write the label index from the names in an N-Quads file, found by byte search, not by reading the store.

    Right after a bulk load the store's strings are cold on disk, and reading every name back
    from it costs several times more than finding the few lines that hold a label in the file.
    Lines are N-Quads, so a literal is already written the way the index file writes it.
    """
    import mmap

    folder = Path(folder)
    rows: set[bytes] = set()
    with open(dump, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(fh.fileno()).st_size else b""
        for predicate, flag in _LABEL_PREDICATES:
            line_re = _name_line(predicate)
            pos = data.find(predicate)
            while pos != -1:
                start = data.rfind(b"\n", 0, pos) + 1
                end = data.find(b"\n", pos)
                end = len(data) if end == -1 else end
                m = line_re.match(data, start, end)
                if m:
                    rows.add(b"<" + m.group(1) + b">\t" + m.group(2) + b"\t" + flag)
                pos = data.find(predicate, end)
        if isinstance(data, mmap.mmap):
            data.close()
    final = folder / INDEX_FILE
    with atomic_writer(final) as out:
        out.write(b"?entity\t?name\t?preferred\n")
        out.write(b"".join(row + b"\n" for row in sorted(rows)))
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
        seen: set[tuple[str, str, bool]] = set()
        for iri, name, preferred in rows:
            if (iri, name, preferred) in seen:  # the same name stated in several graphs
                continue
            seen.add((iri, name, preferred))
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
        """Read an index file written by :func:`write` (SPARQL TSV results: entity, name, preferred)."""
        def rows():
            with open(path, encoding="utf-8", newline="\n") as fh:
                next(fh, None)
                for line in fh:
                    entity, name, preferred = line.rstrip("\n").split("\t")
                    yield _term_text(entity), _term_text(name), preferred == "1"
        return cls(rows())

    def __len__(self) -> int:
        return len(self._entries)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (entity IRI, name as written) of the index, once each, in the order of the folded names."""
        return [(iri, name) for _, iri, name in self._entries]

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


def of_store(store: ox.Store) -> LabelIndex:
    """The label index of an open store: the file beside it when it has one, else built from the store itself
    (the names query), so that every reader of names (``describe``, the reconciliation service) folds and finds
    names the same way."""
    folder = embedded.folder(store)
    index = for_store(folder) if folder is not None else None
    return index if index is not None else LabelIndex(names(store))


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
