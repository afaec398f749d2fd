"""The build: claims -> checked quads -> SHACL -> a new store and exports, swapped in only when all is well."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

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


def build(paths: Paths, corpus: Corpus | None = None, store_path: Path | None = None,
          exports_dir: Path | None = None, shacl: bool = True,
          progress: Callable[[str], None] = lambda _: None, exports: bool = True,
          include_candidates=None) -> Report:
    """Build the store and the exports; leave the previous ones untouched if anything fails."""
    started = time.perf_counter()
    store_path = Path(store_path or paths.store)
    exports_dir = Path(exports_dir or paths.exports)
    collection, quads = load_checked_graph(paths, corpus, shacl, progress, include_candidates)
    report = Report(entities=len(collection.entities), claims=len(collection.claims))
    with fileio.staging(store_path) as staging:
        progress(f"writing {len(quads)} quads to a new store")
        report.quads = store.write(staging / "store", quads)
        from rightsgraph.store import labels as search

        search.write(store.open(staging / "store"), staging / "store")
        written = {}
        if exports:
            progress("writing the exports")
            written = exports_mod.write_all(store.open(staging / "store"), staging / "exports", paths)
        # everything is ready: swap in the new store and exports, then the anchors
        fileio.swap(staging / "store", store_path)
        report.exports.update(fileio.move_into(written, exports_dir))
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
              progress: Callable[[str], None] = lambda _: None, paths: Paths | None = None) -> Report:
    """Build the store from an N-Quads or TriG dump of the rightsgraph data model, atomically.

    For graphs too large to author in YAML (a documentation database's export, the exports of
    another build): the dump is bulk-loaded into a new store, every claim graph's provenance is
    checked by counting (:func:`rightsgraph.validate.invariants.check_claim_provenance`), the label index is written,
    and only then is the new store swapped in. Exports are written when ``exports_dir`` is given (``paths``
    is then the project whose JSON-LD context they use).
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
    with fileio.staging(store_path) as staging:
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
            if fmt == "N_QUADS":  # names found in the file: the store's strings are still cold on disk
                index = pool.submit(search.write_from_nquads, dump, staging / "store")
            else:
                index = pool.submit(search.write, new, staging / "store")
            claims, problems = invariants.check_claim_provenance(new, pool)
            if problems:
                raise DataError([Problem(str(dump), _line_of(dump, p[1:p.index('>')]) if p.startswith("<") else 0, p)
                                 for p in problems])
            report.quads = size.result()
            report.entities = len(search.LabelIndex.load(index.result()).labels)
        report.claims = claims
        new.flush()
        del new
        written = {}
        if exports_dir is not None:
            progress("writing the exports")
            written = exports_mod.write_all(store.open(staging / "store"), staging / "exports", paths)
        fileio.swap(staging / "store", store_path)
        if exports_dir is not None:
            report.exports.update(fileio.move_into(written, exports_dir))
    report.store = store_path
    report.seconds = time.perf_counter() - started
    return report
