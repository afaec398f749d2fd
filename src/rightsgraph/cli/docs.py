"""The command-line reference, generated from ``--help`` (``python -m rightsgraph.cli.docs FILE.md`` rewrites FILE.md)."""

from __future__ import annotations

import sys

import click

from rightsgraph.cli.commands import main

MARKER = "<!-- cli-reference: generated from --help by `python -m rightsgraph.cli.docs docs/cli.md`; tests/cli/test_docs.py checks it -->"


def reference() -> str:
    """Return the help of the command and of every subcommand, as Markdown."""
    parts = []
    with click.Context(main, info_name="rightsgraph", terminal_width=100) as ctx:
        parts.append(f"```\n$ rightsgraph --help\n{main.get_help(ctx)}\n```")
        for name in main.list_commands(ctx):
            cmd = main.get_command(ctx, name)
            with click.Context(cmd, info_name=f"rightsgraph {name}", parent=None, terminal_width=100) as sub:
                parts.append(f"### `rightsgraph {name}`\n\n```\n{cmd.get_help(sub)}\n```")
    return "\n\n".join(parts) + "\n"


def readme_with_reference(text: str) -> str:
    """Return the README text with everything after the marker replaced by the current reference."""
    head = text.split(MARKER, 1)[0]
    return f"{head}{MARKER}\n\n{reference()}"


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) != 2:
        sys.exit("usage: python -m rightsgraph.cli.docs FILE.md  (the Markdown file that holds the reference)")
    from pathlib import Path

    path = Path(sys.argv[1])
    path.write_text(readme_with_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stderr.write(f"updated {path}\n")
