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
#: What ships inside the package (copies of this repository's ontology/ and queries/, refreshed by
#: `make package-data`): a project without its own ontology/ uses the shipped one, and its named queries are
#: the shipped ones plus any .rq files in its own queries/.
SHIPPED = Path(__file__).resolve().parent / "data"


class QueryFolders:
    """The named-query folders of a project, as one folder: the shipped queries, overridden and extended by
    the .rq files of the project's own ``queries/``. It answers ``glob`` and ``/`` like a Path.

    >>> q = QueryFolders(Path("/nonexistent/queries"))
    >>> (q / "coi-members.rq").parent == SHIPPED / "queries"
    True
    """

    def __init__(self, own: Path, shipped: Path = SHIPPED / "queries"):
        self.own = own
        self.shipped = shipped

    def _folders(self) -> list[Path]:
        return [f for f in (self.shipped, self.own) if f.is_dir()] if self.own != self.shipped else [self.own]

    def glob(self, pattern: str) -> list[Path]:
        by_name: dict[str, Path] = {}
        for folder in self._folders():  # the project's own file of a name wins
            for path in folder.glob(pattern):
                by_name[path.name] = path
        return [by_name[k] for k in sorted(by_name)]

    def __truediv__(self, name: str) -> Path:
        own = self.own / name
        return own if own.exists() or not (self.shipped / name).exists() else self.shipped / name

    def exists(self) -> bool:
        return bool(self._folders())

    def __fspath__(self) -> str:
        return str(self.own)

    def __str__(self) -> str:
        return str(self.own)

    def __repr__(self) -> str:
        return f"QueryFolders({str(self.own)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, QueryFolders) and (self.own, self.shipped) == (other.own, other.shipped)

    def __hash__(self) -> int:
        return hash((self.own, self.shipped))


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
        """The project's own ontology folder if it has one, else the ontology shipped with the package."""
        own = self.root / self.ontology_dir
        return own if (own / "rightsgraph.ttl").is_file() else SHIPPED / "ontology"

    @property
    def queries(self) -> QueryFolders:
        """The named queries: the shipped ones plus (overriding by name) the .rq files of the project's ``queries/``."""
        return QueryFolders(self.root / self.queries_dir)

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
    # the marker's corpus is where the texts usually are; a clone without them builds from the recorded offsets
    marked = paths.corpus if paths is not None else None
    return marked if marked is not None and marked.is_dir() else None
