"""Anchors: the offsets of every quote in its source, found in the corpus and kept in ``graph/anchors.tsv``
so that the graph builds without the corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rightsgraph.claims.records import Claim, SourceRecord
from rightsgraph.errors import Problem
from rightsgraph.namespaces import claim_iri
from rightsgraph.fileio import atomic_write
from rightsgraph.sources.corpus import Corpus

ANCHORS_FILE = "anchors.tsv"


def quote_digest(quote: str) -> str:
    """Return a short digest of a quote, to tell whether recorded offsets still belong to it."""
    return hashlib.sha1(quote.encode("utf-8")).hexdigest()[:12]


def read_anchors(path: Path) -> dict[str, tuple[int, int, str]]:
    """Read ``anchors.tsv``: claim graph IRI -> (start, end, quote digest)."""
    out: dict[str, tuple[int, int, str]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("graph\t"):
            continue
        graph, start, end, digest = line.split("\t")
        out[graph] = (int(start), int(end), digest)
    return out


def write_anchors(path: Path, anchors: dict[str, tuple[int, int, str]]) -> bool:
    """Write ``anchors.tsv`` atomically if it changed; return True if it was written."""
    lines = ["# Offsets of every quote in its source, computed by `rightsgraph build --corpus DIR`. Generated: do not edit.",
             "graph\tstart\tend\tquote_sha1"]
    lines += [f"{g}\t{s}\t{e}\t{d}" for g, (s, e, d) in sorted(anchors.items())]
    text = "\n".join(lines) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write(path, text)
    return True


def anchor(claims: list[Claim], sources: dict[str, SourceRecord], corpus: Corpus, problems: list[Problem],
           texts: Any = None) -> dict:
    """Find every quote in its source text (``texts[source id]`` if given, else the corpus file) and set its offsets;
    return the anchors table."""
    anchors = {}
    for c in claims:
        ev = c.evidence
        text = texts[ev.source] if texts is not None and ev.source in texts else corpus.text(sources[ev.source])
        if text is None:
            continue  # reported by check_source_files
        start = -1
        for _ in range(ev.occurrence):
            start = text.find(ev.quote, start + 1)
            if start < 0:
                break
        if start < 0:
            where = "" if ev.occurrence == 1 else f" {ev.occurrence} times"
            problems.append(Problem(c.origin.file, ev.quote_line or c.origin.line,
                                    f"quote not found{where} in source {ev.source!r}: {ev.quote[:70]!r}"))
            continue
        ev.start, ev.end = start, start + len(ev.quote)
        anchors[str(c.iri)] = (ev.start, ev.end, quote_digest(ev.quote))
    return anchors


def apply_anchors(claims: list[Claim], anchors: dict, problems: list[Problem]) -> None:
    """Set each claim's offsets from the recorded anchors (the build without a corpus)."""
    for c in claims:
        rec = anchors.get(str(c.iri))
        if rec is None and c.former_key:  # offsets recorded before a candidate with the same facts came along
            rec = anchors.get(str(claim_iri(c.source, c.former_key)))
        if rec is None or rec[2] != quote_digest(c.evidence.quote):
            problems.append(Problem(c.origin.file, c.evidence.quote_line or c.origin.line,
                                    "no recorded offsets for this quote: run `rightsgraph build --corpus DIR` to record them"))
            continue
        c.evidence.start, c.evidence.end = rec[0], rec[1]
