"""Review files: the candidate claims of a document, written for a person to accept or reject."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import yaml

from .extract import propose, slug
from .reading import Document, read

def source_id(path: str | os.PathLike) -> str:
    """A source id derived from a file name: lower case, hyphens for anything else.

    >>> source_id("/tmp/HRW Report_2019.html")
    'hrw-report-2019'
    """
    return slug(Path(path).stem)


def review_file(doc: Document, claims: list[dict], out_path: str | os.PathLike) -> Path | None:
    """Write the claims as a YAML review file, atomically; write nothing and return None if there are none."""
    if not claims:
        return None
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    data = {"source": source_id(doc.path), "claims": claims}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path


def extract(path: str | os.PathLike, entities: dict | Iterable, out_path: str | os.PathLike) -> Path | None:
    """Read a document, propose claims and write its review file; a bad input raises before anything is written."""
    doc = read(path)
    return review_file(doc, propose(doc, entities), out_path)
