"""Coverage: how much of each source's factual text the claims rest on, and what is left.

A source text is cut into units: each table row and each list item is one unit, and other lines
are cut into sentences. A unit is **boilerplate** (and not counted) when it is:

1. blank, or a wiki heading (``== ... ==``);
2. a line of the web site's PHP/MySQL error messages (``Warning: ... on line N``);
3. navigation: ``Skip to main content``, a breadcrumb (``Home > ...``);
4. a table header row (a ``| ... |`` row with no digit in it);
5. the listing's placeholder date ``Dec 31, 1969`` or the donation appeal at the end of a page;
6. a heading, title, byline or menu entry: a line or list item of fewer than ten words with no
   sentence-ending punctuation and no digit (a digit marks dates, numbers and designations, which
   are facts);
7. a bare list marker (``1.``): a unit with no letter in it;
8. an entry of a wiki "See also" section (links to other articles).

Every other unit is factual; it is **covered** when at least one claim's quote overlaps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rightsgraph.claims.records import Collection
from rightsgraph.sources.corpus import Corpus

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(\b(U\.N|U\.S|No|Nos|Mr|Mrs|Ms|Dr|Jr|St|c|e\.g|i\.e|vs|Gen|Prof)\.|\b[A-Z]\.)$")
_BOILERPLATE = [
    ("blank", re.compile(r"^\s*$")),
    ("wiki heading", re.compile(r"^\s*=+.*=+\s*$")),
    ("site error message", re.compile(r"^Warning: .* on line \d+\s*$")),
    ("navigation", re.compile(r"^(Skip to main content|Home > .*)$")),
    ("table header", re.compile(r"^\|[^0-9]*\|\s*$")),
    ("placeholder date", re.compile(r"^Dec 31, 1969\s*$")),
    ("donation appeal", re.compile(r"tax[- ]deductible gift", re.IGNORECASE)),
]


@dataclass
class Unit:
    """A sentence, table row or list item of a source, with its offsets and line number."""

    start: int
    end: int
    line: int
    text: str
    boilerplate: str | None = None
    covered: bool = False


@dataclass
class SourceCoverage:
    """The coverage of one source."""

    source: str
    units: list[Unit] = field(default_factory=list)

    @property
    def factual(self) -> list[Unit]:
        return [u for u in self.units if u.boilerplate is None]

    @property
    def covered(self) -> list[Unit]:
        return [u for u in self.factual if u.covered]

    @property
    def uncovered(self) -> list[Unit]:
        return [u for u in self.factual if not u.covered]

    @property
    def share(self) -> float:
        return len(self.covered) / len(self.factual) if self.factual else 1.0


def _kind(line: str) -> str | None:
    for name, pattern in _BOILERPLATE:
        if pattern.search(line):
            return name
    stripped = line.strip()
    if not re.search(r"[^\W\d_]", stripped):
        return "list marker"
    item = stripped.lstrip("-•| ").strip()
    if len(item.split()) < 10 and not re.search(r"[.!?:;]\W*$", item) and not re.search(r"\d", item):
        return "heading, title or menu entry"
    return None


def units(text: str) -> list[Unit]:
    """Cut a source text into units (sentences, table rows, list items) and mark boilerplate.

    >>> [u.text for u in units("== Camps ==\\nOne camp. Two camps!\\n| a | 1 |\\n")]
    ['== Camps ==', 'One camp.', 'Two camps!', '| a | 1 |']
    """
    out: list[Unit] = []
    pos = 0
    see_also = False
    for number, line in enumerate(text.split("\n"), 1):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        if re.match(r"^\s*=+", line):
            see_also = "see also" in line.lower()
        kind = _kind(line)
        if kind is None and see_also:
            kind = "see also"
        stripped = line.lstrip()
        if kind is not None or stripped.startswith(("|", "- ", "• ")):
            out.append(Unit(start, start + len(line), number, line.strip(), kind))
            continue
        for at, end in _sentences(line):
            piece = line[at:end].strip()
            marker = None if re.search(r"[^\W\d_]", piece) else "list marker"
            out.append(Unit(start + at, start + end, number, piece, marker))
    return out


def _sentences(line: str) -> list[tuple[int, int]]:
    """Spans of the sentences of one line; a break after an abbreviation ("U.N.", "No.") is undone."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for m in _SENTENCE_END.finditer(line):
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, len(line)))
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and _ABBREVIATION.search(line[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return [(a, b) for a, b in merged if line[a:b].strip()]


def measure(collection: Collection, corpus: Corpus) -> list[SourceCoverage]:
    """Return the coverage of every source of ``collection`` by its claims' quotes."""
    results = []
    for source in collection.sources.values():
        text = corpus.text(source) or ""
        cov = SourceCoverage(source.id, units(text))
        spans = sorted((c.evidence.start, c.evidence.end) for c in collection.claims
                       if c.evidence.source == source.id and c.evidence.start is not None)
        for unit in cov.units:
            unit.covered = any(s < unit.end and e > unit.start for s, e in spans)
        results.append(cov)
    return results
