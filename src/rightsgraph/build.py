"""The build: claims -> checked quads -> SHACL -> a new store and exports, swapped in only when all is well."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from . import claims as claims_mod
from . import exports, model, ontology, store, validation
from .corpus import Corpus
from .errors import DataError
from .paths import Paths


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


def check(paths: Paths, corpus: Corpus | None = None, shacl: bool = True,
          progress: Callable[[str], None] = lambda _: None) -> tuple[claims_mod.Collection, list]:
    """Load and check the data; return the collection and its quads. Raises DataError on problems."""
    onto = ontology.load(paths.ontology / "rightsgraph.ttl")
    progress("reading graph/ and anchoring quotes" + (f" in {corpus.folder}" if corpus else ""))
    collection = claims_mod.load(paths, corpus, onto)
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
          progress: Callable[[str], None] = lambda _: None) -> Report:
    """Build the store and the exports; leave the previous ones untouched if anything fails."""
    started = time.perf_counter()
    store_path = Path(store_path or paths.store)
    exports_dir = Path(exports_dir or paths.exports)
    collection, quads = check(paths, corpus, shacl, progress)
    report = Report(entities=len(collection.entities), claims=len(collection.claims))
    staging = store_path.parent / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        progress(f"writing {len(quads)} quads to a new store")
        report.quads = store.write(staging / "store", quads)
        progress("writing the exports")
        written = exports.write_all(store.open(staging / "store"), staging / "exports")
        # everything is ready: swap in the new store and exports, then the anchors
        store_path.parent.mkdir(parents=True, exist_ok=True)
        store.swap(staging / "store", store_path)
        exports_dir.mkdir(parents=True, exist_ok=True)
        for fmt, path in written.items():
            final = exports_dir / path.name
            os.replace(path, final)
            report.exports[fmt] = final
        if corpus is not None:
            report.anchors_written = claims_mod.write_anchors(paths.graph / claims_mod.ANCHORS_FILE,
                                                              collection.anchors)  # type: ignore[attr-defined]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.store = store_path
    report.seconds = time.perf_counter() - started
    return report
