"""What an audience may see: the one module that decides it.

Audiences and the access levels each one sees are declared in the ontology (``rg:Audience``,
``rg:sees``); nothing here lists them. A claim graph is visible to an audience only if its own level
(``rg:accessLevel``), its source's level (``rg:recordAccessLevel``) and every entity it points at are
visible. An entity is withheld when the claim that records it (the graph holding its ``rdfs:label``)
is withheld, so its label and aliases go with it. A source is withheld when its level is not seen or
its publisher is withheld. Withholding cascades: a withheld source takes every claim derived from it,
and so the entities only it records.

The decision is made on a store with index lookups only, so that it costs little at 10^7 quads:
first on the few lines of the N-Quads text that carry access levels, sources, publishers and names
(:func:`inputs`), so that the release can be loaded before the internal store, then once more on the
whole internal store (:func:`same` says whether the two agree). :meth:`Withheld.keeps` says, quad by
quad, what a release holds, and :meth:`Withheld.keeps_line` the same of an N-Quads line;
:func:`split` cuts a text in two with it. :func:`scan` and :func:`scan_nquads` find the text of a
visible quad that names a withheld entity.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import PROV, RDFS, SKOS

from rightsgraph.claims.names import normalize_name
from rightsgraph.errors import UsageError
from rightsgraph.model.ontology import Audience, Ontology
from rightsgraph.namespaces import CLAIM, ID, PROVENANCE_GRAPH, RG, sparql_prologue

_PROV = ox.NamedNode(str(PROVENANCE_GRAPH))
_ACCESS = ox.NamedNode(str(RG.accessLevel))
_RECORD_ACCESS = ox.NamedNode(str(RG.recordAccessLevel))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_PUBLISHER = ox.NamedNode(str(RG.publisher))
_LABEL = ox.NamedNode(str(RDFS.label))
_ALT = ox.NamedNode(str(SKOS.altLabel))
_CLAIMS = str(CLAIM)
_IDS = str(ID)
#: The access levels in use (``access-levels.rq``).
_LEVELS = sparql_prologue() + resources.files(__package__).joinpath("access-levels.rq").read_text(encoding="utf-8")
#: The tail of every N-Quads line in the provenance graph (without its newline).
_PROV_TAIL = f" <{PROVENANCE_GRAPH}> .".encode()


def _line_verdict(line: bytes, claims: frozenset, named: frozenset) -> bool | None:
    """Whether a release keeps the N-Quads ``line`` (no newline) when ``claims`` (claim IRIs) and ``named``
    (entity and source IRIs), as bytes, are withheld; None when the line is not as Oxigraph writes it."""
    if line[:1] != b"<" or line[-3:] != b"> .":
        return None
    s_end = line.find(b"> <")
    o_start = line.find(b"> ", s_end + 3) + 2
    g_start = line.rfind(b"<")
    if s_end < 0 or o_start < 2 or g_start <= o_start or line[g_start - 1] != 32 \
            or b"\\" in line[:o_start] or b"\\" in line[g_start:]:  # 32: a space; an escape in an IRI
        return None
    first = line[o_start]
    if first == 60:  # "<": an IRI
        o_end = line.find(b">", o_start)
        if o_end + 2 != g_start or b"\\" in line[o_start:o_end]:
            return None
    elif first != 34:  # '"': a literal; anything else is a blank node
        return None
    if not line.endswith(_PROV_TAIL):
        return line[g_start + 1:-3] not in claims
    s = line[1:s_end]
    if s in claims or s in named or (b"#" in s and s[:s.find(b"#")] in claims):
        return False
    return not (first == 60 and named and line[o_start + 1:o_end] in named)


def audience(onto: Ontology, name: str) -> Audience:
    """The audience called ``name`` in the ontology, or a usage error naming the ones there are."""
    try:
        return onto.audiences[name]
    except KeyError:
        raise UsageError(f"unknown audience {name!r}: the ontology declares {', '.join(sorted(onto.audiences))}") from None


@dataclass
class Withheld:
    """What one audience may not see in one store: claim graphs, entities and sources (IRIs as strings).

    ``referring`` holds the claims withheld only because they point at a withheld entity (their own
    level and their source's are visible): the curator must decide about each one, so a build stops.
    ``names`` maps each withheld entity's names, folded, to the name as written.
    """

    audience: Audience
    claims: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    referring: dict[str, str] = field(default_factory=dict)  # claim -> the withheld entity it points at
    names: dict[str, str] = field(default_factory=dict)

    @property
    def nothing(self) -> bool:
        """True when the audience sees the whole store."""
        return not (self.claims or self.entities or self.sources)

    def keeps(self, quad: ox.Quad) -> bool:
        """Whether a quad of the store belongs in this audience's release."""
        g = quad.graph_name
        if not isinstance(g, ox.NamedNode):
            return False  # the data model has no default-graph quads; nothing unplaced is published
        if g != _PROV:
            return g.value not in self.claims
        s, o = quad.subject.value, quad.object
        if s.split("#", 1)[0] in self.claims or s in self.sources or s in self.entities:
            return False
        return not (isinstance(o, ox.NamedNode) and (o.value in self.entities or o.value in self.sources))

    def keeps_line(self, line: bytes) -> bool | None:
        """:meth:`keeps` for one N-Quads line as Oxigraph writes it (``<s> <p> object <g> .``, one space
        apart, IRIs without escapes, no blank node), with or without its newline; None for any other line,
        which the caller must then read as RDF. The property tests in ``tests/release/test_policy.py`` hold
        the two to the same answers."""
        return _line_verdict(line.rstrip(b"\n"), *self._as_bytes())

    def _as_bytes(self) -> tuple[frozenset, frozenset]:
        """The withheld claims, and the withheld entities and sources, as the bytes N-Quads writes them."""
        cached = getattr(self, "_bytes", None)
        if cached is None or cached[0] != (len(self.claims), len(self.entities), len(self.sources)):
            cached = ((len(self.claims), len(self.entities), len(self.sources)),
                      frozenset(c.encode() for c in self.claims),
                      frozenset(x.encode() for x in (*self.entities, *self.sources)))
            self._bytes = cached
        return cached[1], cached[2]

    def counts(self) -> dict[str, int]:
        return {"claims": len(self.claims), "entities": len(self.entities), "sources": len(self.sources)}


def decide(store: ox.Store, onto: Ontology, name: str) -> Withheld:
    """Decide what the audience ``name`` may not see in ``store`` (the internal store)."""
    aud = audience(onto, name)
    out = Withheld(aud)
    unseen = [row["level"] for row in store.query(_LEVELS) if row["level"] not in {ox.NamedNode(str(level))
                                                                                    for level in aud.sees}]
    # index lookups at the levels the audience does not see: a few claims, not every claim of the store
    own = {q.subject.value for level in unseen for q in store.quads_for_pattern(None, _ACCESS, level, _PROV)}
    sources = [q.subject.value for level in unseen for q in store.quads_for_pattern(None, _RECORD_ACCESS, level, _PROV)]
    claims: list[str] = list(own)
    entities: list[str] = []

    def claims_of(src: str) -> list[str]:
        return [q.subject.value for q in store.quads_for_pattern(None, _DERIVED, ox.NamedNode(src), _PROV)]

    def source_of(claim: str) -> str | None:
        return next((q.object.value for q in store.quads_for_pattern(ox.NamedNode(claim), _DERIVED, None, _PROV)), None)

    def is_source(iri: str) -> bool:
        return next(iter(store.quads_for_pattern(None, _DERIVED, ox.NamedNode(iri), _PROV)), None) is not None

    def hide_source(src: str) -> None:
        if src not in out.sources:
            out.sources.add(src)
            claims.extend(claims_of(src))

    for src in sources:
        hide_source(src)
    # a worklist: a withheld claim may withhold the entity it records, which withholds every claim and
    # source that points at it, which may withhold more entities
    while claims or entities:
        while claims:
            claim = claims.pop()
            if claim in out.claims:
                continue
            out.claims.add(claim)
            graph = ox.NamedNode(claim)
            for q in store.quads_for_pattern(None, _LABEL, None, graph):
                e = q.subject.value
                if e.startswith(_IDS) and e not in out.entities:
                    entities.append(e)
        while entities:
            e = entities.pop()
            if e in out.entities:
                continue
            out.entities.add(e)
            node = ox.NamedNode(e)
            for q in store.quads_for_pattern(node, None, None, None):
                if q.predicate in (_LABEL, _ALT) and isinstance(q.object, ox.Literal):
                    out.names.setdefault(normalize_name(q.object.value), q.object.value)
            for q in [*store.quads_for_pattern(node, None, None, None), *store.quads_for_pattern(None, None, node, None)]:
                g = q.graph_name
                if not isinstance(g, ox.NamedNode):
                    continue
                holder = g.value if g != _PROV else q.subject.value.split("#", 1)[0]
                if holder.startswith(_CLAIMS):
                    if holder not in out.claims:
                        claims.append(holder)
                        if holder not in own and source_of(holder) not in out.sources:
                            out.referring.setdefault(holder, e)
                elif q.predicate == _PUBLISHER or is_source(holder):
                    hide_source(holder)
    out.names.pop("", None)
    # a claim first reached through an entity may turn out to be withheld for its own reasons
    out.referring = {c: e for c, e in out.referring.items() if c not in own and source_of(c) not in out.sources}
    return out


def _pattern(names: Iterable[str]) -> re.Pattern | None:
    """One expression finding any of the folded ``names`` as whole words in folded text."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


@dataclass(frozen=True)
class Mention:
    """A literal that names a withheld entity: where it is (graph, subject), the name, and the text."""

    graph: str
    subject: str
    name: str
    text: str

    @property
    def claim(self) -> str:
        """The claim graph the literal belongs to (its own graph, or the claim its provenance describes)."""
        return self.graph if self.graph != str(PROVENANCE_GRAPH) else self.subject.split("#", 1)[0]


def scan(quads: Iterable[ox.Quad], withheld: Withheld) -> Iterator[Mention]:
    """Every literal of ``quads`` that contains a withheld entity's label or alias (folded, on word
    boundaries). Nothing to look for when nothing is withheld: then this returns at once."""
    found = _pattern(withheld.names)
    if found is None:
        return
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal):
            m = found.search(normalize_name(o.value))
            if m:
                g = q.graph_name
                yield Mention(g.value if isinstance(g, ox.NamedNode) else "", q.subject.value,
                              withheld.names.get(m.group(0), m.group(0)), o.value)



# -- the same on N-Quads text: a release is cut from the text before any store is loaded ---------------------

#: Predicates whose every line :func:`inputs` takes: publishers and names.
_INPUT_PREDICATES = tuple(f" <{p}> ".encode() for p in (RG.publisher, RDFS.label, SKOS.altLabel))
_SOURCE_RECORD = f"\n<{ID}source/".encode()


#: Texts from this size on (bytes) are searched by two processes, each over one half: the plan and the cut are
#: passes of byte and pattern search that hold the GIL, before anything else can start. Below it, starting the
#: processes costs more than it saves.
PARALLEL_FROM = 256 << 20
_SHARED: tuple | None = None  # (the text, the arguments) the forked searchers read


def _search(job: Callable[..., list], data, *args) -> list:
    """``job(data, lo, hi, *args)`` over the whole text: in two forked processes, each over one half (split at a
    line), for a text of :data:`PARALLEL_FROM` bytes or more where the machine has two cores and forks."""
    size = len(data)
    mid = data.find(b"\n", size // 2) + 1 if size >= PARALLEL_FROM else 0
    if not 0 < mid < size or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return job(data, 0, size, *args)
    global _SHARED
    _SHARED = (data, args)  # inherited by the forked processes: neither the text nor the patterns are copied
    try:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_search_shared, [(job, 0, mid), (job, mid, size)]))
    finally:
        _SHARED = None
    return [x for part in parts for x in part]


def _search_shared(task: tuple) -> list:
    job, lo, hi = task
    data, args = _SHARED
    return job(data, lo, hi, *args)


def _needle_spans(data, lo: int, hi: int, needles: list[bytes]) -> list[tuple[int, int]]:
    return [span for needle in needles for span in _spans(data, needle, lo, hi)]


def _pattern_starts(data, lo: int, hi: int, patterns: list[re.Pattern]) -> list[int]:
    return [m.start() for pattern in patterns for m in pattern.finditer(data, lo, hi)]


def _spans(data, needle: bytes, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of every line of ``data`` holding ``needle`` (which may begin with the newline before the
    line), its own newline included; the lines starting from ``lo`` (a line's start) up to ``hi``."""
    hi = len(data) if hi is None else hi
    pos = data.find(needle, max(lo - 1, 0), hi)
    while pos != -1:
        start = data.rfind(b"\n", 0, pos + 1) + 1
        end = data.find(b"\n", pos + 1)
        if end == -1:
            yield start, len(data)
            return
        yield start, end + 1
        pos = data.find(needle, end, hi)  # from the newline ending this line: a needle may begin with it


def _lines(data, spans: Iterable[tuple[int, int]]) -> bytes:
    return b"".join(line if line.endswith(b"\n") else line + b"\n" for line in
                    (bytes(data[a:b]) for a, b in sorted(set(spans))))


def inputs(data, levels: Iterable[str]) -> bytes:
    """The lines of the N-Quads text ``data`` that :func:`decide` reads about the usual withholdings: claims and
    source records at ``levels`` (the levels some audience does not see), publishers, names and the records of
    sources; :func:`derived_from` adds the claims of a withheld source. A decision made on them alone can miss
    claims and sources that point at a withheld entity some other way, or a level the ontology does not
    declare; the caller checks it against the whole store (:func:`same`)."""
    spans: list[tuple[int, int]] = []
    needles = [*_INPUT_PREDICATES, _SOURCE_RECORD]
    needles += [f" <{p}> <{level}> ".encode() for p in (RG.accessLevel, RG.recordAccessLevel) for level in levels]
    spans.extend(_search(_needle_spans, data, needles))
    if data[:len(_SOURCE_RECORD) - 1] == _SOURCE_RECORD[1:]:
        spans.append((0, data.find(b"\n") + 1 or len(data)))
    return _lines(data, spans)


def derived_from(data, sources: Iterable[str]) -> bytes:
    """The lines of the N-Quads text ``data`` saying which claims come from ``sources``."""
    pattern = f" <{PROV.wasDerivedFrom}> <".encode() + _trie(s.encode() for s in sources) + b"> "
    return _lines(data, ((data.rfind(b"\n", 0, m.start()) + 1,
                          (data.find(b"\n", m.end()) + 1) or len(data)) for m in re.finditer(pattern, data)))


def same(first: Withheld, second: Withheld) -> bool:
    """Whether two decisions for one audience withhold the same things."""
    return (first.claims, first.entities, first.sources, first.referring, first.names) == \
        (second.claims, second.entities, second.sources, second.referring, second.names)


def _trie(words: Iterable[bytes]) -> bytes:
    """A regular expression matching exactly the ``words``, as a trie: Python's engine then walks the
    characters once instead of trying every word in turn (thousands of claim IRIs at 10^7 quads)."""
    root: dict = {}
    for word in words:
        node = root
        for byte in word:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        branches = [re.escape(bytes([byte])) + emit(child) for byte, child in sorted(
            (k, v) for k, v in node.items() if k is not None)]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        if None in node:
            body = b"(?:" + body + b")?"
        return body

    return emit(root)


def split(data, withheld: Withheld, kept, rest) -> bool:
    """Write each line of the N-Quads text ``data`` to ``kept`` (a file open for writing) or ``rest`` as
    ``withheld`` decides, and return True; False, with the files half written, when the text holds a blank
    node (it would not stay the same node across two loads) or a line that is not N-Quads: the caller then
    loads the text whole.

    Only lines that name a withheld claim, entity or source (as ``<IRI>``, or ``<claim#``), or hold an escape
    or a blank node, can be withheld: those are found by one pass of a regular expression and decided one by
    one (:meth:`Withheld.keeps_line`, or read as RDF and :meth:`Withheld.keeps`); every other line is kept as
    it is. A line in the default graph naming none of them is kept too, where :meth:`Withheld.keeps` would
    not keep it: the caller checks the store for default-graph quads (the data model has none)."""
    claims, named = withheld._as_bytes()
    # where to look: each by a pass of its own (one expression with alternatives starting differently would
    # try them all at every byte, five times slower)
    patterns = [re.compile(p) for p in (rb"\\[uU]", rb"_:", (b"<" + _trie(claims) + b"[>#]") if claims else None,
                                        (b"<" + _trie(named) + b">") if named else None) if p is not None]
    at = _search(_pattern_starts, data, patterns)
    size, line_end = len(data), 0
    dropped: list[tuple[int, int]] = []
    for pos in sorted(at):
        if pos < line_end:
            continue  # a line already decided
        start = data.rfind(b"\n", 0, pos) + 1
        end = data.find(b"\n", pos)
        line_end = size if end == -1 else end + 1
        line = bytes(data[start:line_end]).rstrip(b"\n")
        verdict = _line_verdict(line, claims, named)
        if verdict is None:
            if not line.strip() or line.lstrip().startswith(b"#"):
                continue
            try:
                quads = list(ox.parse(line + b"\n", format=ox.RdfFormat.N_QUADS))
            except SyntaxError:
                return False
            if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name)):
                return False
            verdict = all(withheld.keeps(q) for q in quads)
        if not verdict:
            dropped.append((start, line_end))
    previous = 0
    for start, end in dropped:
        kept.write(data[previous:start])
        rest.write(data[start:end])
        previous = end
    kept.write(data[previous:])
    if size and data[size - 1:size] != b"\n":
        kept.write(b"\n")
    return True


#: Characters whose case folding (with :func:`rightsgraph.claims.names.normalize_name`'s own replacements) gives
#: an ASCII letter or digit: a line holding one of them is read in full by :func:`scan_nquads`. Listed, not
#: computed at import (a walk over every code point takes most of a second); ``tests/release/test_policy.py``
#: computes the list again and compares.
FOLDS_TO_ASCII = (
    "\u00df\u0130\u0149\u014e\u014f\u016c\u016d\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")


def scan_nquads(data, withheld: Withheld) -> Iterator[Mention]:
    """:func:`scan` on N-Quads text: the lines that may hold a withheld name (the longest word of it in any
    ASCII case, a character that folds to ASCII, or a ``\\u`` escape) are found by byte search and read as RDF;
    no other line can name anyone withheld. Names with a word outside ASCII are looked for in every line."""
    if _pattern(withheld.names) is None:
        return
    words = {max(name.split(), key=len) for name in withheld.names if name}
    if not all(w.isascii() for w in words):
        yield from scan(ox.parse(bytes(data), format=ox.RdfFormat.N_QUADS), withheld)
        return
    # an escape (\\u0041) may spell any letter: a line with one is read in full too
    prefilter = re.compile(b"(?i:" + b"|".join(re.escape(w.encode()) for w in sorted(words)) + b")|\\\\[uU]|"
                           + b"|".join(re.escape(c.encode()) for c in FOLDS_TO_ASCII))
    lines: dict[int, bytes] = {}
    for m in prefilter.finditer(data):
        start = data.rfind(b"\n", 0, m.start()) + 1
        if start not in lines:
            end = data.find(b"\n", m.end())
            lines[start] = bytes(data[start:len(data) if end == -1 else end + 1])
    if lines:
        yield from scan(ox.parse(b"".join(v if v.endswith(b"\n") else v + b"\n" for _, v in sorted(lines.items())),
                                 format=ox.RdfFormat.N_QUADS), withheld)
