"""The audit log: one JSON line appended per release built and per review file accepted, never rewritten."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def append(path: str | os.PathLike, event: str, **fields) -> dict:
    """Append one line ``{"event": ..., "when": ..., **fields}`` to the log at ``path``; return it.

    The file is opened for appending only (``O_APPEND``) and the line written in one call, so earlier
    lines are never touched and two writers do not interleave inside a line.

    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "audit.jsonl"
    >>> _ = append(log, "accept", review_file="review/x.yaml", entered=3)
    >>> [r["entered"] for r in read(log)]
    [3]
    """
    record = {"event": event, "when": now(), **fields}
    line = (json.dumps(record, sort_keys=True, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return record


def read(path: str | os.PathLike) -> list[dict]:
    """Every record of the log, oldest first (none if there is no log yet)."""
    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
