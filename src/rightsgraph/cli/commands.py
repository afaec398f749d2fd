"""The ``rightsgraph`` command line: a thin layer over the library.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 the data or check has problems,
2 usage error, 3 runtime failure (store, endpoint, I/O).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click
from rdflib import URIRef
from rich.console import Console
from rich.table import Table

from rightsgraph.store import build as build_mod
from rightsgraph.outputs import describe as entities
from rightsgraph.outputs import exports
from rightsgraph.sparql import queries
from rightsgraph.sparql import remote
from rightsgraph.sparql import results
from rightsgraph.store import embedded as store
from rightsgraph.cli.options import corpus_from as _corpus
from rightsgraph.cli.options import handled
from rightsgraph.cli.options import paths_of as _paths
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import UsageError
from rightsgraph.namespaces import curie
from rightsgraph.paths import corpus_dir

err = Console(stderr=True, highlight=False, soft_wrap=True)


def corpus_option(fn):
    return click.option("--corpus", type=click.Path(file_okay=False), default=None,
                        help="Folder of the source texts and manifest.yaml [env RIGHTSGRAPH_CORPUS].")(fn)


def store_option(fn):
    return click.option("--store", "store_path", type=click.Path(file_okay=False), default=None,
                        help="The on-disk store [default: build/store under the project root].")(fn)


def candidates_options(fn):
    """--include-candidates and --review-dir, for build and validate."""
    fn = click.option("--review-dir", type=click.Path(file_okay=False), default=None,
                      help="Folder of the review files for --include-candidates "
                           "[default: review/ under the project root].")(fn)
    return click.option("--include-candidates", is_flag=True,
                        help="Also load the review files (see `extract`): every item not marked reject enters the "
                             "graph unreviewed, with its rule as prov:wasGeneratedBy and its rg:confidence.")(fn)


def _candidates(ctx: click.Context, include: bool, review_dir: str | None) -> Path | None:
    """The folder of review files to include, or None."""
    if not include:
        return None
    return Path(review_dir) if review_dir else _paths(ctx).root / "review"


def _store(ctx: click.Context, store_path: str | None):
    return store.open(Path(store_path) if store_path else _paths(ctx).store)


def _target(ctx: click.Context, endpoint: str | None, store_path: str | None):
    """What to query: the remote endpoint if one is given, else the local store."""
    return endpoint if endpoint else _store(ctx, store_path)


def _display(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(str(term))
    return str(term)


def emit(result: results.Result, fmt: str, title: str | None = None) -> None:
    """Write a result to stdout as a table, CSV or TSV of the plain values, or SPARQL 1.1 JSON results."""
    if fmt == "json":
        click.echo(results.write(result, "json", indent=1).decode("utf-8"))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        results.write_plain(result, buf, delimiter="," if fmt == "csv" else "\t")
        click.echo(buf.getvalue(), nl=False)
    else:
        table = Table(title=title, show_lines=False, title_justify="left")
        for v in result.vars:
            table.add_column(v, overflow="fold")
        for row in result.rows:
            table.add_row(*(_display(t) for t in row))
        out = Console(highlight=False)
        if not out.is_terminal:
            out = Console(highlight=False, width=400)
        out.print(table)
        click.echo(f"{len(result.rows)} row(s)", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--root", type=click.Path(file_okay=False), default=None, envvar="RIGHTSGRAPH_ROOT", show_envvar=True,
              help="Project root (the folder with rightsgraph.toml) [default: found from the current folder upwards].")
@click.version_option(package_name="rightsgraph")
@click.pass_context
def main(ctx: click.Context, root: str | None) -> None:
    """rightsgraph: a knowledge graph of North Korean human-rights documentation.

    Every fact is a claim in its own named graph, with its source, the verbatim passage that
    supports it, its offsets, how it was obtained and how certain the source is.

    \b
    Typical use:
      rightsgraph build --corpus ../shared/corpus   # check the data, build the store and exports
      rightsgraph query --list                      # the named queries (competency questions)
      rightsgraph query camps-with-prisoner-estimates
      rightsgraph describe "Camp 15"
      rightsgraph push --endpoint http://127.0.0.1:7878/store

    Exit codes: 0 ok, 1 the data has problems, 2 usage error, 3 runtime failure.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@main.command()
@corpus_option
@store_option
@click.option("--exports", "exports_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the exports [default: build/exports].")
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL check (the YAML checks still run).")
@click.option("--from", "dump", type=click.Path(dir_okay=False), default=None, metavar="DUMP",
              help="Build from this N-Quads (.nq) or TriG (.trig) dump instead of graph/: bulk-loaded, "
                   "every claim graph's provenance checked by counting, the label index written.")
@click.option("--no-exports", is_flag=True, help="Build the store only; write no exports.")
@candidates_options
@click.pass_context
@handled
def build(ctx, corpus, store_path, exports_dir, no_shacl, dump, no_exports, include_candidates, review_dir):
    """Check the data and build the store and every export, atomically.

    With a corpus, quotes are found in their sources and their offsets recorded in
    graph/anchors.tsv; without one, the recorded offsets are used. With --from, the store is
    built from a dump of the same data model (for graphs too large to author in YAML; SHACL is
    not run, the provenance invariants are). If any check fails, the previous store and exports
    are left as they were.
    """
    progress = lambda msg: err.print(f"[dim]· {msg}[/dim]")  # noqa: E731
    paths = _paths(ctx)
    if dump:
        report = build_mod.load_dump(Path(dump), Path(store_path) if store_path else paths.store,
                                     None if no_exports else Path(exports_dir) if exports_dir else paths.exports,
                                     progress=progress, paths=paths)
    else:
        candidates = _candidates(ctx, include_candidates, review_dir)
        report = build_mod.build(paths, _corpus(corpus, paths), store_path, exports_dir, shacl=not no_shacl,
                                 progress=progress, exports=not no_exports, include_candidates=candidates)
    err.print(f"Built {report.quads} quads: {report.entities} entities, {report.claims} claims, "
              f"in {report.seconds:.1f} s.")
    err.print(f"Store: {report.store}")
    for fmt, path in report.exports.items():
        err.print(f"Export ({fmt}): {path}")
    if report.anchors_written:
        err.print("Updated graph/anchors.tsv (commit it).")


@main.command()
@corpus_option
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL check.")
@candidates_options
@click.pass_context
@handled
def validate(ctx, corpus, no_shacl, include_candidates, review_dir):
    """Check the data: YAML, ids, predicates, values, SHACL shapes and, with a corpus, every quote.

    With --corpus (or RIGHTSGRAPH_CORPUS), every quote must be the exact source text at its
    offsets and every source's sha256 must match. Problems are listed as file:line: message.
    Exit 0 conforms, 1 problems found, 2 usage error, 3 runtime error.
    """
    candidates = _candidates(ctx, include_candidates, review_dir)
    collection, quads = build_mod.load_checked_graph(_paths(ctx), _corpus(corpus, _paths(ctx)), shacl=not no_shacl, include_candidates=candidates)
    where = "with the corpus" if corpus_dir(corpus, _paths(ctx)) else "without a corpus (recorded offsets)"
    err.print(f"Valid {where}: {len(collection.entities)} entities, {len(collection.claims)} claims, {len(quads)} quads.")


@main.command()
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE",
              help="Bind a declared parameter (repeatable); values are bound as RDF terms, never spliced.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--endpoint", default=None, help="Run on this remote SPARQL 1.1 query endpoint instead of the local store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for a remote endpoint.")
@store_option
@click.pass_context
@handled
def query(ctx, query, list_, param, fmt, endpoint, timeout, store_path):
    """Run a named query, a .rq file or inline SPARQL text: a query that answers with rows.

    \b
    rightsgraph query camps-with-prisoner-estimates
    rightsgraph query claims-by-source --param source=hrw-world-report-2019-north-korea
    rightsgraph query my.rq --format csv
    rightsgraph query "$(cat my.rq)"
    rightsgraph query coi-members --endpoint http://127.0.0.1:7878/query

    The default graph is the union of all claim graphs and the provenance graph; a remote
    endpoint should be set up the same way (oxigraph: serve --union-default-graph).
    """
    folder = _paths(ctx).queries
    if list_:
        for name, q in queries.named(folder).items():
            params = "".join(f" [--param {k}=...]" for k in q.params)
            click.echo(f"{name}{params}\n    {q.question}")
        return
    if not query:
        raise UsageError("give a query name, a .rq file or SPARQL text (or --list)")
    given = {}
    for item in param:
        if "=" not in item:
            raise UsageError(f"--param takes NAME=VALUE, not {item!r}")
        k, v = item.split("=", 1)
        given[k.strip().lstrip("?")] = v
    q = queries.resolve(query, folder)
    target = _target(ctx, endpoint, store_path)
    result = queries.run(target, q, given, timeout=timeout)
    emit(result, fmt, title=q.question or None)


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--endpoint", default=None, help="Describe from a remote SPARQL endpoint instead.")
@store_option
@click.pass_context
@handled
def describe(ctx, name, fmt, endpoint, store_path):
    """Show every claim about an entity, found by label, alias, id or IRI.

    Names match regardless of case, hyphens and spacing: "Camp 15", "yodok" and
    "kwan-li-so no. 15" find the same camp.
    """
    target = _target(ctx, endpoint, store_path)
    match, data = entities.describe(target, name, _paths(ctx))
    if fmt != "table":
        emit(entities.rows(data), fmt)
        return
    click.echo(entities.text(match, data))
    click.echo(f"\n{len(entities.statements(data))} statement(s) from {len(data['claims'])} claim(s).", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(list(exports.FORMATS)), required=True,
              help="turtle: facts (union of all graphs); trig, nquads, jsonld: every named graph with provenance.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write [default: stdout].")
@store_option
@click.pass_context
@handled
def export(ctx, fmt, output, store_path):
    """Export the built graph as Turtle, TriG, N-Quads or JSON-LD."""
    st = _store(ctx, store_path)
    if output:
        exports.write(st, fmt, Path(output), _paths(ctx))
        err.print(f"Wrote {output}")
    else:
        buf = io.BytesIO()
        exports.dump(st, fmt, buf, _paths(ctx))
        sys.stdout.buffer.write(buf.getvalue())


@main.command()
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL (oxigraph: http://HOST:PORT/store) or, with --method update, a SPARQL Update URL.")
@click.option("--method", type=click.Choice(["gsp", "update", "dataset"]), default="gsp", show_default=True,
              help="gsp: PUT each named graph; update: INSERT DATA in batches; dataset: one POST of all "
                   "N-Quads (oxigraph: /store?no_transaction bulk-loads).")
@click.option("--timeout", type=float, default=60.0, show_default=True)
@store_option
@click.pass_context
@handled
def push(ctx, endpoint, method, timeout, store_path):
    """Load the built graph, every named graph included, into a remote SPARQL 1.1 store.

    This is how to move to a server when one machine's embedded store is not enough.
    """
    st = _store(ctx, store_path)
    n = remote.push(st, endpoint, method=method, timeout=timeout,
                    progress=lambda done, total: err.print(f"[dim]· {done}/{total} graphs[/dim]") if done == total or done % 500 == 0 else None)
    err.print(f"Pushed {n} named graphs to {endpoint}.")


@main.command()
@click.option("--focus", default=None, metavar="NAME", help="Centre on this entity (a name, id or IRI).")
@click.option("--hops", type=click.IntRange(0, 6), default=2, show_default=True, help="How far from the focus to go.")
@click.option("--types", default=None, metavar="CLASS,...", help="Keep only entities of these classes (and their subclasses).")
@click.option("--source", default=None, metavar="ID", help="Keep only facts from this source (a manifest id).")
@click.option("--min-certainty", type=click.Choice(["denied", "alleged", "estimated", "reported", "confirmed"]),
              default=None, help="Keep only facts at least this certain (denied < alleged < estimated < reported < confirmed).")
@click.option("--format", "fmt", type=click.Choice(["html", "graphml", "gexf"]), default=None,
              help="Output format [default: from the file name, else html].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write.")
@click.option("--endpoint", default=None, help="Draw from a remote SPARQL endpoint instead of the local store.")
@store_option
@click.pass_context
@handled
def viz(ctx, focus, hops, types, source, min_certainty, fmt, output, endpoint, store_path):
    """Draw the graph, or the part around an entity, as an interactive page, GraphML or GEXF.

    \b
    rightsgraph viz --focus "Camp 15" --hops 2 -o yodok.html
    rightsgraph viz --types PoliticalPrisonCamp,StateAgency,NGO -o camps.html
    rightsgraph viz --source hrw-world-report-2019-north-korea -o hrw.graphml

    The page works offline: colour and shape by class with a legend, size by degree, a tooltip
    per node and edge with the claims' sources and quotes, a search box, and a panel listing the
    claims of what you click. A graph too large to lay out in a browser is refused with a hint.
    """
    from rightsgraph.outputs import visuals

    target = _target(ctx, endpoint, store_path)
    g = visuals.network(target, _paths(ctx), focus=focus, hops=hops, types=types.split(",") if types else None,
                        source=source, min_certainty=min_certainty)
    fmt = fmt or {".graphml": "graphml", ".gexf": "gexf"}.get(Path(output).suffix.lower(), "html")
    title = f"rightsgraph: around {focus}" if focus else "rightsgraph network"
    if fmt == "html":
        visuals.page(g, output, title)
    elif fmt == "graphml":
        visuals.write_graphml(g, output)
    else:
        visuals.write_gexf(g, output)
    err.print(f"Wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({fmt}).")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="File to write: .png for a picture, .html for a page whose points name their claims.")
@click.option("--endpoint", default=None, help="Read events from a remote SPARQL endpoint instead.")
@store_option
@click.pass_context
@handled
def timeline(ctx, output, endpoint, store_path):
    """Draw the dated events on a timeline, by kind of event (PNG or HTML)."""
    from rightsgraph.outputs import timeline as timeline_mod

    target = _target(ctx, endpoint, store_path)
    evs = timeline_mod.events(target, _paths(ctx))
    if Path(output).suffix.lower() == ".png":
        timeline_mod.png(evs, output)
    else:
        timeline_mod.page(evs, output)
    err.print(f"Wrote {output}: {len(evs)} dated events.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1 unless told otherwise).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--base", default=None, help="The public base IRI that this server's paths stand for [default: the project's base].")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=int, default=10_000, show_default=True, help="Results are cut here (Rightsgraph-Truncated header).")
@click.option("--max-body", type=int, default=1_000_000, show_default=True, help="Larger request bodies get 413.")
@click.option("--cors-origin", "cors", multiple=True, metavar="ORIGIN",
              help="Allow cross-origin requests from this origin (repeatable; '*' for any).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True, help="Query worker processes kept ready.")
@click.option("--max-workers", type=click.IntRange(1, 64), default=None,
              help="Workers at most, spares started while slow queries run [default: 2 x --workers + 2].")
@click.option("--max-memory", type=click.IntRange(64, None), default=2048, show_default=True, metavar="MB",
              help="Address space a query worker may use; a query past it is stopped (503) and its worker replaced.")
@click.option("--read-timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for a request body.")
@click.option("--idle-timeout", type=float, default=5.0, show_default=True, help="Seconds an idle keep-alive connection is kept.")
@click.option("--verbose", is_flag=True, help="Log every request to stderr.")
@store_option
@click.pass_context
@handled
def serve(ctx, host, port, base, timeout, max_rows, max_body, cors, workers, max_workers, max_memory, read_timeout,
          idle_timeout, verbose, store_path):
    """Publish the built graph: a read-only SPARQL 1.1 endpoint and linked-data pages.

    \b
    /sparql     SPARQL 1.1 Protocol: GET, POST; JSON, XML, CSV, TSV; Turtle, N-Triples, TriG, JSON-LD
    /id/...     every entity, source and claim IRI: HTML, Turtle, JSON-LD, TriG by Accept
    /           home page with counts, name search and the named queries; /query to write SPARQL
    /void       the VoID description; /exports/ the downloadable exports

    Updates, SERVICE, LOAD and remote FROM are refused (the query is parsed first), and the query
    workers run in a network namespace of their own, so no query reaches the network. A query past
    --timeout or --max-memory is stopped while other requests are served; results past --max-rows
    are cut and flagged.
    """
    from rightsgraph.web import server as server_mod
    from rightsgraph.namespaces import BASE

    settings = server_mod.Settings(paths=_paths(ctx), store=Path(store_path) if store_path else _paths(ctx).store,
                                   exports=_paths(ctx).exports, base=base or BASE, timeout=timeout,
                                   max_rows=max_rows, max_body=max_body, cors=set(cors), workers=workers,
                                   max_workers=max_workers, max_memory_mb=max_memory, read_timeout=read_timeout,
                                   idle_timeout=idle_timeout)

    def ready(app):
        if app.runner.isolation_refused:
            err.print(f"[bold yellow]Warning:[/bold yellow] the query workers are NOT cut off from the network "
                      f"({app.runner.isolation_refused}); only the parser's refusal of SERVICE and LOAD stands.")
        err.print(f"Serving {settings.store} on http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops.")

    from rightsgraph.web import app as app_mod

    try:
        app_mod.serve(settings, host, port, verbose, ready)
    except KeyboardInterrupt:
        pass


@main.command()
@corpus_option
@click.option("--min-share", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 if any source's covered share of factual sentences is below this (e.g. 0.9).")
@click.option("--list/--no-list", "list_", default=True, show_default=True, help="List the uncovered sentences.")
@click.pass_context
@handled
def coverage(ctx, corpus, min_share, list_):
    """Show, per source, the share of factual sentences that support at least one claim.

    Sentences, table rows and list items are counted; boilerplate is not (the rule is in the
    documentation of rightsgraph.claims.coverage: blank lines, wiki headings, site error lines,
    navigation, table headers, placeholder dates, donation appeals, short titles and menu
    entries, bare list markers, "See also" entries). The uncovered sentences are listed with
    their line numbers, so that a curator sees what is left.
    """
    from rightsgraph.claims import loader as claims_mod
    from rightsgraph.claims import coverage as coverage_mod

    folder = corpus_dir(corpus, _paths(ctx))
    if folder is None:
        raise UsageError("coverage needs the corpus: give --corpus DIR or set RIGHTSGRAPH_CORPUS")
    texts = Corpus(folder)
    results = coverage_mod.measure(claims_mod.load(_paths(ctx), texts), texts)
    below = []
    for cov in results:
        click.echo(f"{cov.source}: {len(cov.covered)}/{len(cov.factual)} factual sentences covered "
                   f"({cov.share:.1%}); {len(cov.units) - len(cov.factual)} boilerplate")
        if list_:
            for unit in cov.uncovered:
                click.echo(f"    line {unit.line}: {unit.text}")
        if min_share is not None and cov.share < min_share:
            below.append(cov.source)
    if below:
        click.echo(f"Below {min_share:.0%}: {', '.join(below)}", err=True)
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--endpoint", default=None, help="Count on a remote SPARQL endpoint instead.")
@store_option
@click.pass_context
@handled
def stats(ctx, fmt, endpoint, store_path):
    """Count entities per class, claims per source and claims per certainty."""
    target = _target(ctx, endpoint, store_path)
    for name in ("stats-totals", "stats-claims-per-source", "stats-claims-per-certainty", "stats-entities-per-class"):
        q = queries.resolve(name, _paths(ctx).queries)
        emit(queries.run(target, q), fmt, title=q.question)


from rightsgraph.cli.extract import accept as _accept, extract as _extract  # noqa: E402 - the commands of cli_extract

main.add_command(_extract, "extract")
main.add_command(_accept, "accept")

if __name__ == "__main__":  # pragma: no cover
    main()
