"""Review files: the candidate claims of a document, written for a person to accept or reject, and read back.

A review file is the authoring format of ``graph/claims/*.yaml`` (``source:`` and ``claims:``) plus
``document:`` (the document's source record, with the ``path`` it was read from, relative to the
project root), ``new_entities:`` (proposed entity records) and, on every item, ``review:``
(``pending``, ``accept`` or ``reject``), ``method`` (the rule's activity IRI), ``confidence`` and
``offsets: [start, end]`` (characters of the document's text; the quote is the text there).

:func:`extract_document` reads a document (streamed, see :mod:`rightsgraph.sources.reading`) and proposes
candidates; :func:`write_review` writes them atomically; :func:`load_candidates` reads review files
back for ``claims.load`` (``build --include-candidates`` and ``accept``); :func:`accept` moves the
accepted items into ``graph/``, all or nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rightsgraph.claims import loader as claims_mod
from rightsgraph.extraction import propose as extract_mod
from rightsgraph.errors import DataError, Problem, UsageError
from rightsgraph.paths import Paths, project
from rightsgraph.sources.reading import BLOCK_CHARS, Document, ReadError, Reader, spans_at, title as doc_title

STATES = ("pending", "accept", "reject")
EXTRA_FIELDS = ("review", "offsets")
ENTITIES_FILE = "extracted.yaml"
_SHA = re.compile(r"^[0-9a-f]{64}$")


def source_id(path: str | os.PathLike) -> str:
    """A source id derived from a file name: lower case, hyphens for anything else.

    >>> source_id("/tmp/HRW Report_2019.html")
    'hrw-report-2019'
    """
    return extract_mod.slug(Path(path).stem)


def relative(path: str | os.PathLike, root: Path) -> str:
    """A path as written in a record: relative to the project root (with ``..`` if need be), in POSIX form."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).resolve().as_posix()


def _plain(value: Any) -> Any:
    """A loaded YAML value as plain dicts and lists (line-numbered mappings are not representable)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Block(dict):
    """A mapping always written in block style (a source record, the facts of a claim)."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when there is one
    """The safe dumper, with :class:`_Block` mappings in block style."""


_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_Dumper.add_representer(_Block, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=False))


def _styled(value: Any, key: str | None = None) -> Any:
    """Plain data with the mappings that read best in block style marked so."""
    if isinstance(value, dict):
        out = {k: _styled(v, k) for k, v in value.items()}
        return _Block(out) if key in ("document", "facts", "item", None) else out
    if isinstance(value, list):
        return [_styled(v, "item" if isinstance(v, dict) and key in ("claims", "new_entities", None) else key) for v in value]
    return value


def dump(value: Any) -> str:
    """YAML in the style of ``graph/``: block mappings, flow style for figures and short lists, one line per scalar."""
    return yaml.dump(_styled(_plain(value)), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=None)


def atomic_write(path: Path, text: str) -> None:
    """Write a file through a temporary file and ``os.replace``: the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------------
# What the project already holds
# --------------------------------------------------------------------------------------------

@dataclass
class ProjectState:
    """The project's sources, entities and curated claims, read without anchoring (enough to extract against)."""

    sources: dict[str, claims_mod.SourceRecord]
    entities: dict[str, claims_mod.Entity]
    claims: list[claims_mod.Claim]
    manifest: dict[str, dict]
    onto: Any
    problems: list[Problem]

    def known(self, sha256: str) -> dict | None:
        """The source record (graph/sources.yaml first, then the corpus manifest) of a document with this sha256."""
        for s in self.sources.values():
            if s.sha256 == sha256:
                return {k: v for k, v in (("id", s.id), ("file", s.file), ("title", s.title), ("publisher", s.publisher),
                                          ("url", s.url), ("sha256", s.sha256), ("path", s.path)) if v}
        for ident, entry in self.manifest.items():
            if str(entry.get("sha256", "")).lower() == sha256:
                rec = {"id": ident}
                rec.update({k: entry[k] for k in ("file", "title", "publisher", "url", "sha256", "license", "latest")
                            if entry.get(k) is not None})
                return rec
        return None

    def curated_keys(self) -> set[tuple]:
        """(source, subject and facts key, quote, occurrence) of every claim in graph/."""
        return {(c.source, c.key, c.evidence.quote, c.evidence.occurrence) for c in self.claims}


def project_state(paths: Paths, corpus=None, onto=None) -> ProjectState:
    """Read graph/ (sources, entities, claims) without anchoring; problems are kept, not raised."""
    from rightsgraph.model import ontology as ontology_mod

    onto = onto or ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    reader = claims_mod._Reader(paths, onto)
    try:
        sources = reader.sources()
        entities = reader.entities(sources)
        curated = reader.claims(sources, entities)
    except DataError as exc:  # a YAML syntax error in graph/
        raise DataError(exc.problems + [Problem("graph", 0, "fix graph/ first (rightsgraph validate)")]) from None
    return ProjectState(sources, entities, curated, dict(corpus.manifest) if corpus is not None else {}, onto,
                        reader.problems)


# --------------------------------------------------------------------------------------------
# Extraction of one document
# --------------------------------------------------------------------------------------------

@dataclass
class Extraction:
    """What extraction found in one document: its source record, candidate claims and new entities."""

    path: Path
    document: dict
    known: bool
    claims: list[dict] = field(default_factory=list)
    new_entities: list[dict] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    duplicates: int = 0
    blocks: int = 0
    size: int = 0

    @property
    def source(self) -> str:
        return self.document["id"]


def _record(doc: Document | None, reader: Reader, state: ProjectState, root: Path, url: str | None,
            publisher: str | None, taken: dict[str, str]) -> tuple[dict, bool]:
    """The source record of a document: the known one if its sha256 is known, else a new one."""
    known = state.known(reader.sha256)
    path = relative(reader.path, root)
    if known is not None:
        known = dict(known)
        if url and not known.get("url"):
            known["url"] = url
        known["path"] = path
        return known, known["id"] in state.sources
    ident = source_id(reader.path)
    if (ident in state.sources or ident in state.manifest or taken.get(ident, reader.sha256) != reader.sha256):
        ident = f"{ident}-{reader.sha256[:8]}"
    title = (doc_title(doc, reader.is_html) if doc is not None else None) or reader.path.stem
    if publisher is None and doc is not None and reader.is_html:
        m = re.search(r"""<meta[^>]+(?:property|name)=["'](?:og:site_name|author)["'][^>]*content=["']([^"']+)""",
                      doc.text[:65536], re.IGNORECASE)
        publisher = " ".join(m.group(1).split()) if m else None
    if publisher is None and url:
        publisher = re.sub(r"^www\.", "", re.sub(r"^[a-z][a-z0-9+.-]*://", "", url).split("/")[0]) or None
    record = {"id": ident, "file": reader.path.name, "title": title, "publisher": publisher or "unknown",
              "url": url or _hash_iri(reader.sha256), "sha256": reader.sha256, "path": path}
    return record, False


def _hash_iri(sha256: str) -> str:
    """An RFC 6920 ``ni:`` IRI naming the document by its bytes, for a document whose URL is not known."""
    import base64

    return "ni:///sha-256;" + base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode("ascii").rstrip("=")


def _shift(item: dict, base: int, block: Document) -> dict | None:
    """A candidate of a block with its offsets made global; None if its quote is not the block's text there."""
    offsets = item.get("offsets")
    if not (isinstance(offsets, (list, tuple)) and len(offsets) == 2 and all(isinstance(x, int) for x in offsets)):
        return None
    start, end = offsets
    if not (0 <= start < end <= len(block.text)) or block.text[start:end] != item.get("quote"):
        return None
    out = dict(item)
    out["offsets"] = [start + base, end + base]
    out.pop("occurrence", None)
    return out


def _entity_record(item: dict, source: str) -> dict:
    """A proposed entity in the order of graph/entities/*.yaml, its source set."""
    out = {k: item[k] for k in ("id", "type", "label", "aliases", "description") if item.get(k)}
    out["source"] = source
    for k in ("quote", "occurrence", "method", "confidence", "offsets"):
        if item.get(k) is not None:
            out[k] = item[k]
    return out


def extract_document(path: str | os.PathLike, state: ProjectState, paths: Paths, url: str | None = None,
                     publisher: str | None = None, taken: dict[str, str] | None = None,
                     block_chars: int = BLOCK_CHARS, progress: Callable[[int, int], None] | None = None) -> Extraction:
    """Read a document block by block, propose candidates and check them; raise ReadError on a bad input."""
    reader = Reader(path, block_chars=block_chars)
    total = os.path.getsize(path) if os.path.isfile(path) else 0
    first: Document | None = None
    raw_claims: list[dict] = []
    raw_entities: list[dict] = []
    seen: set[tuple] = set()
    propose_entities = getattr(extract_mod, "propose_entities", None)
    for block in reader:
        if first is None:
            first = block
        if progress:
            progress(block.base + len(block.text), total)
        lead = len(block.clean) - len(block.clean.lstrip())
        if lead == len(block.clean):
            continue  # blank space (or markup) only
        tail = len(block.clean.rstrip())
        if lead or tail < len(block.clean):  # the rules run on the part between blank margins
            block = Document(block.path, block.text[lead:tail], block.clean[lead:tail], range(tail - lead), block.base + lead)
        for item in extract_mod.propose(block, state.entities):
            shifted = _shift(item, block.base, block)
            key = shifted and (shifted["subject"], repr(shifted["facts"]), shifted["offsets"][0])
            if shifted and key not in seen:
                seen.add(key)
                raw_claims.append(shifted)
        if propose_entities is not None:
            for item in propose_entities(block, state.entities):
                shifted = _shift(item, block.base, block)
                if shifted:
                    raw_entities.append(shifted)
    taken = taken if taken is not None else {}
    record, known = _record(first, reader, state, paths.root, url, publisher, taken)
    taken[record["id"]] = reader.sha256
    ex = Extraction(Path(path), record, known, blocks=reader.blocks, size=reader.size)
    # the occurrence of every quote, counted over the whole text in a second streamed pass
    items = raw_claims + raw_entities
    found, sha = spans_at(path, [(i["offsets"][0], i["offsets"][1], i["quote"]) for i in items], block_chars)
    if sha is not None and sha != reader.sha256:
        raise ReadError(f"{path}: the file changed while it was read")
    for item, (text, occurrence) in zip(items, found):
        if text != item["quote"] or occurrence is None:  # pragma: no cover - guarded by _shift
            item["_bad"] = True
        elif occurrence > 1:
            item["occurrence"] = occurrence
    _check(ex, [c for c in raw_claims if not c.get("_bad")], [e for e in raw_entities if not e.get("_bad")], state)
    return ex


def _problems_of(reader: claims_mod._Reader, before: int) -> str:
    return "; ".join(p.message for p in reader.problems[before:])


def _check(ex: Extraction, raw_claims: list[dict], raw_entities: list[dict], state: ProjectState) -> None:
    """Keep the candidates that pass the loader's checks and are not already in graph/; say why the others went."""
    reader = claims_mod._Reader(Paths(Path(".")), state.onto)
    src = ex.document["id"]
    sources = dict(state.sources)
    if src not in sources:
        rec = ex.document
        sources[src] = claims_mod.SourceRecord(
            id=src, file=str(rec.get("file")), title=str(rec.get("title")), publisher=str(rec.get("publisher")),
            url=str(rec.get("url")), sha256=str(rec.get("sha256")), origin=claims_mod.Origin("review", 0))
    entities = dict(state.entities)
    names = {(e.kind, claims_mod.normalize_name(n)): e.id for e in entities.values() for n in [e.label, *e.aliases]}
    for item in raw_entities:
        record = _entity_record(item, src)
        if record.get("id") in entities:
            continue  # already known: not new
        kind = str(record.get("id", "")).split("/", 1)[0]
        clash = next((names[(kind, claims_mod.normalize_name(str(n)))] for n in [record.get("label", ""), *(record.get("aliases") or [])]
                      if (kind, claims_mod.normalize_name(str(n))) in names), None)
        if clash:
            ex.dropped.append(f"new entity {record.get('id')}: shares a name with {clash}")
            continue
        before = len(reader.problems)
        ent = reader.entity({k: v for k, v in record.items() if k not in EXTRA_FIELDS},
                            claims_mod.Origin("review", 0), sources)
        if ent is None or len(reader.problems) > before:
            ex.dropped.append(f"new entity {record.get('id')}: {_problems_of(reader, before)}")
            continue
        entities[ent.id] = ent
        names.update({(ent.kind, claims_mod.normalize_name(n)): ent.id for n in [ent.label, *ent.aliases]})
        ex.new_entities.append({"review": "pending", **record})
    curated = state.curated_keys()
    for item in raw_claims:
        before = len(reader.problems)
        body = {k: v for k, v in item.items() if k not in EXTRA_FIELDS}
        claim = reader.claim(body, claims_mod.Origin("review", 0), src, sources, entities)
        if claim is None or len(reader.problems) > before:
            ex.dropped.append(f"{item.get('subject')} {item.get('facts')}: {_problems_of(reader, before)}")
            continue
        if (src, claim.key, claim.evidence.quote, claim.evidence.occurrence) in curated:
            ex.duplicates += 1
            continue
        ex.claims.append({"review": "pending", **item})
    used = {c["subject"] for c in ex.claims} | {str(v) for c in ex.claims for v in _values(c.get("facts"))}
    used |= {c.get("according_to") for c in ex.claims}
    ex.new_entities = [e for e in ex.new_entities if e["id"] in used] + \
        [e for e in ex.new_entities if e["id"] not in used]


def _values(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _values(v)
    elif isinstance(value, list):
        for v in value:
            yield from _values(v)
    else:
        yield value


# --------------------------------------------------------------------------------------------
# Writing a review file
# --------------------------------------------------------------------------------------------

HEADER = """\
# Review file written by `rightsgraph extract` on {date}: candidates proposed by extraction
# rules from {path}
# ({claims} claim(s), {entities} new entit{ies}). Nothing here is in the graph yet.
#
# For each item, change `review: pending` to `review: accept` or `review: reject`. Correct what is
# wrong (subject, facts, certainty, according_to) as in graph/claims/*.yaml (docs/authoring.md);
# a quote may be shortened to a part of itself. Keep `offsets` (the quote's place in the document),
# `method` (the rule that proposed it) and `confidence`. A claim that names a new entity needs that
# entity accepted too. Then:
#
#   rightsgraph accept {review}
#       moves the items marked accept into graph/ (all or nothing; they leave this file)
#   rightsgraph accept --all {review}
#       moves every item not marked reject
#   rightsgraph build --include-candidates
#       builds a graph that also holds every item of review/ not marked reject, unreviewed
#
# `document:` is the source record: it is added to graph/sources.yaml with the first accepted item
# if the source is new. Check its title and publisher, and its url (an ni: name made from the
# sha256 stands in for an unknown URL).
"""


def _state_key(item: dict) -> tuple:
    return (item.get("id"), item.get("subject"), repr(item.get("facts")), item.get("quote"), repr(item.get("offsets")))


def reviewed_documents(folder: str | os.PathLike) -> dict[str, str]:
    """The documents that the review files of a folder are about: source id -> sha256 (so another document's file is
    not overwritten by a document of the same name)."""
    out: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.yaml")) if Path(folder).is_dir() else []:
        try:
            doc = (yaml.load(path.read_text(encoding="utf-8"), Loader=_FastLoader) or {}).get("document") or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError, AttributeError):
            continue
        if isinstance(doc, dict) and doc.get("id") and doc.get("sha256") and path.stem == str(doc["id"]):
            out[str(doc["id"])] = str(doc["sha256"]).lower()
    return out


def _previous_decisions(path: Path) -> dict[tuple, str]:
    """The review decisions of an existing review file, by item, to carry over when it is written again."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FastLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    out = {}
    if isinstance(data, dict):
        for part in ("claims", "new_entities"):
            for item in data.get(part) or []:
                if isinstance(item, dict) and item.get("review") in ("accept", "reject"):
                    out[_state_key(_plain(item))] = item["review"]
    return out


def write_review(ex: Extraction, out_path: str | os.PathLike, root: Path | None = None) -> Path:
    """Write the review file of an extraction atomically (decisions of an earlier file for the same items are kept)."""
    out_path = Path(out_path)
    decisions = _previous_decisions(out_path) if out_path.exists() else {}
    claims_ = [{**c, "review": decisions.get(_state_key(c), c["review"])} for c in ex.claims]
    ents = [{**e, "review": decisions.get(_state_key(e), e["review"])} for e in ex.new_entities]
    where = relative(out_path, root) if root else str(out_path)
    parts = [HEADER.format(date=dt.date.today().isoformat(), path=ex.document.get("path", ex.path),
                           claims=len(claims_), entities=len(ents), ies="y" if len(ents) == 1 else "ies", review=where),
             dump({"document": ex.document, "source": ex.source})]
    for name, items in (("new_entities", ents), ("claims", claims_)):
        parts.append(f"{name}:\n" if items else f"{name}: []\n")
        parts.extend(dump([item]) for item in items)  # item by item: no second copy of the whole structure
    atomic_write(out_path, "".join(parts))
    return out_path


def review_file(doc: Document, claims: list[dict], out_path: str | os.PathLike) -> Path | None:
    """Write candidates of a whole document as a review file, atomically; write nothing and return None if there are none."""
    if not claims:
        return None
    data = Path(doc.path).read_bytes()
    record = {"id": source_id(doc.path), "file": Path(doc.path).name, "title": doc_title(doc, False) or Path(doc.path).stem,
              "publisher": "unknown", "url": _hash_iri(hashlib.sha256(data).hexdigest()),
              "sha256": hashlib.sha256(data).hexdigest(), "path": relative(doc.path, project().root)}
    ex = Extraction(Path(doc.path), record, False, claims=[{"review": "pending", **c} for c in claims])
    return write_review(ex, out_path)


def extract(path: str | os.PathLike, entities: dict | Iterable, out_path: str | os.PathLike) -> Path | None:
    """Read a document, propose claims and write its review file; a bad input raises before anything is written."""
    from rightsgraph.sources.reading import read

    doc = read(path)
    return review_file(doc, extract_mod.propose(doc, entities), out_path)


# --------------------------------------------------------------------------------------------
# Reading review files back: claims.load(..., candidates=Candidates(...))
# --------------------------------------------------------------------------------------------

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


def _strip(item: Any) -> Any:
    """A review item without the fields the authoring format does not have (line numbers kept)."""
    out = copy.copy(item)
    for k in EXTRA_FIELDS:
        out.pop(k, None)
    return out


def load_candidates(reader: claims_mod._Reader, sources: dict, entities: dict, curated: list,
                    candidates: Candidates, corpus=None) -> list:
    """Read review files into sources, entities and claims with their offsets set (used by claims.load)."""
    if not isinstance(candidates, Candidates):
        candidates = Candidates.folder(candidates)
    line = claims_mod._line
    keys = {(c.source, c.key, c.evidence.quote, c.evidence.occurrence) for c in curated}
    graph_entities = set(entities)
    out = []
    for path in candidates.files:
        label = reader.rel(Path(path))
        try:
            data = claims_mod.read_yaml(Path(path), label)
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
            origin = claims_mod.Origin(label, line(item))
            if part == "new_entities":
                body = _strip(item)
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
        claim = reader.claim(_strip(item), origin, src, sources, entities)
        if claim is None or len(reader.problems) > before:
            continue
        claim.evidence.start, claim.evidence.end, claim.evidence.occurrence = ev
        if (claim.source, claim.key, claim.evidence.quote, claim.evidence.occurrence) in keys:
            candidates.skipped.append((Path(origin.file), "claims", item,
                                       f"{claim.subject} {_plain(item.get('facts'))}: already in graph/"))
            continue
        keys.add((claim.source, claim.key, claim.evidence.quote, claim.evidence.occurrence))
        candidates.loaded.append((Path(origin.file), "claims", item, claim))
        claims_out.append(claim)
    return claims_out


def sources_in_graph(sources: dict) -> set[str]:
    """The ids of the source records written in graph/sources.yaml (not those of review files)."""
    return {k for k, s in sources.items() if s.origin.file.endswith("sources.yaml")}


def _document(reader: claims_mod._Reader, label: str, doc: dict, sources: dict, candidates: Candidates) -> bool:
    """Check a review file's document record and add it to the sources if it is new; False on a problem."""
    line = claims_mod._line
    src = str(doc.get("id", ""))
    origin = claims_mod.Origin(label, line(doc))
    candidates.documents[src] = _plain(doc)
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
    sources[src] = claims_mod.SourceRecord(
        id=src, file=str(doc["file"]), title=str(doc["title"]), publisher=str(doc["publisher"]), url=url,
        sha256=sha, origin=origin, license=doc.get("license"), latest=doc.get("latest"),
        path=str(doc["path"]) if doc.get("path") else None)
    return True


def _evidence_at(reader, label: str, item: Any, span: tuple[int, int, str], check, text_path) -> tuple | None:
    """The (start, end, occurrence) of a review item's quote, checked against the text when it is at hand."""
    line = claims_mod._line
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


# --------------------------------------------------------------------------------------------
# Paths to the source texts outside the corpus (claims.load with a corpus)
# --------------------------------------------------------------------------------------------

class _Texts(dict):
    """Texts of sources outside the corpus, read from their ``path`` when first asked for."""

    def __init__(self, files: dict[str, Path]):
        super().__init__()
        self.files = files

    def __contains__(self, key: object) -> bool:
        return key in self.files

    def __missing__(self, key: str) -> str:
        from rightsgraph.sources.reading import read_text

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


# --------------------------------------------------------------------------------------------
# Accepting reviewed items into graph/
# --------------------------------------------------------------------------------------------

@dataclass
class AcceptReport:
    """What ``accept`` did."""

    claims: int = 0
    entities: int = 0
    source_added: str | None = None
    skipped: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    left: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Staged(Paths):
    """The project's paths with graph/ replaced by a staging copy."""

    staged: Path = Path(".")

    @property
    def graph(self) -> Path:
        return self.staged


def _append_list(path: Path, items: list[dict], header: str, key: str | None = None) -> str:
    """The text of a YAML file with ``items`` appended to its list (top level, or under ``key``); checked by reading back."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if not old.strip():
        old = header
    before = yaml.load(old, Loader=_FastLoader)
    indent = ""
    if key is not None:
        m = re.search(rf"^{re.escape(key)}:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)- ", old, re.MULTILINE)
        indent = m.group(1) if m else "  "
        if re.search(rf"^{re.escape(key)}:[ \t]*\[\][ \t]*$", old, re.MULTILINE):
            old = re.sub(rf"^{re.escape(key)}:[ \t]*\[\][ \t]*$", f"{key}:", old, count=1, flags=re.MULTILINE)
    chunks = []
    for item in items:
        block = dump([item])
        chunks.append("".join(indent + ln if ln.strip() else ln for ln in block.splitlines(keepends=True)))
    text = old if old.endswith("\n") else old + "\n"
    text += "\n" + "\n".join(chunks)
    after = yaml.load(text, Loader=_FastLoader)
    old_list = (before or {}).get(key) if key else before
    new_list = after.get(key) if key and isinstance(after, dict) else after
    if (old_list or []) + _plain(items) != new_list:
        raise UsageError(f"{path}: cannot append to it safely (its list is not the last thing in the file); "
                         "move the items by hand")
    return text


def _item_for_graph(item: Any, loaded: Any, part: str) -> dict:
    """A review item as it goes into graph/: without review and offsets, its occurrence as found in the text."""
    out = _plain(_strip(item))
    occurrence = loaded.evidence.occurrence
    out.pop("occurrence", None)
    if occurrence > 1:
        keys = list(out)
        pos = keys.index("quote") + 1 if "quote" in keys else len(keys)
        out = dict(list(out.items())[:pos] + [("occurrence", occurrence)] + list(out.items())[pos:])
    return out


def _remove_items(path: Path, data: Any, removed: set[int]) -> str:
    """The review file's text without the items whose line numbers are in ``removed`` (comments and edits kept)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    parts = [p for p in ("new_entities", "claims") if isinstance(data.get(p), list)]
    for part in parts:
        items = data[part]
        starts = [claims_mod._line(i) for i in items]
        later = [claims_mod._line(data, k) for k in data.key_lines if claims_mod._line(data, k) > (starts[-1] if starts else 0)]
        end_of_list = min(later) if later else len(lines) + 1
        for n, item in enumerate(items):
            if starts[n] in removed:
                stop = starts[n + 1] if n + 1 < len(items) else end_of_list
                drop.update(range(starts[n], stop))
    kept = [ln for i, ln in enumerate(lines, 1) if i not in drop]
    out = "".join(kept)
    for part in parts:
        if all(claims_mod._line(i) in removed for i in data[part]):
            out = re.sub(rf"^{part}:[ \t]*$", f"{part}: []", out, count=1, flags=re.MULTILINE)
    expect = _plain(data)
    for part in parts:
        expect[part] = [_plain(i) for i in data[part] if claims_mod._line(i) not in removed]
    try:
        if yaml.load(out, Loader=_FastLoader) == expect:
            return out
    except yaml.YAMLError:
        pass
    head = "".join(ln for ln in lines if ln.startswith("#"))
    return head + dump(expect)


def accept(paths: Paths, review_path: str | os.PathLike, all_items: bool = False, corpus=None,
           progress: Callable[[str], None] = lambda _: None) -> AcceptReport:
    """Move the accepted items of a review file into graph/ after checking the whole would-be graph; all or nothing."""
    from rightsgraph.store import build as build_mod
    from rightsgraph.model import ontology as ontology_mod

    review_path = Path(review_path)
    if not review_path.is_file():
        raise UsageError(f"no review file {review_path}")
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    select = (lambda s: s != "reject") if all_items else (lambda s: s == "accept")
    cands = Candidates([review_path.resolve()], select, require_text=True)
    progress("checking the accepted items against graph/" + (" and the corpus" if corpus is not None else ""))
    collection = claims_mod.load(paths, corpus, onto, candidates=cands)
    report = AcceptReport()
    label = claims_mod._Reader(paths, onto).rel(review_path.resolve())
    data = claims_mod.read_yaml(review_path, label)
    doc = _plain(data.get("document") or {}) if isinstance(data, dict) else {}
    src = str(doc.get("id", ""))
    report.skipped = [why for *_, why in cands.skipped]
    moved = [(part, item, obj) for _, part, item, obj in cands.loaded]
    if moved:
        _move(paths, collection, moved, doc, src, onto, corpus, report, progress, build_mod)
    removed = {claims_mod._line(item) for _, item, _ in moved} | {claims_mod._line(item) for _, _, item, _ in cands.skipped}
    if removed:
        atomic_write(review_path, _remove_items(review_path, data, removed))
    left = {s: 0 for s in STATES}
    for part in ("claims", "new_entities"):
        for item in data.get(part) or []:
            if isinstance(item, dict) and claims_mod._line(item) not in removed:
                left[item.get("review", "pending")] = left.get(item.get("review", "pending"), 0) + 1
    report.left = left
    return report


def _file_sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _move(paths: Paths, collection, moved: list, doc: dict, src: str, onto, corpus, report: AcceptReport,
          progress: Callable[[str], None], build_mod) -> None:
    """Write the moved items into a staging copy of graph/, check it whole, and swap the changed files in."""
    staging = Path(tempfile.mkdtemp(prefix=".accept-", dir=paths.root))
    try:
        shutil.copytree(paths.graph, staging / "graph")
        staged = _Staged(paths.root, staging / "graph")
        snapshot = {f.relative_to(staged.graph).as_posix(): _file_sha(f) for f in staged.graph.rglob("*") if f.is_file()}
        changes: dict[str, str] = {}
        if src not in sources_in_graph(collection.sources):
            record = {k: doc[k] for k in ("id", "file", "title", "publisher", "url", "sha256", "path", "license", "latest")
                      if doc.get(k) is not None}
            changes["sources.yaml"] = _append_list(staged.graph / "sources.yaml", [record], "")
            report.source_added = src
        ents = [{**_item_for_graph(item, obj, part), "source": src} for part, item, obj in moved if part == "new_entities"]
        if ents:
            header = ("# Entities proposed by `rightsgraph extract` and accepted by a reviewer (`rightsgraph accept`).\n"
                      "# Each keeps the rule that proposed it (method) and its confidence.\n")
            changes[f"entities/{ENTITIES_FILE}"] = _append_list(staged.graph / "entities" / ENTITIES_FILE, ents, header)
            report.entities = len(ents)
        cls = [_item_for_graph(item, obj, part) for part, item, obj in moved if part == "claims"]
        if cls:
            name = f"claims/{src}.yaml"
            header = (f"# Claims of {doc.get('title', src)!s} proposed by `rightsgraph extract` and accepted by a reviewer.\n"
                      "# method: the extraction rule; confidence: the rule's confidence. See docs/authoring.md.\n"
                      f"source: {src}\nclaims:\n")
            existing = staged.graph / name
            if existing.exists():
                head = yaml.load(existing.read_text(encoding="utf-8"), Loader=_FastLoader) or {}
                if str(head.get("source")) != src:
                    raise UsageError(f"graph/{name} holds claims of {head.get('source')!r}, not of {src!r}")
            changes[name] = _append_list(existing, cls, header, key="claims")
            report.claims = len(cls)
        for name, text in changes.items():
            atomic_write(staged.graph / name, text)
        anchors = {str(c.iri): (c.evidence.start, c.evidence.end, claims_mod.quote_digest(c.evidence.quote))
                   for c in collection.claims}
        claims_mod.write_anchors(staged.graph / claims_mod.ANCHORS_FILE, anchors)
        changes[claims_mod.ANCHORS_FILE] = ""
        progress("checking the would-be graph (YAML, offsets, SHACL)")
        try:
            build_mod.check(staged, corpus, shacl=True)
        except DataError as exc:
            prefix = claims_mod._Reader(paths, onto).rel(staged.graph)
            raise DataError([Problem(p.file.replace(prefix, "graph", 1), p.line, p.message) for p in exc.problems]) from None
        # all is well: swap the changed files in, unless graph/ changed meanwhile
        for name in changes:
            if _file_sha(paths.graph / name) != snapshot.get(name):
                raise UsageError(f"graph/{name} changed while the items were being checked; nothing was written: "
                                 "run accept again")
        backups = {n: ((paths.graph / n).read_bytes() if (paths.graph / n).exists() else None) for n in changes}
        done: list[str] = []
        try:
            for name in changes:
                (paths.graph / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged.graph / name, paths.graph / name)
                done.append(name)
        except BaseException:
            for name in done:
                if backups[name] is None:
                    (paths.graph / name).unlink(missing_ok=True)
                else:
                    atomic_write(paths.graph / name, backups[name].decode("utf-8"))
            raise
        report.written = [f"graph/{n}" for n in changes]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
