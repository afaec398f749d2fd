"""What every command shares: turning the project's errors into exit codes, the corpus and paths options."""

from __future__ import annotations

import functools
import sys

import click

from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError, RightsgraphError
from rightsgraph.paths import Paths, corpus_dir


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


def corpus_from(option: str | None) -> Corpus | None:
    """The corpus of ``--corpus`` or ``$RIGHTSGRAPH_CORPUS``, or None."""
    folder = corpus_dir(option)
    return Corpus(folder) if folder else None


def paths_of(ctx: click.Context) -> Paths:
    """The project's paths, as the main group set them from ``--root``."""
    return ctx.obj["paths"]
