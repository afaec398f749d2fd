"""The ``verify`` and ``diff`` commands: checking cited claims, and what moved between two releases."""

from __future__ import annotations

import sys
import urllib.error
from pathlib import Path

import click

from rightsgraph.cli.options import handled, paths_of
from rightsgraph.errors import RightsgraphError, UsageError
from rightsgraph.outputs import nanopub
from rightsgraph.release import diff as diff_mod


@click.command()
@click.argument("target", metavar="FILE|URL")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for a URL.")
@handled
def verify(target, timeout):
    """Check nanopublications: that each one's content still matches its trusty URI.

    FILE is a nanopublication file (the `nanopub` export, or one claim saved from the server); URL is a
    claim or nanopublication that a rightsgraph server hands out (asked for as nanopublication TriG).
    Every nanopublication in it is checked: its head, then the hash of all its quads against the
    artifact code its IRI ends with. When one fails, the line says which part changed (assertion,
    provenance or pubinfo), found by the hash of each part that the publication info records. A signed
    nanopublication (`export --sign-key`) also has its signature checked, with nanopub-sign.
    Exit 0 when all match, 1 when one does not (one line each, then a summary line).
    """
    try:
        found, stray = nanopub.load(target, timeout)
    except (urllib.error.URLError, OSError) as exc:
        raise RightsgraphError(f"cannot read {target}: {exc}") from None
    if not found:
        raise UsageError(f"{target}: no nanopublication in it (no np:Nanopublication in a head graph)")
    verdicts = [nanopub.check(np_) for np_ in found]
    bad = [v for v in verdicts if not v.ok]
    for v in bad:
        click.echo(f"FAILED <{v.iri}>{f' ({v.claim})' if v.claim else ''}: {v.reason}", err=True)
    if stray:
        click.echo(f"FAILED {len(stray)} graph(s) belong to no nanopublication, e.g. <{stray[0]}>", err=True)
    if bad or stray:
        first = bad[0] if bad else None
        click.echo(f"{len(bad) + bool(stray)} of {len(verdicts)} nanopublication(s) failed"
                   + (f": the {first.part} changed" if first and first.part in nanopub.PARTS else ""), err=True)
        sys.exit(1)
    signatures = sum(v.reason == "signature verified" for v in verdicts)
    unchecked = sum(v.reason.startswith("signature not checked") for v in verdicts)
    click.echo(f"{len(verdicts)} nanopublication(s) verified: each matches its trusty URI"
               + (f"; {signatures} signature(s) verified with nanopub-sign" if signatures else "")
               + (f"; {unchecked} signature(s) not checked (install nanopub-sign)" if unchecked else ""))


@click.command("diff")
@click.argument("old", type=click.Path(exists=True))
@click.argument("new", type=click.Path(exists=True))
@click.pass_context
@handled
def diff(ctx, old, new):
    """List the claims added, retracted and changed between two releases.

    OLD and NEW are release folders (build/releases/AUDIENCE, or a copy kept from an earlier build) or
    their nanopublication exports (rightsgraph.np.trig). A claim is matched by its IRI; it changed when
    its trusty URI did (its facts, provenance or publication info differ). One line per claim:
    `+ CLAIM URI` added, `- CLAIM URI` retracted, `~ CLAIM OLD_URI -> NEW_URI` changed; a summary on stderr.
    """
    try:
        paths = paths_of(ctx)
    except UsageError:
        paths = None  # outside a project: the nanopublications of a folder then name no release
    d = diff_mod.diff(Path(old), Path(new), paths)
    for line in d.lines():
        click.echo(line)
    click.echo(d.summary(), err=True)
