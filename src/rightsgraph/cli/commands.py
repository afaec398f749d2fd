"""The ``rightsgraph`` command line: a thin layer over the library.

Data goes to stdout, messages to stderr. Exit codes: 0 ok, 1 the data or check has problems,
2 usage error, 3 runtime failure (store, endpoint, I/O).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import click
import pyoxigraph as ox
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
from rightsgraph.cli.options import audience_option, handled, open_store
from rightsgraph.cli.options import paths_of as _paths
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import UsageError
from rightsgraph.namespaces import BASE, ID, curie
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


def _store(ctx: click.Context, store_path: str | None, audience: str):
    return open_store(ctx, audience, store_path)


def _target(ctx: click.Context, endpoint: str | None, store_path: str | None, audience: str):
    """What to query: the remote endpoint if one is given, else the local release of ``audience``."""
    return endpoint if endpoint else _store(ctx, store_path, audience)


def _display(term, labels: dict[str, str] | None = None) -> str:
    """A term as a table shows it: an entity by its label (else its id, facility/kwanliso-15), a term by its prefixed
    name, a literal by its text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        if labels and iri in labels:
            return labels[iri]
        return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri[len(BASE):] if iri.startswith(BASE) else curie(iri)
    return str(term)


def _labels_of(target) -> dict[str, str] | None:
    """The entity labels of a local store's label index (read once), or None (remote endpoints show ids)."""
    if not isinstance(target, ox.Store):
        return None
    from rightsgraph.store import labels as labels_mod

    folder = store.folder(target)
    index = labels_mod.for_store(folder) if folder is not None else None
    return index.labels if index is not None else None


def _table_rows(result: results.Result, labels: dict[str, str] | None) -> tuple[list[str], list[list[str]]]:
    """The columns and cells of a terminal table: an entity column is dropped when every row also shows its label
    in another column (queries return the IRI and its label side by side)."""
    cells = [[_display(t, labels) for t in row] for row in result.rows]
    keep = []
    for i, _ in enumerate(result.vars):
        iris = [row[i] for row in result.rows]
        redundant = bool(iris) and all(isinstance(t, URIRef) for t in iris) and all(
            any(j != i and cells[r][j] == cells[r][i] and not isinstance(result.rows[r][j], URIRef)
                for j in range(len(result.vars))) for r in range(len(iris)))
        empty = all(not row[i] for row in cells)
        if not redundant and not (empty and len(result.vars) > 1):
            keep.append(i)
    return [result.vars[i] for i in keep], [[row[i] for i in keep] for row in cells]


def emit(result: results.Result, fmt: str, title: str | None = None, target=None) -> None:
    """Write a result to stdout as a table (labels, folded at word boundaries to the terminal's width), CSV or TSV
    of the plain values (IRIs in full), or SPARQL 1.1 JSON results."""
    if fmt == "json":
        click.echo(results.write(result, "json", indent=1).decode("utf-8"))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        results.write_plain(result, buf, delimiter="," if fmt == "csv" else "\t")
        click.echo(buf.getvalue(), nl=False)
    else:
        names, cells = _table_rows(result, _labels_of(target) if target is not None else None)
        table = Table(title=title, show_lines=False, title_justify="left", expand=False)
        for k, v in enumerate(names):
            column = [row[k] for row in cells]
            # ids and numbers (no spaces) keep their width up to 24 columns; text folds at word boundaries, its
            # column as wide as its longest word (up to 16) so that words are not cut
            spaced = any(" " in c for c in column)
            longest = max((len(w) for c in column for w in (c.split() if spaced else [c])), default=0)
            table.add_column(v, overflow="fold", min_width=min(max(longest, len(v)), 16 if spaced else 12))
        for row in cells:
            table.add_row(*row)
        out = Console(highlight=False)
        if not out.is_terminal:  # a pipe: $COLUMNS, else 100 columns
            out = Console(highlight=False, width=_columns())
        out.print(table)
        click.echo(f"{len(result.rows)} row(s) (IRIs in full: --format csv, tsv or json)", err=True)


def _emit_answer(answer, fmt: str) -> None:
    """An ask's yes or no, or a construct's or describe's triples (Turtle with the project's prefixes, or N-Triples)."""
    if isinstance(answer, bool):
        if fmt in ("turtle", "ntriples"):
            raise UsageError(f"--format {fmt} is for construct and describe; an ask answers as table, csv, tsv, json or xml")
        click.echo(results.write(answer, "json" if fmt == "table" else fmt).decode("utf-8") if fmt != "table"
                   else ("true" if answer else "false"))
        return
    if fmt not in ("table", "turtle", "ntriples"):
        raise UsageError(f"--format {fmt} is for select and ask; construct and describe answer as turtle or ntriples")
    from rightsgraph.namespaces import PREFIXES

    data = ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE,
                        prefixes=None if fmt == "ntriples" else {k: v for k, v in PREFIXES.items()
                                                                 if k not in ("id", "claim", "rgg")})
    sys.stdout.buffer.write(data or b"")
    err.print(f"{len(answer)} triple(s)")


def _columns() -> int:
    try:
        return max(40, int(os.environ.get("COLUMNS", "100")))
    except ValueError:
        return 100


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
@click.option("--release", "releases", multiple=True, metavar="AUDIENCE", default=("public",), show_default=True,
              help="Make a release for this audience (repeatable): build/releases/AUDIENCE/ with its store, "
                   "exports and manifest. The public one's exports are also build/exports.")
@candidates_options
@click.pass_context
@handled
def build(ctx, corpus, store_path, exports_dir, no_shacl, dump, no_exports, releases, include_candidates, review_dir):
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
                                     progress=progress, paths=paths, audiences=releases)
    else:
        candidates = _candidates(ctx, include_candidates, review_dir)
        report = build_mod.build(paths, _corpus(corpus, paths), store_path, exports_dir, shacl=not no_shacl,
                                 progress=progress, exports=not no_exports, include_candidates=candidates,
                                 audiences=releases)
    err.print(f"Built {report.quads} quads: {report.entities} entities, {report.claims} claims, "
              f"in {report.seconds:.1f} s.")
    err.print(f"Store: {report.store}")
    for fmt, path in report.exports.items():
        err.print(f"Export ({fmt}): {path}")
    for name, rel in report.releases.items():
        withheld = ", ".join(f"{n} {k}" for k, n in rel.withheld.items())
        err.print(f"Release ({name}): {rel.folder}: {rel.quads} quads; withheld {withheld}.")
    if report.anchors_written:
        err.print("Updated graph/anchors.tsv (commit it).")
    if not dump and corpus_dir(corpus, paths) is None:
        err.print(_NO_CORPUS)


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
    if not corpus_dir(corpus, _paths(ctx)):
        err.print(_NO_CORPUS)


#: What a build or validate without the source texts did not check.
_NO_CORPUS = ("Note: no corpus, so the quotes were not checked against the source texts (their offsets recorded in "
              "graph/anchors.tsv were used): give --corpus DIR, set RIGHTSGRAPH_CORPUS or name it in rightsgraph.toml.")


@main.command()
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE",
              help="Bind a declared parameter (repeatable); values are bound as RDF terms, never spliced.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              default="table", show_default=True,
              help="select: table, csv, tsv, json; ask: table, csv, tsv, json, xml; construct and describe: "
                   "turtle (also for table), ntriples.")
@click.option("--endpoint", default=None, help="Run on this remote SPARQL 1.1 query endpoint instead of the local store.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for a remote endpoint.")
@store_option
@audience_option
@click.pass_context
@handled
def query(ctx, query, list_, param, fmt, endpoint, timeout, store_path, audience):
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
    target = _target(ctx, endpoint, store_path, audience)
    result = queries.run_any(target, q, given, timeout=timeout)
    if not isinstance(result, results.Result):
        _emit_answer(result, fmt)
        return
    if fmt in ("turtle", "ntriples", "xml"):
        raise UsageError(f"--format {fmt} is for {'ask' if fmt == 'xml' else 'construct and describe'} queries; "
                         "a select answers as table, csv, tsv or json")
    defaults = {k: v for k, v in q.params.items() if k not in given}
    for k, v in defaults.items():  # say what was used: a default is easy to miss
        err.print(f"[dim]· {k} = {_display(v)} (the default; --param {k}=... to change it)[/dim]")
    emit(result, fmt, title=q.question or None, target=target)
    if not result.rows and given:
        used = ", ".join(f"{k}={v}" for k, v in given.items())
        hint = _source_hint(target, _paths(ctx), given["source"]) if "source" in given else ""
        err.print(f"Warning: no rows for {used}: check the value{'s' if len(given) > 1 else ''} "
                  f"(ids as in graph/sources.yaml and graph/entities/){hint}.")


def _source_hint(target, paths, value: str) -> str:
    """``; did you mean X?`` for the source ids closest to ``value`` (a misspelt id), or nothing.

    The ids are those of the sources that support a claim (the named query stats-claims-per-source); asked
    only after a match came back empty, so a large store pays for it only then."""
    import difflib

    try:
        rows = queries.run(target, queries.resolve("stats-claims-per-source", paths.queries)).rows
    except (UsageError, OSError, ValueError):
        return ""
    ids = sorted({str(r[0]) for r in rows})
    close = difflib.get_close_matches(value, ids, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--endpoint", default=None, help="Describe from a remote SPARQL endpoint instead.")
@store_option
@audience_option
@click.pass_context
@handled
def describe(ctx, name, fmt, endpoint, store_path, audience):
    """Show every claim about an entity, found by label, alias, id or IRI.

    Names match regardless of case, hyphens and spacing: "Camp 15", "yodok" and
    "kwan-li-so no. 15" find the same camp.
    """
    target = _target(ctx, endpoint, store_path, audience)
    match, data = entities.describe(target, name, _paths(ctx))
    if fmt != "table":
        emit(entities.result(data), fmt)
        return
    click.echo(entities.text(match, data))
    click.echo(f"\n{len(entities.statements(data))} statement(s) from {len(data['claims'])} claim(s).", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(list(exports.FORMATS)), default=None,
              help="turtle: facts (union of all graphs); trig, nquads, jsonld: every named graph with provenance; "
                   "nanopub: every claim as a nanopublication named by a trusty URI (check one with `verify`) "
                   "[default: from the file name's suffix (.ttl .trig .nq .jsonld .np.trig)].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write [default: stdout].")
@click.option("--sign-key", type=click.Path(dir_okay=False, exists=True), default=None, metavar="KEY.pem",
              help="nanopub only: sign every nanopublication with this RSA private key (PEM, e.g. from `openssl "
                   "genpkey -algorithm RSA -out key.pem`); needs nanopub-sign. `verify` checks the signatures.")
@store_option
@audience_option
@click.pass_context
@handled
def export(ctx, fmt, output, sign_key, store_path, audience):
    """Export the built graph as Turtle, TriG, N-Quads, JSON-LD or nanopublications."""
    fmt = _export_format(fmt, output)
    if sign_key and fmt != "nanopub":
        raise UsageError(f"--sign-key signs nanopublications: it needs --format nanopub, not {fmt}")
    st = _store(ctx, store_path, audience)
    if sign_key:
        from rightsgraph.outputs import nanopub

        buf = io.BytesIO()
        nanopub.write_signed(st, buf, _paths(ctx), nanopub.read_key(Path(sign_key)))
        if output:
            Path(output).write_bytes(buf.getvalue())
            err.print(f"Wrote {output} (signed)")
        else:
            sys.stdout.buffer.write(buf.getvalue())
        return
    if output:
        exports.write(st, fmt, Path(output), _paths(ctx))
        err.print(f"Wrote {output}")
    else:
        buf = io.BytesIO()
        exports.dump(st, fmt, buf, _paths(ctx))
        sys.stdout.buffer.write(buf.getvalue())


def _export_format(fmt: str | None, output: str | None) -> str:
    """The export format: --format, else the one the output's suffix names; a suffix that names another is refused."""
    name = Path(output).name.lower() if output else ""
    # the longest registered suffix the name ends with (rightsgraph.np.trig is a nanopub file, not TriG)
    suffix = next((f.suffix for f in sorted(exports.FORMATS.values(), key=lambda f: -len(f.suffix))
                   if name.endswith("." + f.suffix)), Path(name).suffix.lstrip("."))
    by_suffix = exports.by_suffix(suffix) if suffix else None
    known = ", ".join(f".{f.suffix}" for f in exports.FORMATS.values())
    if fmt is None:
        if by_suffix is None:
            where = f"{output!r} has no suffix rightsgraph knows ({known})" if output else "writing to stdout"
            raise UsageError(f"give --format ({', '.join(exports.FORMATS)}): {where}")
        return by_suffix.name
    if suffix and by_suffix is not None and by_suffix.name != fmt:
        raise UsageError(f"--format {fmt} but {output!r} ends in .{suffix} ({by_suffix.name}): "
                         f"name the file .{exports.FORMATS[fmt].suffix} or drop --format")
    return fmt


def _refuse_suffix(output: str, allowed: dict[str, str], what: str) -> str:
    """The format the output's suffix names among ``allowed`` (suffix -> format); any other suffix is refused."""
    suffix = Path(output).suffix.lower()
    if suffix not in allowed:
        raise UsageError(f"{what} writes {', '.join(allowed)} files, not {suffix or 'a file without a suffix'} "
                         f"({output!r}): rename the output")
    return allowed[suffix]


@main.command()
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL (oxigraph: http://HOST:PORT/store) or, with --method update, a SPARQL Update URL.")
@click.option("--method", type=click.Choice(["gsp", "update", "dataset"]), default="gsp", show_default=True,
              help="gsp: PUT each named graph; update: INSERT DATA in batches; dataset: one POST of all "
                   "N-Quads (oxigraph: /store?no_transaction bulk-loads).")
@click.option("--timeout", type=float, default=60.0, show_default=True)
@store_option
@audience_option
@click.pass_context
@handled
def push(ctx, endpoint, method, timeout, store_path, audience):
    """Load the built graph, every named graph included, into a remote SPARQL 1.1 store.

    This is how to move to a server when one machine's embedded store is not enough.
    """
    st = _store(ctx, store_path, audience)
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
@click.option("--max-nodes", type=click.IntRange(1, None), default=100, show_default=True,
              help="A page draws at most this many nodes (the focus and its nearest, then the best connected) "
                   "and one \"N more\" node for the rest; GraphML and GEXF hold everything.")
@click.option("--endpoint", default=None, help="Draw from a remote SPARQL endpoint instead of the local store.")
@store_option
@audience_option
@click.pass_context
@handled
def viz(ctx, focus, hops, types, source, min_certainty, fmt, output, max_nodes, endpoint, store_path, audience):
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

    suffixes = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf"}
    named = _refuse_suffix(output, suffixes, "viz")
    if fmt and fmt != named:
        raise UsageError(f"--format {fmt} but {output!r} names {named}: make them agree")
    target = _target(ctx, endpoint, store_path, audience)
    g = visuals.network(target, _paths(ctx), focus=focus, hops=hops, types=types.split(",") if types else None,
                        source=source, min_certainty=min_certainty)
    fmt = named
    title = f"rightsgraph: around {focus}" if focus else "rightsgraph network"
    if fmt == "html":
        visuals.page(g, output, title, max_drawn=max_nodes)
        if g.number_of_nodes() > max_nodes:
            err.print(f"Drawn: {max_nodes} of {g.number_of_nodes()} nodes (one \"{g.number_of_nodes() - max_nodes} more\" "
                      "node stands for the rest; --max-nodes to change it).")
    elif fmt == "graphml":
        visuals.write_graphml(g, output)
    else:
        visuals.write_gexf(g, output)
    err.print(f"Wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({fmt}).")
    if g.number_of_edges() == 0 and (source or types or min_certainty):
        used = ", ".join(f"{k} {v}" for k, v in (("--source", source), ("--types", types),
                                                  ("--min-certainty", min_certainty)) if v)
        hint = _source_hint(target, _paths(ctx), source) if source else ""
        err.print(f"Warning: nothing matched {used}: check the value (source ids as in graph/sources.yaml; "
                  f"`rightsgraph query stats-claims-per-source` lists them){hint}.")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="File to write: .png, .svg or .pdf for a picture, .html for a page whose points name their claims.")
@click.option("--endpoint", default=None, help="Read events from a remote SPARQL endpoint instead.")
@store_option
@audience_option
@click.pass_context
@handled
def timeline(ctx, output, endpoint, store_path, audience):
    """Draw the dated events on a timeline, by kind of event (PNG or HTML)."""
    from rightsgraph.outputs import timeline as timeline_mod

    kind = _refuse_suffix(output, {".png": "picture", ".svg": "picture", ".pdf": "picture", ".html": "page",
                                   ".htm": "page"}, "timeline")
    target = _target(ctx, endpoint, store_path, audience)
    evs = timeline_mod.events(target, _paths(ctx))
    if kind == "picture":
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
              help="Address space a query may take in its worker, beyond the opened store; a query past it is stopped (503) and its worker replaced.")
@click.option("--read-timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for a request body.")
@click.option("--idle-timeout", type=float, default=5.0, show_default=True, help="Seconds an idle keep-alive connection is kept.")
@click.option("--verbose", is_flag=True, help="Log every request to stderr.")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A file holding a secret token: every request must then send 'Authorization: Bearer <token>' "
                   "(401 without it). Needed to serve any release but the public one beyond 127.0.0.1.")
@store_option
@audience_option
@click.pass_context
@handled
def serve(ctx, host, port, base, timeout, max_rows, max_body, cors, workers, max_workers, max_memory, read_timeout,
          idle_timeout, verbose, token_file, store_path, audience):
    """Publish the built graph: a read-only SPARQL 1.1 endpoint and linked-data pages.

    \b
    /sparql     SPARQL 1.1 Protocol: GET, POST; JSON, XML, CSV, TSV; Turtle, N-Triples, TriG, JSON-LD
    /id/...     every entity, source and claim IRI: HTML, Turtle, JSON-LD, TriG by Accept
    /           home page with counts, name search and the named queries; /query to write SPARQL
    /void       the VoID description; /exports/ the downloadable exports

    Updates, SERVICE, LOAD and remote FROM are refused (the query is parsed first), and the query
    workers, and the server itself once its socket is bound, run in network namespaces with no
    interfaces, so no query reaches the network. One-pattern lookups are answered by the server
    itself; every other query by a worker. A query past
    --timeout or --max-memory is stopped while other requests are served; results past --max-rows
    are cut and flagged.
    """
    from rightsgraph.namespaces import BASE
    from rightsgraph.release import publish
    from rightsgraph.web import app as app_mod
    from rightsgraph.web import server as server_mod

    token = Path(token_file).read_text(encoding="utf-8").strip() if token_file else None
    if token_file and not token:
        raise UsageError(f"--token-file {token_file}: the file is empty")
    if (audience != publish.DEFAULT or store_path) and token is None and host not in ("127.0.0.1", "localhost", "::1"):
        raise UsageError(f"serving the {audience} release (or a --store) on {host} needs --token-file: "
                         "without a token it binds only to 127.0.0.1")
    paths = _paths(ctx)
    # a --store is served with the exports beside it (build writes store/ and exports/ side by side, a release too)
    store = Path(store_path) if store_path else publish.store_path(paths, audience)
    settings = server_mod.Settings(paths=paths, store=store,
                                   exports=store.parent / "exports" if store_path else publish.exports_dir(paths, audience),
                                   base=base or BASE, timeout=timeout,
                                   max_rows=max_rows, max_body=max_body, cors=set(cors), workers=workers, token=token,
                                   max_workers=max_workers, max_memory_mb=max_memory, read_timeout=read_timeout,
                                   idle_timeout=idle_timeout)

    def ready(app):
        if app.isolation_refused:
            err.print(f"[bold yellow]Warning:[/bold yellow] the server process is NOT cut off from the network "
                      f"({app.isolation_refused}); every query goes to the query workers.")
        if app.runner.isolation_refused:
            err.print(f"[bold yellow]Warning:[/bold yellow] the query workers are NOT cut off from the network "
                      f"({app.runner.isolation_refused}); only the parser's refusal of SERVICE and LOAD stands.")
        err.print(f"Serving {settings.store} on http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops.")

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
@audience_option
@click.pass_context
@handled
def stats(ctx, fmt, endpoint, store_path, audience):
    """Count entities per class, claims per source and claims per certainty."""
    target = _target(ctx, endpoint, store_path, audience)
    for name in ("stats-totals", "stats-claims-per-source", "stats-claims-per-certainty", "stats-entities-per-class"):
        q = queries.resolve(name, _paths(ctx).queries)
        emit(queries.run(target, q), fmt, title=q.question, target=target)



@main.command()
@click.option("--sample", "n", type=click.IntRange(min=1), required=True, help="How many claims to draw.")
@click.option("--seed", type=int, required=True, help="The random seed: the same graph and seed draw the same claims.")
@click.option("--source", default=None, help="Draw only claims of this source (its manifest id).")
@click.option("--predicate", default=None, help="Draw only claims with this predicate (e.g. prisonerCount; "
                                                 "entity records have type, label, altLabel).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="audit.html or audit.yaml: writes both, the reading sheet and the file to fill in "
                   "[default: list the sample on stdout].")
@corpus_option
@click.pass_context
@handled
def audit(ctx, n, seed, source, predicate, output, corpus):
    """Draw a reproducible random sample of claims for a reader who neither curated nor reviewed them.

    Each claim comes with its facts, its quote highlighted inside 300 characters of source text on
    each side (from the corpus), and boxes for a verdict: right, minor problem, wrong, and a note.
    -o audit.html writes the sheet and audit.yaml beside it (and -o audit.yaml the same pair); fill
    in the YAML and count it with `rightsgraph audit-tally audit.yaml`.
    """
    from rightsgraph.claims import audit as audit_mod
    from rightsgraph.claims import loader as claims_mod

    texts = _corpus(corpus, _paths(ctx))
    collection = claims_mod.load(_paths(ctx), texts)
    drawn = audit_mod.draw(collection, n, seed, source, predicate)
    sheet = audit_mod.items(drawn, collection, texts)
    info = audit_mod.meta(n, seed, source, predicate, len(drawn))
    if output is None:
        for it in sheet:
            click.echo(f"{it.number}. {it.claim}  ({it.file}:{it.line}; {it.review})")
            for fact in it.facts:
                click.echo(f"    {fact}")
            click.echo(f"    quote: {it.quote}")
        return
    out = Path(output)
    if out.suffix not in (".html", ".yaml", ".yml"):
        raise UsageError(f"-o {output}: give a .html or .yaml file name")
    html_path = out if out.suffix == ".html" else out.with_suffix(".html")
    yaml_path = out if out.suffix in (".yaml", ".yml") else out.with_suffix(".yaml")
    out.parent.mkdir(parents=True, exist_ok=True)
    audit_mod.write_html(html_path, sheet, info)
    audit_mod.write_yaml(yaml_path, sheet, info)
    if texts is None:
        err.print("No corpus: the sheet shows the quotes without their context (give --corpus DIR).")
    err.print(f"Drew {len(drawn)} claims (seed {seed}). Wrote {html_path} (to read) and {yaml_path} (to fill in).")


@main.command("audit-tally")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
@handled
def audit_tally(ctx, file):
    """Count a filled-in audit file into the share of right, minor-problem and wrong claims, with 95% intervals (Wilson)."""
    from rightsgraph.claims import audit as audit_mod

    for line in audit_mod.tally(Path(file)).lines():
        click.echo(line)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@handled
def releases(ctx, fmt):
    """List the audit log: every release built and every review file accepted, oldest first."""
    from rightsgraph.release import audit

    records = audit.read(_paths(ctx).audit_log)
    for r in records:
        if fmt == "json":
            click.echo(json.dumps(r, sort_keys=True, ensure_ascii=False))
        elif r.get("event") == "release":
            withheld = ", ".join(f"{n} {k}" for k, n in (r.get("withheld") or {}).items())
            click.echo(f"{r['when']}  release {r.get('audience')}: {r.get('quads')} quads, withheld {withheld}  {r.get('folder')}")
        else:
            click.echo(f"{r['when']}  {r.get('event')} {r.get('review_file', '')}: {r.get('entered', '')} item(s) entered")
    err.print(f"{len(records)} record(s) in {_paths(ctx).audit_log}")


from rightsgraph.cli.extract import accept as _accept, extract as _extract  # noqa: E402 - the commands of cli_extract

main.add_command(_extract, "extract")
main.add_command(_accept, "accept")

from rightsgraph.cli.init import init as _init  # noqa: E402 - the init command

main.add_command(_init, "init")

from rightsgraph.cli.nanopub import diff as _diff, verify as _verify  # noqa: E402 - checking claims, comparing releases

main.add_command(_verify, "verify")
main.add_command(_diff, "diff")

if __name__ == "__main__":  # pragma: no cover
    main()
