"""Where things are: the project root and the folders under it, and the corpus folder.

The root is the checkout this package was installed from (``pip install -e``), unless
``RIGHTSGRAPH_ROOT`` or an explicit argument says otherwise. The corpus is never guessed: it comes
from ``--corpus`` or ``RIGHTSGRAPH_CORPUS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    """The folders of one project root.

    >>> p = Paths(Path("/x"))
    >>> str(p.graph), str(p.store)
    ('/x/graph', '/x/build/store')
    """

    root: Path

    @property
    def graph(self) -> Path:
        return self.root / "graph"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def store(self) -> Path:
        return self.build / "store"

    @property
    def exports(self) -> Path:
        return self.build / "exports"


def project(root: str | os.PathLike | None = None) -> Paths:
    """Return the paths of the project at ``root``, ``$RIGHTSGRAPH_ROOT`` or this checkout."""
    chosen = root or os.environ.get("RIGHTSGRAPH_ROOT") or _CHECKOUT
    return Paths(Path(chosen).resolve())


def corpus_dir(option: str | os.PathLike | None = None) -> Path | None:
    """Return the corpus folder from the option or ``$RIGHTSGRAPH_CORPUS``, or None if neither is set."""
    chosen = option or os.environ.get("RIGHTSGRAPH_CORPUS")
    return Path(chosen).resolve() if chosen else None
