"""The ``init`` command: a new documentation project, ready to build, with an invented example to replace.

The project is a copy of the template shipped in the package (``rightsgraph/data/template``): the marker
file ``rightsgraph.toml``, ``graph/`` with one example source, four entities and three claims, ``corpus/``
with the example text (invented, and marked so), an empty ``queries/`` for the team's own named queries
and a ``.gitignore`` for the build outputs. It uses the ontology and queries shipped with the package.
"""

from __future__ import annotations

from pathlib import Path

import click

from rightsgraph.cli.options import handled
from rightsgraph.errors import UsageError
from rightsgraph.paths import MARKER, SHIPPED

#: The project ``init`` copies.
TEMPLATE = SHIPPED / "template"


def create(folder: Path, name: str | None = None) -> list[Path]:
    """Write a new project into ``folder`` (created if missing; it must hold no files yet); return the files.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sorted(p.relative_to(tmp).as_posix() for p in create(Path(tmp) / "p"))[:3]
    ['p/.gitignore', 'p/corpus/example-report.txt', 'p/corpus/manifest.yaml']
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty: `rightsgraph init` writes a new project into an empty or new folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(TEMPLATE.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts:
            continue
        dest = folder / src.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(src.read_bytes())
        written.append(dest)
    marker = folder / MARKER
    title = name or folder.resolve().name
    marker.write_text(marker.read_text(encoding="utf-8").replace('"NAME"', _toml_string(title)), encoding="utf-8")
    return written


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--name", default=None, help="The project's name in rightsgraph.toml [default: the folder's name].")
@handled
def init(folder, name):
    """Create a new documentation project in FOLDER (new or empty), with an invented example.

    \b
    It holds rightsgraph.toml (the marker), graph/ (one example source, entities and claims),
    corpus/ (the example's text), queries/ (your own .rq files, added to the shipped ones) and
    a .gitignore for build/. It builds at once:
      rightsgraph init my-project && cd my-project
      rightsgraph build && rightsgraph query --list && rightsgraph describe "Alex Example"
    """
    written = create(Path(folder), name)
    click.echo(f"Created a rightsgraph project in {folder} ({len(written)} files; the example in graph/ and "
               "corpus/ is invented: replace it with your own sources).", err=True)
    click.echo(f"Next: cd {folder} && rightsgraph build", err=True)
