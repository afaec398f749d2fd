"""The corpus folder: the source texts, read but never copied into the project, and their checksums."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

import yaml

from rightsgraph.errors import Problem, UsageError


class SourceRecord(Protocol):
    """What the corpus needs of a source record (``rightsgraph.claims.records.SourceRecord`` has it)."""

    id: str
    file: str
    sha256: str

    @property
    def origin(self): ...


class Corpus:
    """A folder of source texts with their ``manifest.yaml``.

    >>> Corpus("/nonexistent")
    Traceback (most recent call last):
    ...
    rightsgraph.errors.UsageError: corpus folder /nonexistent does not exist (give --corpus DIR or set RIGHTSGRAPH_CORPUS)
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise UsageError(f"corpus folder {folder} does not exist (give --corpus DIR or set RIGHTSGRAPH_CORPUS)")
        self._texts: dict[str, str | None] = {}
        manifest = self.folder / "manifest.yaml"
        self.manifest: dict[str, dict] = {}
        if manifest.exists():
            data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
            self.manifest = {str(s["id"]): s for s in data.get("sources", [])}

    def path(self, source: "SourceRecord") -> Path:
        return self.folder / source.file

    def text(self, source: "SourceRecord") -> str | None:
        """Return the source's text, or None if its file is missing or not UTF-8."""
        if source.id not in self._texts:
            try:
                self._texts[source.id] = self.path(source).read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self._texts[source.id] = None
        return self._texts[source.id]

    def check_source_files(self, sources: dict[str, "SourceRecord"]) -> list[Problem]:
        """Check every source record against the corpus: file present, sha256 and manifest agree."""
        problems = []
        for s in sources.values():
            path = self.path(s)
            if not path.exists():
                problems.append(s.origin.problem(f"source {s.id!r}: file {s.file} not found in the corpus {self.folder}"))
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest != s.sha256:
                problems.append(s.origin.problem(f"source {s.id!r}: sha256 of {s.file} is {digest}, the record says {s.sha256}"))
            if self.text(s) is None:
                problems.append(s.origin.problem(f"source {s.id!r}: {s.file} is not UTF-8 text"))
            entry = self.manifest.get(s.id)
            if self.manifest and entry is None:
                problems.append(s.origin.problem(f"source {s.id!r} is not in the corpus manifest"))
            elif entry is not None:
                for key, mine in (("file", s.file), ("sha256", s.sha256), ("title", s.title), ("publisher", s.publisher)):
                    if str(entry.get(key, mine)) != mine:
                        problems.append(s.origin.problem(f"source {s.id!r}: {key} {mine!r} differs from the manifest's {entry.get(key)!r}"))
        return problems
