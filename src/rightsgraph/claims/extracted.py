"""Loading the extracted items of review files with the graph (``build --include-candidates`` and ``accept``),
and the texts of sources that are not in the corpus.

Both are parts of :func:`rightsgraph.claims.loader.load`: a review item becomes a claim or an entity
record exactly as one of ``graph/`` does, with its offsets checked against the document's text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsgraph.claims.reader import Reader
from rightsgraph.claims.records import Origin, SourceRecord
from rightsgraph.claims.reviewfile import STATES, strip
from rightsgraph.claims.yamlfile import line_of, plain, read_yaml
from rightsgraph.errors import DataError, Problem, UsageError
from rightsgraph.paths import Paths
from rightsgraph.sources.reading import ReadError, read_text, spans_at

_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Candidates:
    """Review files to load with the graph, and which items to take (by their ``review`` value)."""

    files: list[Path]
    select: Callable[[str], bool] = lambda state: state != "reject"
    require_text: bool = False
    loaded: list[tuple[Path, str, Any, Any]] = field(default_factory=list)   # (file, part, item, Claim or Entity)
    skipped: list[tuple[Path, str, Any, str]] = field(default_factory=list)  # (file, part, item, why)
    documents: dict[str, dict] = field(default_factory=dict)                 # source id -> document record

    @classmethod
    def folder(cls, folder: str | os.PathLike) -> "Candidates":
        """Every review file of a folder, every item not marked reject."""
        folder = Path(folder)
        if not folder.is_dir():
            raise UsageError(f"no review folder {folder}: run `rightsgraph extract` first, or give --review-dir")
        return cls(sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".")))


def _doc_text_path(paths: Paths, record: dict, corpus) -> Path | None:
    """Where the text of a review file's document is: its ``path``, else the corpus file of a known source."""
    if record.get("path"):
        p = (paths.root / str(record["path"])).resolve()
        if p.is_file():
            return p
    if corpus is not None and record.get("file"):
        p = corpus.folder / str(record["file"])
        if p.is_file() and record.get("id") in corpus.manifest:
            return p
    return None


def load_candidates(reader: Reader, sources: dict, entities: dict, curated: list,
                    candidates: Candidates, corpus=None) -> list:
    """Read review files into sources, entities and claims with their offsets set (used by claims.load)."""
    if not isinstance(candidates, Candidates):
        candidates = Candidates.folder(candidates)
    line = line_of
    keys = {(c.source, c.key, c.evidence.quote, c.evidence.occurrence) for c in curated}
    graph_entities = set(entities)
    out = []
    for path in candidates.files:
        label = reader.rel(Path(path))
        try:
            data = read_yaml(Path(path), label)
        except DataError as exc:
            reader.problems.extend(exc.problems)
            continue
        doc = data.get("document") if isinstance(data, dict) else None
        if not isinstance(doc, dict) or not isinstance(data.get("claims") or [], list) \
                or not isinstance(data.get("new_entities") or [], list):
            reader.problems.append(Problem(label, 1, "not a review file: expected document: (a source record), "
                                                     "source:, new_entities: and claims: (lists)"))
            continue
        src = str(doc.get("id", ""))
        if str(data.get("source", src)) != src:
            reader.problems.append(Problem(label, line(data, "source"), f"source {data.get('source')!r} is not the document's id {src!r}"))
            continue
        chosen: list[tuple[str, Any]] = []
        for part in ("new_entities", "claims"):
            for item in data.get(part) or []:
                state = item.get("review", "pending") if isinstance(item, dict) else None
                if state not in STATES:
                    reader.problems.append(Problem(label, line(item, "review") or line(item),
                                                   f"review: {state!r} must be one of {', '.join(STATES)}"))
                    continue
                if candidates.select(state):
                    chosen.append((part, item))
        if not chosen:
            continue
        if not _document(reader, label, doc, sources, candidates):
            continue
        record = sources[src]
        text_path = _doc_text_path(reader.paths, doc, corpus)
        if text_path is None and candidates.require_text:
            reader.problems.append(Problem(label, line(doc, "path") or line(doc),
                                           f"cannot check the quotes: the text of {src!r} is not at "
                                           f"{doc.get('path')!r} (relative to the project root)"
                                           + ("" if corpus is not None else " and no corpus was given (--corpus DIR)")))
            continue
        spans = []
        for part, item in chosen:
            off = item.get("offsets")
            if not (isinstance(off, list) and len(off) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in off)
                    and 0 <= off[0] < off[1]):
                reader.problems.append(Problem(label, line(item, "offsets") or line(item),
                                               "offsets must be [start, end]: the quote's place in the document"))
                spans.append(None)
                continue
            spans.append((off[0], off[1], str(item.get("quote", ""))))
        checked = [None] * len(spans)
        if text_path is not None and any(spans):
            try:
                found, sha = spans_at(text_path, [s or (0, 0, "") for s in spans])
            except ReadError as exc:
                reader.problems.append(Problem(label, line(doc), str(exc)))
                continue
            if sha != record.sha256:
                reader.problems.append(Problem(label, line(doc, "sha256") or line(doc),
                                               f"{text_path} has changed since it was extracted (its sha256 is {sha})"))
                continue
            checked = found
        for (part, item), span, check in zip(chosen, spans, checked):
            if span is None:
                continue
            ev = _evidence_at(reader, label, item, span, check, text_path)
            if ev is None:
                continue
            origin = Origin(label, line(item))
            if part == "new_entities":
                body = strip(item)
                body["source"] = src
                if body.get("id") in entities:
                    why = "already in graph/" if body.get("id") in graph_entities else "proposed by another review file too"
                    candidates.skipped.append((Path(path), part, item, f"entity {body.get('id')} {why}"))
                    continue
                before = len(reader.problems)
                ent = reader.entity(body, origin, sources)
                if ent is None or len(reader.problems) > before:
                    continue
                ent.evidence.start, ent.evidence.end, ent.evidence.occurrence = ev
                entities[ent.id] = ent
                candidates.loaded.append((Path(path), part, item, ent))
            else:
                out.append((item, origin, ev, src))
    claims_out = []
    for item, origin, ev, src in out:
        before = len(reader.problems)
        claim = reader.claim(strip(item), origin, src, sources, entities)
        if claim is None or len(reader.problems) > before:
            continue
        claim.evidence.start, claim.evidence.end, claim.evidence.occurrence = ev
        if (claim.source, claim.key, claim.evidence.quote, claim.evidence.occurrence) in keys:
            candidates.skipped.append((Path(origin.file), "claims", item,
                                       f"{claim.subject} {plain(item.get('facts'))}: already in graph/"))
            continue
        keys.add((claim.source, claim.key, claim.evidence.quote, claim.evidence.occurrence))
        candidates.loaded.append((Path(origin.file), "claims", item, claim))
        claims_out.append(claim)
    return claims_out


def sources_in_graph(sources: dict) -> set[str]:
    """The ids of the source records written in graph/sources.yaml (not those of review files)."""
    return {k for k, s in sources.items() if s.origin.file.endswith("sources.yaml")}


def _document(reader: Reader, label: str, doc: dict, sources: dict, candidates: Candidates) -> bool:
    """Check a review file's document record and add it to the sources if it is new; False on a problem."""
    line = line_of
    src = str(doc.get("id", ""))
    origin = Origin(label, line(doc))
    candidates.documents[src] = plain(doc)
    sha = str(doc.get("sha256", "")).lower()
    if not src or not _SHA.match(sha):
        reader.fail(origin, "document: needs an id and the sha256 of the file")
        return False
    if src in sources:
        if sources[src].sha256 != sha:
            reader.fail(origin, f"document {src!r} has sha256 {sha}, but the source record "
                                f"({sources[src].origin.file}:{sources[src].origin.line}) says {sources[src].sha256}: "
                                "another version of the document")
            return False
        return True
    missing = [k for k in ("id", "file", "title", "publisher", "url", "sha256") if not doc.get(k)]
    if missing:
        reader.fail(origin, f"document lacks {', '.join(missing)}")
        return False
    url = str(doc["url"])
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", url):
        reader.fail(origin, f"document url {url!r} is not an IRI", line(doc, "url"))
        return False
    sources[src] = SourceRecord(
        id=src, file=str(doc["file"]), title=str(doc["title"]), publisher=str(doc["publisher"]), url=url,
        sha256=sha, origin=origin, license=doc.get("license"), latest=doc.get("latest"),
        path=str(doc["path"]) if doc.get("path") else None)
    return True


def _evidence_at(reader, label: str, item: Any, span: tuple[int, int, str], check, text_path) -> tuple | None:
    """The (start, end, occurrence) of a review item's quote, checked against the text when it is at hand."""
    line = line_of
    start, end, quote = span
    where = line(item, "quote") or line(item)
    if not quote.strip():
        return None  # the loader reports the missing quote
    if check is None:  # no text at hand: the offsets are trusted, as recorded anchors are
        if end - start != len(quote):
            reader.problems.append(Problem(label, where, f"offsets [{start}, {end}] do not fit a quote of {len(quote)} characters"))
            return None
        occurrence = item.get("occurrence", 1)
        return start, end, occurrence if isinstance(occurrence, int) and occurrence >= 1 else 1
    text, occurrence = check
    if text == quote and occurrence:
        return start, end, occurrence
    if text and text.count(quote) == 1:  # a quote shortened to a part of itself
        at = start + text.index(quote)
        found, _ = spans_at(text_path, [(at, at + len(quote), quote)])
        if found[0][1]:
            return at, at + len(quote), found[0][1]
    shown = (text or "")[:80]
    reader.problems.append(Problem(label, where, f"quote is not the document text at offsets [{start}, {end}] "
                                                 f"(the text there is {shown!r})"))
    return None


class _Texts(dict):
    """Texts of sources outside the corpus, read from their ``path`` when first asked for."""

    def __init__(self, files: dict[str, Path]):
        super().__init__()
        self.files = files

    def __contains__(self, key: object) -> bool:
        return key in self.files

    def __missing__(self, key: str) -> str:
        self[key] = read_text(self.files[key])
        return dict.__getitem__(self, key)


def external_sources(paths: Paths, sources: dict, corpus) -> tuple[set[str], dict, list[Problem]]:
    """The sources whose text is not in the corpus but at their record's ``path``: ids, lazy texts, problems."""
    external: set[str] = set()
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    for s in sources.values():
        if not getattr(s, "path", None) or s.id in corpus.manifest or corpus.path(s).exists():
            continue
        external.add(s.id)
        p = (paths.root / s.path).resolve()
        if not p.is_file():
            problems.append(s.origin.problem(f"source {s.id!r}: its text is not in the corpus {corpus.folder} "
                                             f"and not at {s.path!r} (its path, relative to the project root)"))
            continue
        digest = hashlib.sha256()
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != s.sha256:
            problems.append(s.origin.problem(f"source {s.id!r}: sha256 of {s.path} is {digest.hexdigest()}, the record says {s.sha256}"))
            continue
        files[s.id] = p
    return external, _Texts(files), problems
