"""The build: claims -> checked quads -> SHACL -> a new store and exports, swapped in only when all is well."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from rightsgraph.claims import loader as claims_mod
from rightsgraph.claims.anchors import ANCHORS_FILE, write_anchors
from rightsgraph.claims.records import Collection
from rightsgraph.outputs import exports as exports_mod
from rightsgraph.model import quads as model
from rightsgraph.model import ontology
from rightsgraph.store import embedded as store
from rightsgraph.validate import invariants
from rightsgraph.validate import shacl as validation
from rightsgraph.sources.corpus import Corpus
from rightsgraph import fileio
from rightsgraph.errors import DataError, Problem
from rightsgraph.paths import Paths
from rightsgraph.release import audit
from rightsgraph.release import publish


@dataclass
class Report:
    """What a build or validation did."""

    entities: int = 0
    claims: int = 0
    quads: int = 0
    anchors_written: bool = False
    store: Path | None = None
    exports: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    #: audience -> the release written for it
    releases: dict[str, publish.Release] = field(default_factory=dict)
    #: seconds spent deciding, scanning and writing the releases (``make bench`` reports it)
    release_seconds: float = 0.0


def load_checked_graph(paths: Paths, corpus: Corpus | None = None, shacl: bool = True,
          progress: Callable[[str], None] = lambda _: None,
          include_candidates=None) -> tuple[Collection, list]:
    """Load and check the data; return the collection and its quads. Raises DataError on problems.

    ``include_candidates``: a folder of review files (or a ``review.Candidates``) whose items not marked
    reject are loaded too, unreviewed, with their rule as ``prov:wasGeneratedBy`` and their confidence.
    """
    onto = ontology.load(paths.ontology / "rightsgraph.ttl")
    progress("reading graph/ and anchoring quotes" + (f" in {corpus.folder}" if corpus else ""))
    collection = claims_mod.load(paths, corpus, onto, candidates=include_candidates)
    quads = list(model.quads(collection, onto))
    if shacl:
        progress(f"checking {len(quads)} quads against the SHACL shapes")
        union = Graph()
        for s, p, o, _ in quads:
            union.add((s, p, o))
        results = validation.shacl(union, validation.shapes_graph(paths.ontology / "shapes.ttl"), onto.graph)
        if results:
            raise DataError(validation.locate(collection, results, quads))
    return collection, quads


def _where(paths: Paths, store_path: Path | None) -> tuple[Path, Path]:
    """The releases folder and the audit log: the project's, or beside a store written elsewhere."""
    if store_path is None:
        return paths.releases, paths.audit_log
    return Path(store_path).parent / "releases", Path(store_path).parent / "audit.jsonl"


def load_planned(text: Path, staging: Path, paths: Paths | None, audiences, progress: Callable[[str], None],
                 pool: ThreadPoolExecutor | None = None) -> tuple[dict, dict[str, Path], Path | None, dict]:
    """Load the internal store ``staging / "store"`` from the N-Quads file ``text``, loading each quad once.

    With the project's ``paths``, each audience's release is planned first on the access lines of the text
    (:func:`rightsgraph.release.publish.plan`); when the text is as Oxigraph writes N-Quads, the release of
    the audience that sees most is cut from it and loaded, and the internal store is a copy of that release
    (a RocksDB checkpoint: hard links) plus the withheld rest. Otherwise the text is loaded whole. Returns
    (the plans, {audience: the text its release store was loaded from}, the text when it can be cut again
    for other releases, the leak queries started in ``pool`` on the releases loaded);
    :func:`rightsgraph.release.publish.finish` completes the releases. Raises DataError naming the line when
    the text is not N-Quads."""
    import pyoxigraph as ox

    internal = staging / "store"
    planned: dict = {}
    texts: dict[str, Path] = {}
    early: dict = {}
    if paths is not None:
        onto = ontology.load(paths.ontology / "rightsgraph.ttl")
        data = publish.mapped(text)
        try:
            planned = publish.plan(data, onto, audiences)
        except SyntaxError:
            planned = {}  # loading the whole text below names the line
        if planned:
            base = min(planned.values(), key=lambda w: len(w.claims) + len(w.entities) + len(w.sources))
            progress(f"cutting the {base.audience.name} release out of {text.name}")
            pieces = publish.cut(data, base, staging / "cut")
            if pieces is not None:
                kept, rest = pieces
                release = staging / "releases" / base.audience.name / "store"
                scanned = None if pool is None else publish.start_text_checks(
                    pool, kept, base, staging / "cut" / f"{base.audience.name}-labels")
                try:
                    progress(f"loading the {base.audience.name} release ({kept.stat().st_size / 1e6:.1f} MB)")
                    publish.load(release, kept)
                    ox.Store.read_only(str(release)).backup(str(internal))
                    if pool is not None:  # its leak query runs while the internal store is completed and checked
                        early[base.audience.name] = publish.start_leak_check(pool, release, paths.queries, base,
                                                                             scanned)
                    progress(f"adding what it withholds ({rest.stat().st_size / 1e6:.1f} MB) to the internal store")
                    whole = ox.Store(str(internal))
                    whole.bulk_load(path=str(rest), format=ox.RdfFormat.N_QUADS)
                    whole.flush()
                    unplaced = next(iter(whole.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
                    del whole
                    if unplaced is None:
                        texts[base.audience.name] = kept
                    else:  # the cut kept default-graph quads that name nothing withheld: no release holds them
                        if early:
                            publish.wait(early.pop(base.audience.name))
                        shutil.rmtree(staging / "releases" / base.audience.name)
                        return planned, texts, None, {}
                except SyntaxError:  # loaded whole below, which names the line of the text itself
                    for started in early.values():
                        publish.wait(started)
                    if scanned is not None:
                        scanned.exception()
                    early.clear()
                    shutil.rmtree(staging / "releases", ignore_errors=True)
                    shutil.rmtree(internal, ignore_errors=True)
        del data
    if not texts:
        progress(f"bulk-loading {text} ({text.stat().st_size / 1e6:.1f} MB)")
        whole = ox.Store(str(internal))
        try:
            whole.bulk_load(path=str(text), format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise DataError([Problem(str(text), exc.lineno or 0, f"not valid N-QUADS: {exc.msg}")]) from None
        whole.flush()
        del whole
    return planned, texts, (text if texts else None), early


def write_releases(paths: Paths, staging: Path, audiences, planned: dict, texts: dict[str, Path],
                   canonical: Path | None, origin: Callable[[str], tuple[str, int]], exports: bool,
                   progress: Callable[[str], None], early: dict | None = None) -> dict[str, publish.Release]:
    """Complete one release per audience beside the internal store in ``staging / "store"`` (see
    :func:`load_planned` and :func:`rightsgraph.release.publish.finish`)."""
    onto = ontology.load(paths.ontology / "rightsgraph.ttl")
    return publish.finish(staging / "store", staging, onto, list(dict.fromkeys(audiences)), planned, dict(texts),
                          canonical, paths.queries, origin, exports=exports, progress=progress, paths=paths,
                          early=early)


def _swap_releases(written: dict[str, publish.Release], staging: Path, releases_dir: Path,
                   exports_dir: Path | None, audit_log: Path, report: Report) -> None:
    """Put each release in its place, link the public one's exports into ``exports_dir``, and log each one."""
    for name, rel in written.items():
        final = releases_dir / name
        fileio.swap(rel.folder, final)
        rel.folder = final
        rel.exports = {fmt: final / "exports" / path.name for fmt, path in rel.exports.items()}
        if name == publish.DEFAULT and exports_dir is not None and rel.exports:
            links = staging / "export-links"
            links.mkdir(exist_ok=True)
            staged = {}
            for fmt, path in rel.exports.items():  # the same files, not copies: one sha256 in the manifest
                staged[fmt] = links / path.name
                try:
                    os.link(path, staged[fmt])
                except OSError:
                    shutil.copyfile(path, staged[fmt])
            report.exports.update(fileio.move_into(staged, exports_dir))
        audit.append(audit_log, "release", audience=name, folder=str(final), quads=rel.quads,
                     withheld=rel.withheld, exports={fmt: e["sha256"] for fmt, e in rel.manifest["exports"].items()},
                     built=rel.manifest["built"])
    report.releases.update(written)


def build(paths: Paths, corpus: Corpus | None = None, store_path: Path | None = None,
          exports_dir: Path | None = None, shacl: bool = True,
          progress: Callable[[str], None] = lambda _: None, exports: bool = True,
          include_candidates=None, audiences=(publish.DEFAULT,)) -> Report:
    """Build the internal store, then a release for each audience in ``audiences`` (public by default) with
    its exports and manifest; the public release's exports also go to ``exports_dir`` (``build/exports``).
    Leave the previous ones untouched if anything fails. Releases and the audit log go to the project's
    ``build/`` (beside ``store_path`` when one is given)."""
    started = time.perf_counter()
    releases_dir, audit_log = _where(paths, store_path)
    store_path = Path(store_path or paths.store)
    exports_dir = Path(exports_dir or paths.exports)
    collection, quads = load_checked_graph(paths, corpus, shacl, progress, include_candidates)
    report = Report(entities=len(collection.entities), claims=len(collection.claims))
    origins = collection.origin_of()

    def origin(claim: str) -> tuple[str, int]:
        where = origins.get(URIRef(claim))
        return (where.file, where.line) if where else (claim, 0)

    # the leak pool ends (waiting for its query) before the staging folder is removed
    with fileio.staging(store_path) as staging, ThreadPoolExecutor(max_workers=1) as leak_pool:
        progress(f"writing {len(quads)} quads to a new store")
        text = store.write_nquads(staging / "graph.nq", quads)
        planned, texts, canonical, early = load_planned(text, staging, paths, audiences, progress, leak_pool)
        from rightsgraph.store import labels as search

        internal = store.open(staging / "store")
        report.quads = len(internal)
        search.write(internal, staging / "store")
        del internal
        release_started = time.perf_counter()
        written = write_releases(paths, staging, audiences, planned, texts, canonical, origin, exports, progress, early)
        report.release_seconds = time.perf_counter() - release_started
        # everything is ready: swap in the new store and the releases, then the anchors
        fileio.swap(staging / "store", store_path)
        _swap_releases(written, staging, releases_dir, exports_dir, audit_log, report)
        if corpus is not None and include_candidates is None:  # anchors.tsv holds the offsets of graph/ only
            report.anchors_written = write_anchors(paths.graph / ANCHORS_FILE, collection.anchors)
    report.store = store_path
    report.seconds = time.perf_counter() - started
    return report


#: Dump formats ``load_dump`` reads, by file suffix.
DUMP_FORMATS = {".nq": "N_QUADS", ".nquads": "N_QUADS", ".trig": "TRIG"}


def _line_of(path: Path, iri: str) -> int:
    """The first line of ``path`` that mentions ``<iri>`` (0 if none), for pointing at a problem."""
    needle = f"<{iri}>".encode()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if needle in line:
                return number
    return 0


def load_dump(dump: Path, store_path: Path, exports_dir: Path | None = None,
              progress: Callable[[str], None] = lambda _: None, paths: Paths | None = None,
              audiences=(publish.DEFAULT,)) -> Report:
    """Build the store from an N-Quads or TriG dump of the rightsgraph data model, atomically.

    For graphs too large to author in YAML (a documentation database's export, the exports of
    another build): the dump is bulk-loaded into a new store, every claim graph's provenance is
    checked by counting (:func:`rightsgraph.validate.invariants.check_claim_provenance`), the label index is written,
    and only then is the new store swapped in. With ``paths`` (the project, whose ontology declares the
    audiences), a release is made for each of ``audiences`` as :func:`build` does, and the public one's
    exports go to ``exports_dir``; without it, the exports (when ``exports_dir`` is given) are written
    from the store itself, as the benchmark's raw comparison needs.
    """
    if exports_dir is not None and paths is None:
        raise ValueError("load_dump: exports need the project's paths (for the JSON-LD context)")
    import pyoxigraph as ox

    from rightsgraph.store import labels as search

    started = time.perf_counter()
    dump, store_path = Path(dump), Path(store_path)
    fmt = DUMP_FORMATS.get(dump.suffix.lower())
    if fmt is None:
        raise DataError([Problem(str(dump), 0, f"not a dump rightsgraph reads: the name must end in "
                                               f"{', '.join(DUMP_FORMATS)}")])
    if not dump.is_file():
        raise DataError([Problem(str(dump), 0, "no such file")])
    report = Report()
    # the leak pool ends (waiting for its query) before the staging folder is removed
    with fileio.staging(store_path) as staging, ThreadPoolExecutor(max_workers=1) as leak_pool:
        index = None
        if fmt == "N_QUADS":
            # the names are found in the file's text, so the label index is written while the text is planned,
            # cut and loaded (the bulk load is one core's work and lets go of the GIL)
            (staging / "labels").mkdir()
            index = leak_pool.submit(search.write_from_nquads, dump, staging / "labels")
            planned, texts, canonical, early = load_planned(dump, staging, paths, audiences, progress, leak_pool)
            new = ox.Store(str(staging / "store"))
        else:
            planned, texts, canonical, early = {}, {}, None, {}
            progress(f"bulk-loading {dump} ({dump.stat().st_size / 1e6:.1f} MB)")
            new = ox.Store(str(staging / "store"))
            try:
                new.bulk_load(path=str(dump), format=getattr(ox.RdfFormat, fmt))
            except SyntaxError as exc:
                line = exc.lineno or 0
                raise DataError([Problem(str(dump), line, f"not valid {fmt.replace('_', '-')}: {exc.msg}")]) from None
        progress("checking the provenance of every claim graph, and writing the label index")
        with ThreadPoolExecutor(max_workers=2) as pool:  # pyoxigraph lets go of the GIL while it evaluates
            size = pool.submit(len, new)
            if index is None:
                index = pool.submit(search.write, new, staging / "store")
            claims, problems = invariants.check_claim_provenance(new, pool)
            if problems:
                raise DataError([Problem(str(dump), _line_of(dump, p[1:p.index('>')]) if p.startswith("<") else 0, p)
                                 for p in problems])
            report.quads = size.result()
            written_index = index.result()
            if written_index.parent != staging / "store":
                os.replace(written_index, staging / "store" / written_index.name)
                written_index = staging / "store" / written_index.name
            report.entities = len(search.LabelIndex.load(written_index).labels)
        report.claims = claims
        new.flush()
        del new
        written = {}
        releases: dict[str, publish.Release] = {}
        if paths is not None:
            release_started = time.perf_counter()
            releases = write_releases(paths, staging, audiences, planned, texts, canonical,
                                      lambda claim: (str(dump), _line_of(dump, claim)), exports_dir is not None,
                                      progress, early)
            report.release_seconds = time.perf_counter() - release_started
        elif exports_dir is not None:
            progress("writing the exports")
            written = exports_mod.write_all(store.open(staging / "store"), staging / "exports", paths)
        fileio.swap(staging / "store", store_path)
        if paths is not None:
            releases_dir, audit_log = _where(paths, store_path)
            _swap_releases(releases, staging, releases_dir, exports_dir, audit_log, report)
        elif exports_dir is not None:
            report.exports.update(fileio.move_into(written, exports_dir))
    report.store = store_path
    report.seconds = time.perf_counter() - started
    return report
