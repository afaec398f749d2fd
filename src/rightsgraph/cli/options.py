"""What every command shares: turning the project's errors into exit codes, the corpus and paths options."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError, RightsgraphError, UsageError
from rightsgraph.paths import Paths, corpus_dir, discover, project
from rightsgraph.release import publish
from rightsgraph.store import embedded


def fail(exc: RightsgraphError) -> None:
    """Print the error (every problem of a DataError, one per line) on stderr and exit with its code."""
    if isinstance(exc, DataError):
        for p in exc.problems:
            click.echo(str(p), err=True)
        # every command that raises one checks before it writes (builds and accept swap in only when all is well)
        click.echo(f"{len(exc.problems)} problem(s) found; nothing was changed.", err=True)
    else:
        click.echo(f"Error: {exc}", err=True)
    sys.exit(exc.exit_code)


def handled(fn):
    """Turn the project's exceptions into a message on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RightsgraphError as exc:
            fail(exc)

    return wrapper


def corpus_from(option: str | None, paths: Paths | None = None) -> Corpus | None:
    """The corpus of ``--corpus``, ``$RIGHTSGRAPH_CORPUS`` or the project's rightsgraph.toml, or None."""
    folder = corpus_dir(option, paths)
    return Corpus(folder) if folder else None


def paths_of(ctx: click.Context) -> Paths:
    """The project the command works on: ``--root`` (or ``$RIGHTSGRAPH_ROOT``), else the folder with
    ``rightsgraph.toml`` nearest above the current one; a usage error (exit 2) outside any project."""
    obj = ctx.find_root().obj
    if "paths" not in obj:
        root = obj.get("root")
        if root is not None and not Path(root).is_dir():
            raise UsageError(f"--root {root}: no such folder")
        obj["paths"] = project(root) if root is not None else discover(Path.cwd())
    return obj["paths"]


def audience_option(fn):
    """``--audience``: whose release an outward command reads (public by default)."""
    return click.option("--audience", default=publish.DEFAULT, show_default=True, metavar="NAME",
                        help="Read the release made for this audience (the ontology declares public, partners, "
                             "internal). internal reads the whole store, restricted testimony included, and says "
                             "so on stderr.")(fn)


def open_store(ctx: click.Context, audience: str, store_path: str | None = None):
    """The store an outward command reads: ``--store`` if given, else the release of ``audience``."""
    if store_path:
        return embedded.open(Path(store_path))
    return publish.open(paths_of(ctx), audience)
