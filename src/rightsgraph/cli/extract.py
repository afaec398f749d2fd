"""The ``extract`` and ``accept`` commands: new documents to candidate claims, and reviewed candidates into graph/.

Registered on the main group by :mod:`rightsgraph.cli.commands`. Review files go to stdout as a list of
what was written; progress and problems go to stderr. Exit codes as everywhere: 0 ok, 1 a bad
input or a check failed, 2 usage error, 3 runtime failure.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from rightsgraph.release import audit
from rightsgraph.sources import reading
from rightsgraph.claims import reviewfile
from rightsgraph.extraction import workflow as review_mod
from rightsgraph.cli.options import corpus_from as _corpus
from rightsgraph.cli.options import handled
from rightsgraph.cli.options import paths_of as _paths
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import UsageError
from rightsgraph.paths import Paths


def _echo(message: str) -> None:
    click.echo(message, err=True)


def _show(path: Path, root: Path) -> str:
    """A path as the user will want to see it: relative to the current folder when under it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Progress:
    """Progress lines on stderr for large files: at most one every two seconds."""

    def __init__(self, name: str):
        self.name = name
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total > 8_000_000 and now - self.last >= 2:
            self.last = now
            _echo(f"  {self.name}: {done / 1e6:.0f} of about {total / 1e6:.0f} million characters read")


@click.command()
@click.argument("inputs", metavar="PATH...", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the review files [default: review/ under the project root].")
@click.option("--url", default=None, help="The document's URL, for its source record (one document only).")
@click.option("--publisher", default=None,
              help="The document's publisher, for its source record [default: the page's site name or author, "
                   "else the URL's host, else 'unknown'].")
@click.option("--evaluate", is_flag=True,
              help="Also print the rules' precision and recall against the curated claims of the corpus sources.")
@click.option("--unseen", "unseen", type=click.Path(file_okay=False, exists=True), default=None,
              help="With --evaluate: score the invented documents of this folder against their NAME.expected.yaml "
                   "instead of the corpus (e.g. tests/fixtures/unseen).")
@click.option("--held-out", "held_out", is_flag=True,
              help="With --evaluate: leave-one-source-out over the corpus (each source read with what the other "
                   "sources taught: entities and aliases), per source and overall.")
@click.option("--details", is_flag=True, help="With --evaluate --unseen: also list what was wrong and what was missed.")
@click.option("--corpus", type=click.Path(file_okay=False), default=None,
              help="Folder of the source texts and manifest.yaml, for --evaluate and to recognise corpus documents "
                   "[env RIGHTSGRAPH_CORPUS].")
@click.pass_context
@handled
def extract(ctx, inputs, out_dir, url, publisher, evaluate, unseen, held_out, details, corpus):
    """Propose candidate claims for new documents.

    One review file is written per document.

    \b
    rightsgraph extract report.html --url https://example.org/report
    rightsgraph extract notes/ --out /tmp/review         # every .txt, .md, .html below notes/
    rightsgraph extract --evaluate --corpus ../shared/corpus
    rightsgraph extract --evaluate --held-out --corpus ../shared/corpus
    rightsgraph extract --evaluate --unseen tests/fixtures/unseen

    PATH is a .txt, .md or .html file (UTF-8, a BOM, or the charset an HTML page declares) or a
    folder, read recursively. Each document is read in blocks, so a file of any size fits in memory.
    Rules find mentions of known entities and propose claims in the format of graph/claims/*.yaml,
    each with its rule (method), confidence and offsets; candidates that fail the data checks or are
    already in graph/ are left out. A document whose sha256 is that of a known source keeps the
    source's id. graph/ is not touched: review the file, then `rightsgraph accept FILE`.

    A bad input (binary, not valid text, empty, unknown suffix, unreadable) is reported with its
    file; the other files are still processed, no review file is written for a bad one, and the
    exit code is 1. Writing the same review file again keeps the accept/reject marks of its items.
    """
    paths = _paths(ctx)
    if not inputs and not evaluate:
        raise UsageError("give the documents to extract (files or folders), or --evaluate")
    if (unseen or details or held_out) and not evaluate:
        raise UsageError("--unseen, --held-out and --details go with --evaluate")
    if evaluate and unseen:
        from rightsgraph.extraction import evaluate as evaluate_mod

        click.echo(evaluate_mod.format_unseen(evaluate_mod.evaluate_unseen(paths, unseen), details=details))
        if not inputs:
            return
    files, bad = reading.expand(inputs)
    if inputs and not files and not bad:
        raise UsageError(f"no .txt, .md or .html files in {', '.join(inputs)}")
    if url and len(files) > 1:
        raise UsageError("--url names one document: give one file with it")
    texts = _corpus(corpus, paths)
    written = 0
    if files:
        state = review_mod.project_state(paths, texts)
        out = Path(out_dir) if out_dir else paths.root / "review"
        taken = reviewfile.reviewed_documents(out)
        for n, f in enumerate(files, 1):
            if len(files) > 1:
                _echo(f"[{n}/{len(files)}] {f}")
            try:
                ex = review_mod.extract_document(f, state, paths, url=url, publisher=publisher, taken=taken,
                                                 progress=_Progress(str(f)))
            except reading.ReadError as exc:
                bad.append(str(exc))
                _echo(f"  skipped: {exc}")
                continue
            notes = []
            if ex.duplicates:
                notes.append(f"{ex.duplicates} already in graph/")
            if ex.dropped:
                notes.append(f"{len(ex.dropped)} failing the data checks")
            left = f" (left out: {', '.join(notes)})" if notes else ""
            known = f"known source {ex.source}" if ex.known else f"new source {ex.source}"
            if not ex.claims and not ex.new_entities:
                click.echo(f"{f}: no candidates{left}; no review file written ({known})")
                continue
            target = review_mod.write_review(ex, out / f"{ex.source}.yaml", paths.root)
            written += 1
            click.echo(f"{f} -> {_show(target, paths.root)}: {len(ex.claims)} candidate claim(s), "
                       f"{len(ex.new_entities)} new entit{'y' if len(ex.new_entities) == 1 else 'ies'}{left} ({known})")
            for why in ex.dropped[:5]:
                _echo(f"  left out: {why}")
            if len(ex.dropped) > 5:
                _echo(f"  ... and {len(ex.dropped) - 5} more left out")
    if evaluate and not unseen:
        _evaluate(paths, texts, held_out)
    if bad:
        for message in bad:
            _echo(f"Error: {message}")
        _echo(f"{len(bad)} input(s) could not be read; no review file was written for them"
              + (f" ({written} written for the others)." if written else "."))
        sys.exit(1)
    if written:
        _echo("Review the files (set each item's review: to accept or reject), then run `rightsgraph accept FILE`.")


def _evaluate(paths: Paths, corpus: Corpus | None, held_out: bool = False) -> None:
    """Print the rules' precision and recall against the curated claims of the corpus sources."""
    from rightsgraph.extraction import evaluate as evaluate_mod

    if corpus is None:
        raise UsageError("--evaluate needs the corpus: give --corpus DIR or set RIGHTSGRAPH_CORPUS")
    if held_out:
        click.echo(evaluate_mod.format_held_out(evaluate_mod.evaluate_held_out(paths, corpus)))
        return
    ev = evaluate_mod.evaluate(paths, corpus)
    click.echo(evaluate_mod.format_text(ev))


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--all", "all_items", is_flag=True, help="Accept every item not marked reject (pending ones too).")
@click.option("--corpus", type=click.Path(file_okay=False), default=None,
              help="Folder of the source texts and manifest.yaml: every quote of the graph is then checked too "
                   "[env RIGHTSGRAPH_CORPUS].")
@click.pass_context
@handled
def accept(ctx, file, all_items, corpus):
    """Move reviewed candidates into graph/.

    All or nothing: the items of the review file are checked with the whole graph first.

    \b
    rightsgraph accept review/my-report.yaml          # the items marked review: accept
    rightsgraph accept --all review/my-report.yaml    # every item not marked reject

    Claims go to graph/claims/<source-id>.yaml (with their method and confidence, so the graph
    tells extracted facts from curated ones), new entities to graph/entities/extracted.yaml, a new
    source record to graph/sources.yaml, and the quotes' offsets to graph/anchors.tsv. Every quote
    is checked against the document's text first (found through the record's path, or in the
    corpus), and the whole would-be graph is validated as `rightsgraph validate` does; if anything
    fails, the problems are listed as file:line and graph/ is left as it was. Items already in
    graph/ are skipped. The moved items are then removed from the review file.
    """
    paths = _paths(ctx)
    path = Path(file)
    report = review_mod.accept(paths, path, all_items=all_items, corpus=_corpus(corpus, paths),
                               progress=lambda msg: _echo(f"· {msg}"))
    audit.append(paths.audit_log, "accept", review_file=str(path.resolve()), entered=report.claims + report.entities,
                 claims=report.claims, entities=report.entities, skipped=len(report.skipped))
    for why in report.skipped:
        _echo(f"skipped (already there): {why}")
    if not report.claims and not report.entities:
        if all_items:
            _echo(f"Nothing was moved: every item of {path} is marked reject or already in graph/.")
        else:
            _echo(f"Nothing was moved: no item of {path} is marked `review: accept` and new to graph/ "
                  "(mark items accept, or use --all).")
    else:
        _echo(f"Accepted {report.claims} claim(s) and {report.entities} new entit"
              f"{'y' if report.entities == 1 else 'ies'} from {path}.")
        if report.source_added:
            _echo(f"Added the source record {report.source_added} to graph/sources.yaml.")
        for name in report.written:
            click.echo(f"wrote {name}")
    left = report.left
    _echo(f"Left in {path}: {left.get('pending', 0)} pending, "
          f"{left.get('reject', 0)} rejected.")
