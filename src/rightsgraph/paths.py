"""Where things are: one project's folders, handed down from the command line (or the library caller).

A project is a folder with a ``rightsgraph.toml`` marker. :func:`find` looks for it the way git looks
for its repository: from a folder upwards. Nothing below the command line guesses a project: every
function that reads the graph, the ontology or the queries is given a :class:`Paths`. The corpus is
never guessed either: it comes from ``--corpus``, ``RIGHTSGRAPH_CORPUS`` or the marker file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rightsgraph.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The file that marks a project's root folder.
MARKER = "rightsgraph.toml"
#: The folders a marker file may move, with their defaults (relative to the root).
FOLDERS = {"graph": "graph", "ontology": "ontology", "queries": "queries", "build": "build"}


@dataclass(frozen=True)
class Paths:
    """The folders of one project root.

    >>> p = Paths(Path("/x"))
    >>> str(p.graph), str(p.store)
    ('/x/graph', '/x/build/store')
    """

    root: Path
    graph_dir: str = FOLDERS["graph"]
    ontology_dir: str = FOLDERS["ontology"]
    queries_dir: str = FOLDERS["queries"]
    build_dir: str = FOLDERS["build"]
    corpus_dir: str | None = None

    @property
    def graph(self) -> Path:
        return self.root / self.graph_dir

    @property
    def ontology(self) -> Path:
        return self.root / self.ontology_dir

    @property
    def queries(self) -> Path:
        return self.root / self.queries_dir

    @property
    def build(self) -> Path:
        return self.root / self.build_dir

    @property
    def store(self) -> Path:
        return self.build / "store"

    @property
    def exports(self) -> Path:
        return self.build / "exports"

    @property
    def releases(self) -> Path:
        """Where the build puts one release per audience: ``releases/<audience>/{store,exports,manifest.json}``."""
        return self.build / "releases"

    @property
    def audit_log(self) -> Path:
        """The append-only log (JSON Lines) of releases built and review files accepted."""
        return self.build / "audit.jsonl"

    @property
    def corpus(self) -> Path | None:
        """The corpus folder the marker file names (relative to the root), if it names one."""
        return (self.root / self.corpus_dir).resolve() if self.corpus_dir else None


def project(root: str | os.PathLike) -> Paths:
    """Return the paths of the project at ``root``, with the folders its ``rightsgraph.toml`` names, if it has one.

    >>> project("/nonexistent/x").graph
    PosixPath('/nonexistent/x/graph')
    """
    root = Path(root).resolve()
    marker = root / MARKER
    if not marker.is_file():
        return Paths(root)
    try:
        data = tomllib.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{marker}: not a valid rightsgraph.toml ({exc})") from None
    folders = data.get("paths", {})
    if not isinstance(folders, dict) or any(not isinstance(v, str) for v in folders.values()):
        raise UsageError(f"{marker}: [paths] holds folder names as strings, e.g. graph = \"graph\"")
    unknown = sorted(set(folders) - set(FOLDERS) - {"corpus"})
    if unknown:
        raise UsageError(f"{marker}: unknown key(s) in [paths]: {', '.join(unknown)} "
                         f"(known: {', '.join([*FOLDERS, 'corpus'])})")
    return Paths(root, **{f"{k}_dir": v for k, v in folders.items()})


def find(start: str | os.PathLike) -> Paths | None:
    """Return the project whose ``rightsgraph.toml`` is in ``start`` or the nearest folder above it, or None.

    >>> find("/") is None
    True
    """
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return project(folder)
    return None


def discover(start: str | os.PathLike) -> Paths:
    """The project a top-level caller (the command line, a notebook) works on: ``$RIGHTSGRAPH_ROOT`` if set,
    else the one :func:`find` finds from ``start``; a UsageError saying how to fix it if there is none."""
    root = os.environ.get("RIGHTSGRAPH_ROOT")
    if root:
        if not Path(root).is_dir():
            raise UsageError(f"RIGHTSGRAPH_ROOT={root}: no such folder")
        return project(root)
    found = find(start)
    if found is None:
        raise UsageError(f"not inside a rightsgraph project: no {MARKER} in {Path(start).resolve()} or any folder "
                         "above it. Work inside a project, give --root DIR (or set RIGHTSGRAPH_ROOT), "
                         "or create one with `rightsgraph init DIR`")
    return found


def corpus_dir(option: str | os.PathLike | None = None, paths: Paths | None = None) -> Path | None:
    """The corpus folder: the option, else ``$RIGHTSGRAPH_CORPUS``, else the project's marker file; or None."""
    chosen = option or os.environ.get("RIGHTSGRAPH_CORPUS")
    if chosen:
        return Path(chosen).resolve()
    return paths.corpus if paths is not None else None
