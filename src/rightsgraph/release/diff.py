"""What moved between two releases: claims added, retracted and changed, by claim and trusty URI.

Each side is a release folder (its ``store/`` is read and every claim made a nanopublication, as the
``nanopub`` export does) or a nanopublication file (the ``nanopub`` export of a release). A claim is
matched across the two by its claim IRI (``dcterms:isVersionOf`` in a nanopublication's publication
info); it changed when its trusty URI differs, i.e. when anything of its facts, its provenance or its
publication info differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rightsgraph.errors import DataError, Problem, UsageError
from rightsgraph.outputs import nanopub
from rightsgraph.paths import Paths
from rightsgraph.store import embedded


@dataclass
class Diff:
    """Claims (IRIs) added and retracted with their trusty URI, and changed with the old and the new one."""

    added: list[tuple[str, str]] = field(default_factory=list)
    retracted: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: int = 0

    def lines(self) -> list[str]:
        """One line per claim that moved: ``+`` added, ``-`` retracted, ``~`` changed (old -> new)."""
        return ([f"+ {claim} {uri}" for claim, uri in self.added]
                + [f"- {claim} {uri}" for claim, uri in self.retracted]
                + [f"~ {claim} {old} -> {new}" for claim, old, new in self.changed])

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.retracted)} retracted, {len(self.changed)} changed, "
                f"{self.unchanged} unchanged")


def claims(target: Path, paths: Paths | None = None) -> dict[str, str]:
    """Claim IRI -> trusty URI of a release folder or of a nanopublication file.

    A file's nanopublications are checked first: one whose content does not match its trusty URI is a
    DataError (a diff would otherwise report a forged claim as a change)."""
    target = Path(target)
    if target.is_dir():
        folder = target / "store" if (target / "store" / "CURRENT").exists() else target
        store = embedded.open(folder)
        return {np_.claim: np_.iri for np_ in nanopub.Maker(store, paths).all()}
    if not target.is_file():
        raise UsageError(f"{target}: neither a release folder nor a nanopublication file")
    found, _ = nanopub.load(str(target))
    bad = [v for v in map(nanopub.check, found) if not v.ok]
    if bad:
        raise DataError([Problem(str(target), 0, f"<{v.iri}> ({v.claim}): {v.reason}") for v in bad])
    out = {}
    for np_ in found:
        if np_.claim is None:
            raise DataError([Problem(str(target), 0, f"<{np_.iri}> names no claim (dcterms:isVersionOf)")])
        out[np_.claim] = np_.iri
    return out


def diff(old: Path, new: Path, paths: Paths | None = None) -> Diff:
    """Compare two releases (folders or nanopublication files)."""
    before, after = claims(old, paths), claims(new, paths)
    d = Diff()
    d.added = sorted((c, after[c]) for c in after.keys() - before.keys())
    d.retracted = sorted((c, before[c]) for c in before.keys() - after.keys())
    both = sorted(before.keys() & after.keys())
    d.changed = [(c, before[c], after[c]) for c in both if before[c] != after[c]]
    d.unchanged = len(both) - len(d.changed)
    return d
