"""The extraction workflow: a document in, a review file out (``rightsgraph extract``), and the reviewed
items moved into ``graph/`` (``rightsgraph accept``), all or nothing.

:func:`extract_document` reads a document (streamed, see :mod:`rightsgraph.sources.reading`), runs the
rules of :mod:`rightsgraph.extraction.propose` and keeps the candidates the loader accepts;
:func:`write_review` writes them in the format of :mod:`rightsgraph.claims.reviewfile`;
:func:`accept` checks the whole would-be graph in a staging copy before it swaps any file in.
"""

from __future__ import annotations

import dataclasses
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
from rightsgraph.claims.anchors import ANCHORS_FILE, quote_digest, write_anchors
from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.records import Claim, Entity, Origin, SourceRecord
from rightsgraph.claims import reviewfile
from rightsgraph.claims.extracted import Candidates, sources_in_graph
from rightsgraph.claims.reader import Reader as ClaimReader
from rightsgraph.claims.reviewfile import ENTITIES_FILE, EXTRA_FIELDS, STATES, relative
from rightsgraph.claims.yamlfile import FastLoader, dump, line_of, plain, read_yaml
from rightsgraph.errors import DataError, Problem, UsageError
from rightsgraph.extraction import propose as extract_mod
from rightsgraph.extraction.mentions import mentions as mentions_of
from rightsgraph.fileio import atomic_write
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.paths import Paths
from rightsgraph.sources.reading import BLOCK_CHARS, Document, ReadError, Reader, read, spans_at, title as doc_title
from rightsgraph.store import build as build_mod


def source_id(path: str | os.PathLike) -> str:
    """A source id derived from a file name: lower case, hyphens for anything else.

    >>> source_id("/tmp/HRW Report_2019.html")
    'hrw-report-2019'
    """
    return extract_mod.slug(Path(path).stem)


@dataclass
class ProjectState:
    """The project's sources, entities and curated claims, read without anchoring (enough to extract against)."""

    sources: dict[str, SourceRecord]
    entities: dict[str, Entity]
    claims: list[Claim]
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
    onto = onto or ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    reader = ClaimReader(paths, onto)
    try:
        sources = reader.sources()
        entities = reader.entities(sources)
        curated = reader.claims(sources, entities)
    except DataError as exc:  # a YAML syntax error in graph/
        raise DataError(exc.problems + [Problem("graph", 0, "fix graph/ first (rightsgraph validate)")]) from None
    return ProjectState(sources, entities, curated, dict(corpus.manifest) if corpus is not None else {}, onto,
                        reader.problems)


@dataclass
class Extraction:
    """What extraction found in one document: its source record, candidate claims and new entities."""

    path: Path
    document: dict
    known: bool
    claims: list[dict] = field(default_factory=list)
    new_entities: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
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
    raw_mentions: list[dict] = []
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
        for m in mentions_of(block, state.entities):  # every known entity found, for the reviewer to see
            if not m.inner:
                raw_mentions.append({"id": m.entity, "surface": block.text[m.start:m.end],
                                     "offsets": [block.base + m.start, block.base + m.end]})
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
    ex = Extraction(Path(path), record, known, mentions=raw_mentions, blocks=reader.blocks, size=reader.size)
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
    _keep_candidates_that_pass(ex, [c for c in raw_claims if not c.get("_bad")], [e for e in raw_entities if not e.get("_bad")], state, paths)
    return ex


def _problems_of(reader: ClaimReader, before: int) -> str:
    return "; ".join(p.message for p in reader.problems[before:])


def _keep_candidates_that_pass(ex: Extraction, raw_claims: list[dict], raw_entities: list[dict], state: ProjectState, paths: Paths) -> None:
    """Keep the candidates that pass the loader's checks and are not already in graph/; say why the others went."""
    reader = ClaimReader(paths, state.onto)
    src = ex.document["id"]
    sources = dict(state.sources)
    if src not in sources:
        rec = ex.document
        sources[src] = SourceRecord(
            id=src, file=str(rec.get("file")), title=str(rec.get("title")), publisher=str(rec.get("publisher")),
            url=str(rec.get("url")), sha256=str(rec.get("sha256")), origin=Origin("review", 0))
    entities = dict(state.entities)
    names = {(e.kind, normalize_name(n)): e.id for e in entities.values() for n in [e.label, *e.aliases]}
    for item in raw_entities:
        record = _entity_record(item, src)
        if record.get("id") in entities:
            continue  # already known: not new
        kind = str(record.get("id", "")).split("/", 1)[0]
        clash = next((names[(kind, normalize_name(str(n)))] for n in [record.get("label", ""), *(record.get("aliases") or [])]
                      if (kind, normalize_name(str(n))) in names), None)
        if clash:
            ex.dropped.append(f"new entity {record.get('id')}: shares a name with {clash}")
            continue
        before = len(reader.problems)
        ent = reader.entity({k: v for k, v in record.items() if k not in EXTRA_FIELDS},
                            Origin("review", 0), sources)
        if ent is None or len(reader.problems) > before:
            ex.dropped.append(f"new entity {record.get('id')}: {_problems_of(reader, before)}")
            continue
        entities[ent.id] = ent
        names.update({(ent.kind, normalize_name(n)): ent.id for n in [ent.label, *ent.aliases]})
        ex.new_entities.append({"review": "pending", **record})
    curated = state.curated_keys()
    for item in raw_claims:
        before = len(reader.problems)
        body = {k: v for k, v in item.items() if k not in EXTRA_FIELDS}
        claim = reader.claim(body, Origin("review", 0), src, sources, entities)
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


def write_review(ex: Extraction, out_path: str | os.PathLike, root: Path | None = None) -> Path:
    """Write the review file of an extraction atomically (decisions of an earlier file for the same items are kept)."""
    return reviewfile.write(out_path, ex.document, ex.claims, ex.new_entities, ex.document.get("path", ex.path), root,
                            mentions=ex.mentions)


def review_file(doc: Document, claims: list[dict], out_path: str | os.PathLike, root: Path | None = None) -> Path | None:
    """Write candidates of a whole document as a review file, atomically; write nothing and return None if there are none.

    The document's ``path`` is written relative to the project ``root`` when one is given, else absolute.
    """
    if not claims:
        return None
    data = Path(doc.path).read_bytes()
    record = {"id": source_id(doc.path), "file": Path(doc.path).name, "title": doc_title(doc, False) or Path(doc.path).stem,
              "publisher": "unknown", "url": _hash_iri(hashlib.sha256(data).hexdigest()),
              "sha256": hashlib.sha256(data).hexdigest(), "path": relative(doc.path, root) if root else Path(doc.path).resolve().as_posix()}
    ex = Extraction(Path(doc.path), record, False, claims=[{"review": "pending", **c} for c in claims])
    return write_review(ex, out_path, root)


def extract(path: str | os.PathLike, entities: dict | Iterable, out_path: str | os.PathLike,
            root: Path | None = None) -> Path | None:
    """Read a document, propose claims and write its review file; a bad input raises before anything is written."""
    doc = read(path)
    return review_file(doc, extract_mod.propose(doc, entities), out_path, root)


@dataclass
class AcceptReport:
    """What ``accept`` did."""

    claims: int = 0
    entities: int = 0
    source_added: str | None = None
    skipped: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    left: dict[str, int] = field(default_factory=dict)


def _append_list(path: Path, items: list[dict], header: str, key: str | None = None) -> str:
    """The text of a YAML file with ``items`` appended to its list (top level, or under ``key``); checked by reading back."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if not old.strip():
        old = header
    before = yaml.load(old, Loader=FastLoader)
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
    after = yaml.load(text, Loader=FastLoader)
    old_list = (before or {}).get(key) if key else before
    new_list = after.get(key) if key and isinstance(after, dict) else after
    if (old_list or []) + plain(items) != new_list:
        raise UsageError(f"{path}: cannot append to it safely (its list is not the last thing in the file); "
                         "move the items by hand")
    return text


def _item_for_graph(item: Any, loaded: Any, part: str) -> dict:
    """A review item as it goes into graph/: without review and offsets, its occurrence as found in the text."""
    out = plain(reviewfile.strip(item))
    occurrence = loaded.evidence.occurrence
    out.pop("occurrence", None)
    if occurrence > 1:
        keys = list(out)
        pos = keys.index("quote") + 1 if "quote" in keys else len(keys)
        out = dict(list(out.items())[:pos] + [("occurrence", occurrence)] + list(out.items())[pos:])
    return out


def accept(paths: Paths, review_path: str | os.PathLike, all_items: bool = False, corpus=None,
           progress: Callable[[str], None] = lambda _: None) -> AcceptReport:
    """Move the accepted items of a review file into graph/ after checking the whole would-be graph; all or nothing."""
    review_path = Path(review_path)
    if not review_path.is_file():
        raise UsageError(f"no review file {review_path}")
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    select = (lambda s: s != "reject") if all_items else (lambda s: s == "accept")
    cands = Candidates([review_path.resolve()], select, require_text=True)
    progress("checking the accepted items against graph/" + (" and the corpus" if corpus is not None else ""))
    collection = claims_mod.load(paths, corpus, onto, candidates=cands)
    report = AcceptReport()
    label = ClaimReader(paths, onto).rel(review_path.resolve())
    data = read_yaml(review_path, label)
    doc = plain(data.get("document") or {}) if isinstance(data, dict) else {}
    src = str(doc.get("id", ""))
    report.skipped = [why for *_, why in cands.skipped]
    moved = [(part, item, obj) for _, part, item, obj in cands.loaded]
    if moved:
        _move(paths, collection, moved, doc, src, onto, corpus, report, progress, build_mod)
    removed = {line_of(item) for _, item, _ in moved} | {line_of(item) for _, _, item, _ in cands.skipped}
    if removed:
        atomic_write(review_path, reviewfile.remove_items(review_path, data, removed))
    left = {s: 0 for s in STATES}
    for part in ("claims", "new_entities"):
        for item in data.get(part) or []:
            if isinstance(item, dict) and line_of(item) not in removed:
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
        staged = dataclasses.replace(paths, graph_dir=str(staging / "graph"))  # graph/ replaced by a staging copy
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
                head = yaml.load(existing.read_text(encoding="utf-8"), Loader=FastLoader) or {}
                if str(head.get("source")) != src:
                    raise UsageError(f"graph/{name} holds claims of {head.get('source')!r}, not of {src!r}")
            changes[name] = _append_list(existing, cls, header, key="claims")
            report.claims = len(cls)
        for name, text in changes.items():
            atomic_write(staged.graph / name, text)
        anchors = {str(c.iri): (c.evidence.start, c.evidence.end, quote_digest(c.evidence.quote))
                   for c in collection.claims}
        write_anchors(staged.graph / ANCHORS_FILE, anchors)
        changes[ANCHORS_FILE] = ""
        progress("checking the would-be graph (YAML, offsets, SHACL)")
        try:
            build_mod.load_checked_graph(staged, corpus, shacl=True)
        except DataError as exc:
            prefix = ClaimReader(paths, onto).rel(staged.graph)
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
