"""The review-file format: candidate claims and entities of one document, for a person to accept or reject.

A review file is the authoring format of ``graph/claims/*.yaml`` (``source:`` and ``claims:``) plus
``document:`` (the document's source record, with the ``path`` it was read from, relative to the
project root), ``new_entities:`` (proposed entity records) and, on every item, ``review:``
(``pending``, ``accept`` or ``reject``), ``method`` (the rule's activity IRI), ``confidence`` and
``offsets: [start, end]`` (characters of the document's text; the quote is the text there).
This module writes and reads that format and nothing else: proposing candidates is
:mod:`rightsgraph.extraction.workflow`'s job, loading them with the graph :mod:`rightsgraph.claims.extracted`'.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from rightsgraph.claims.yamlfile import FastLoader, dump, line_of, plain
from rightsgraph.fileio import atomic_write

STATES = ("pending", "accept", "reject")
EXTRA_FIELDS = ("review", "offsets")
ENTITIES_FILE = "extracted.yaml"


def relative(path: str | os.PathLike, root: Path) -> str:
    """A path as written in a record: relative to the project root (with ``..`` if need be), in POSIX form."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), root)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).resolve().as_posix()


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
            doc = (yaml.load(path.read_text(encoding="utf-8"), Loader=FastLoader) or {}).get("document") or {}
        except (OSError, yaml.YAMLError, UnicodeDecodeError, AttributeError):
            continue
        if isinstance(doc, dict) and doc.get("id") and doc.get("sha256") and path.stem == str(doc["id"]):
            out[str(doc["id"])] = str(doc["sha256"]).lower()
    return out


def _previous_decisions(path: Path) -> dict[tuple, str]:
    """The review decisions of an existing review file, by item, to carry over when it is written again."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=FastLoader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    out = {}
    if isinstance(data, dict):
        for part in ("claims", "new_entities"):
            for item in data.get(part) or []:
                if isinstance(item, dict) and item.get("review") in ("accept", "reject"):
                    out[_state_key(plain(item))] = item["review"]
    return out


def write(out_path: str | os.PathLike, document: dict, claims: list[dict], new_entities: list[dict],
          shown_path: str | os.PathLike, root: Path | None = None, mentions: list[dict] | None = None) -> Path:
    """Write a review file atomically (decisions of an earlier file for the same items are kept).

    ``shown_path`` is the document's path as the header names it; ``root`` the project root the
    header's ``rightsgraph accept`` command is written relative to; ``mentions`` the known entities
    found in the document (id, surface form, offsets), listed for the reviewer and never accepted.
    """
    out_path = Path(out_path)
    decisions = _previous_decisions(out_path) if out_path.exists() else {}
    claims_ = [{**c, "review": decisions.get(_state_key(c), c["review"])} for c in claims]
    ents = [{**e, "review": decisions.get(_state_key(e), e["review"])} for e in new_entities]
    where = relative(out_path, root) if root else str(out_path)
    parts = [HEADER.format(date=dt.date.today().isoformat(), path=shown_path,
                           claims=len(claims_), entities=len(ents), ies="y" if len(ents) == 1 else "ies", review=where),
             dump({"document": document, "source": document["id"]})]
    if mentions:  # one line each: what the gazetteer matched, where
        parts.append("# known entities found in the document (for the reviewer; not accepted into graph/)\nmentions:\n")
        parts.extend(f"  - {{id: {m['id']}, surface: {json.dumps(m['surface'], ensure_ascii=False)}, "
                     f"offsets: [{m['offsets'][0]}, {m['offsets'][1]}]}}\n" for m in mentions)
    for name, items in (("new_entities", ents), ("claims", claims_)):
        parts.append(f"{name}:\n" if items else f"{name}: []\n")
        parts.extend(dump([item]) for item in items)  # item by item: no second copy of the whole structure
    atomic_write(out_path, "".join(parts))
    return out_path


def strip(item: Any) -> Any:
    """A review item without the fields the authoring format does not have (line numbers kept)."""
    out = copy.copy(item)
    for k in EXTRA_FIELDS:
        out.pop(k, None)
    return out


def remove_items(path: Path, data: Any, removed: set[int]) -> str:
    """The review file's text without the items whose line numbers are in ``removed`` (comments and edits kept)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    parts = [p for p in ("new_entities", "claims") if isinstance(data.get(p), list)]
    for part in parts:
        items = data[part]
        starts = [line_of(i) for i in items]
        later = [line_of(data, k) for k in data.key_lines if line_of(data, k) > (starts[-1] if starts else 0)]
        end_of_list = min(later) if later else len(lines) + 1
        for n, item in enumerate(items):
            if starts[n] in removed:
                stop = starts[n + 1] if n + 1 < len(items) else end_of_list
                drop.update(range(starts[n], stop))
    kept = [ln for i, ln in enumerate(lines, 1) if i not in drop]
    out = "".join(kept)
    for part in parts:
        if all(line_of(i) in removed for i in data[part]):
            out = re.sub(rf"^{part}:[ \t]*$", f"{part}: []", out, count=1, flags=re.MULTILINE)
    expect = plain(data)
    for part in parts:
        expect[part] = [plain(i) for i in data[part] if line_of(i) not in removed]
    try:
        if yaml.load(out, Loader=FastLoader) == expect:
            return out
    except yaml.YAMLError:
        pass
    head = "".join(ln for ln in lines if ln.startswith("#"))
    return head + dump(expect)
