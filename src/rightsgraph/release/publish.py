"""Releases: one store per audience, made at build time from the internal store through the policy.

A release folder holds ``store/`` (with its label index), ``exports/`` and ``manifest.json`` (when,
which audience, how much was withheld, the sha256 of every export). The build plans each release on the
lines of its N-Quads text that carry access levels and names (:func:`plan`), cuts the text in two
(:func:`cut`), loads the release from what its audience sees and the internal store as a copy of that
release plus the rest: the quads are loaded once, not twice. :func:`finish` then decides again on the
whole internal store, mends a release whose plan fell short, and checks each release (the scan for
withheld names, the leak query) before writing its exports and manifest. A copied-then-pruned store is
never made: it would keep the withheld strings in its files (RocksDB tables, Oxigraph's string table),
where anyone handed the folder could read them.
Outward code reads a release with :func:`open`, never the internal store by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mmap
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from rightsgraph import fileio
from rightsgraph.errors import DataError, Problem, RightsgraphError
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.outputs import exports as exports_mod
from rightsgraph.paths import Paths
from rightsgraph.release import policy
from rightsgraph.sparql import queries
from rightsgraph.store import embedded
from rightsgraph.store import labels

#: The named query that must find nothing in a release (``queries/restricted-leak-violation.rq``).
LEAK_QUERY = "restricted-leak-violation"
MANIFEST = "manifest.json"
#: The audience published when none is named.
DEFAULT = "public"


@dataclass
class Release:
    """What writing one release did."""

    audience: str
    folder: Path
    quads: int = 0
    withheld: dict[str, int] = field(default_factory=dict)
    exports: dict[str, Path] = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)

    @property
    def store(self) -> Path:
        return self.folder / "store"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def seen(aud: ontology_mod.Audience) -> str:
    """The leak query's ``seen`` parameter for ``aud``: the access levels it sees, each as ``<IRI>``."""
    return " ".join(f"<{level}>" for level in sorted(aud.sees))


def leaks(store: ox.Store, queries_dir: Path, aud: ontology_mod.Audience | None = None) -> list[tuple[str, str]]:
    """The rows of the leak query on ``store``, a release of ``aud``: (thing, problem); none on a correct
    release. Without an audience only the structural checks apply (as on the internal store)."""
    params = {"seen": seen(aud)} if aud is not None else None
    result = queries.run(store, queries.resolve(LEAK_QUERY, queries_dir), params)
    return [tuple("" if t is None else str(t) for t in row) for row in result.rows]


def mentions(store: ox.Store, withheld: policy.Withheld) -> list[policy.Mention]:
    """Every literal of ``store`` (a release) naming an entity withheld from it."""
    return list(policy.scan(store.quads_for_pattern(None, None, None, None), withheld))


def plan(data, onto: ontology_mod.Ontology, audiences: Iterable[str]) -> dict[str, policy.Withheld]:
    """What each of ``audiences`` may not see, decided on the few lines of the N-Quads text ``data`` that carry
    access levels not seen, publishers, names and source records
    (:func:`rightsgraph.release.policy.inputs`), before any store is loaded; the claims of each source found
    withheld are added and the decision made again, until no new source is withheld. :func:`finish` decides
    again on the whole internal store and mends a release cut on a plan that turns out short. Raises
    SyntaxError when those lines are not N-Quads (the caller then loads the text whole, which names the line)."""
    names = list(dict.fromkeys(audiences))
    levels = {str(level) for level in onto.access_levels.values()}
    unseen = sorted(levels - set.intersection(*({str(x) for x in policy.audience(onto, n).sees} for n in names)))
    lines, done = policy.inputs(data, unseen), set()
    while True:
        small = ox.Store()
        small.bulk_load(input=lines, format=ox.RdfFormat.N_QUADS)
        decided = {name: policy.decide(small, onto, name) for name in names}
        hidden = set().union(*(w.sources for w in decided.values())) - done
        if not hidden:
            return decided
        lines += policy.derived_from(data, hidden)
        done |= hidden


def cut(data, withheld: policy.Withheld, folder: Path) -> tuple[Path, Path] | None:
    """Split the N-Quads text ``data`` into what ``withheld``'s audience sees and the rest, as two files in
    ``folder``: (kept, rest), or None when the text is not as Oxigraph writes it (see
    :func:`rightsgraph.release.policy.split`)."""
    folder.mkdir(parents=True, exist_ok=True)
    kept, rest = folder / f"{withheld.audience.name}.nq", folder / f"{withheld.audience.name}-withheld.nq"
    with kept.open("wb") as k, rest.open("wb") as r:
        done = policy.split(data, withheld, k, r)
    if not done:
        kept.unlink()
        rest.unlink()
        return None
    return kept, rest


def mapped(path: Path):
    """The bytes of ``path``, mapped (empty bytes for an empty file)."""
    with Path(path).open("rb") as fh:
        if not os.fstat(fh.fileno()).st_size:
            return b""
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def finish(internal: Path, staging: Path, onto: ontology_mod.Ontology, audiences: Iterable[str],
           planned: dict[str, policy.Withheld], texts: dict[str, Path], canonical: Path | None, queries_dir: Path,
           origin: Callable[[str], tuple[str, int]], exports: bool = True,
           progress: Callable[[str], None] = lambda _: None, paths: Paths | None = None,
           early: dict | None = None) -> dict[str, Release]:
    """Write one release per audience of ``audiences`` into ``staging / "releases"``, beside the complete
    internal store at ``internal``. ``planned`` holds what :func:`plan` decided (for some audiences, or none).

    What each audience may not see is decided again on the whole internal store; a claim that points at a
    withheld entity while its own level is visible stops the build (the curator decides). ``texts`` holds,
    for an audience whose release store is already loaded (``staging/releases/<name>/store``), the N-Quads
    file it was loaded from; a release cut on a plan the full decision does not confirm is made again.
    Other releases are cut from ``canonical`` (N-Quads as Oxigraph writes them) when it is given, else
    streamed from the internal store quad by quad. Then every release is scanned for withheld names, gets
    its label index, the leak query, its exports and its manifest; ``early`` holds the leak queries already
    started (:func:`start_leak_check`). Raises DataError on any problem."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # the leak query runs while Python decides and scans
        early = dict(early or {})
        early.update({name: start_leak_check(pool, staging / "releases" / name / "store", queries_dir, planned[name])
                      for name in texts if name in planned and name not in early})
        return _finish(internal, staging, onto, audiences, planned, texts, canonical, queries_dir, origin, exports,
                       progress, paths, pool, early)


def start_leak_check(pool: ThreadPoolExecutor, store: Path, queries_dir: Path, withheld: policy.Withheld,
                     scanned: Future | None = None) -> tuple:
    """Start the leak query on the release store at ``store`` in ``pool`` (Oxigraph lets go of the GIL while it
    evaluates, so the build goes on meanwhile): (the store, the future of its rows, ``scanned``: the future of
    :func:`start_text_checks` on the text it was loaded from, if started), for :func:`finish`."""
    release = embedded.open(store)
    return release, pool.submit(leaks, release, queries_dir, withheld.audience), scanned


def start_text_checks(pool: ThreadPoolExecutor, text: Path, withheld: policy.Withheld, folder: Path) -> Future:
    """Start in ``pool`` what a release needs from its N-Quads ``text`` alone: the scan for withheld names
    (:func:`rightsgraph.release.policy.scan_nquads`) and the label index, written into ``folder``. The
    future gives (what the scan found, the index file). Started before the text is loaded: the bulk load
    lets go of the GIL and keeps one core busy, so these run on the other one."""
    folder.mkdir(parents=True, exist_ok=True)

    def work():
        return list(policy.scan_nquads(mapped(text), withheld)), labels.write_from_nquads(text, folder)

    return pool.submit(work)


def wait(started: tuple) -> None:
    """Wait for the work :func:`start_leak_check` started (and the text checks beside it) to end, whatever its
    outcome: before the files it reads are removed."""
    for future in started[1:]:
        if future is not None:
            future.exception()


def _finish(internal, staging, onto, audiences, planned, texts, canonical, queries_dir, origin, exports, progress,
            paths, pool, early) -> dict[str, Release]:
    """:func:`finish`, with ``pool`` running the leak queries and ``early`` those already started."""
    source = embedded.open(internal)
    decided, problems = {}, []
    for name in dict.fromkeys(audiences):
        withheld = policy.decide(source, onto, name)
        first = planned.get(name)
        for claim, entity in sorted(withheld.referring.items()):
            file, line = origin(claim)
            problems.append(Problem(file, line, f"claim <{claim}> is {name}, but it points at <{entity}>, which "
                                                f"the {name} release withholds: restrict the claim, or point it at "
                                                "a public pseudonym entity (\"Witness A\")"))
        decided[name] = withheld
        if name in texts and (first is None or not policy.same(withheld, first)):
            progress(f"release {name}: the whole store withholds more than its access lines said; cutting again")
            if name in early:
                wait(early.pop(name))
            shutil.rmtree(staging / "releases" / name)
            del texts[name]
    if problems:
        raise DataError(problems)
    out: dict[str, Release] = {}
    for name, withheld in decided.items():
        folder = staging / "releases" / name
        text = texts.get(name)
        if text is None and canonical is not None:
            pieces = cut(mapped(canonical), withheld, staging / "cut")
            if pieces is not None:
                text = pieces[0]
                progress(f"release {name}: loading what it holds")
                load(folder / "store", text)
        if text is None:
            folder.mkdir(parents=True)
            if withheld.nothing:
                progress(f"release {name}: the audience sees everything; copying the store")
                source.backup(str(folder / "store"))
            else:
                progress(f"release {name}: streaming the store through the policy")
                new = ox.Store(str(folder / "store"))
                new.bulk_extend(q for q in source.quads_for_pattern(None, None, None, None) if withheld.keeps(q))
                new.flush()
                del new
        release, rows, scanned = early.pop(name, None) or start_leak_check(pool, folder / "store", queries_dir,
                                                                            withheld)
        out[name] = _complete(folder, release, rows, text, withheld, origin, exports, progress, paths, scanned)
    return out


def load(store: Path, text: Path) -> None:
    """A new store at ``store`` holding the N-Quads file ``text`` (bulk-loaded)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    new = ox.Store(str(store))
    new.bulk_load(path=str(text), format=ox.RdfFormat.N_QUADS)
    new.flush()


def _complete(folder: Path, release: ox.Store, leak_rows: Future, text: Path | None, withheld: policy.Withheld,
              origin: Callable[[str], tuple[str, int]], exports: bool, progress: Callable[[str], None],
              paths: Paths | None, scanned: Future | None = None) -> Release:
    """Check and finish the release whose store ``release`` is in ``folder / "store"`` (loaded from the
    N-Quads file ``text`` when given), while its leak query runs (``leak_rows``): the scan for withheld names
    over every literal, the label index, the exports and the manifest. This and the loading are the steps
    ``make bench`` times. ``scanned``: the scan and label index of ``text``, already started
    (:func:`start_text_checks`)."""
    name = withheld.audience.name
    out = Release(name, folder, withheld=withheld.counts())
    if scanned is not None:
        found, index = scanned.result()
        os.replace(index, out.store / labels.INDEX_FILE)
    elif text is not None:
        found = list(policy.scan_nquads(mapped(text), withheld))
        labels.write_from_nquads(text, out.store)
    else:
        found = mentions(release, withheld)
        labels.write(release, out.store)
    if found:
        problems = []
        for m in found:
            file, line = origin(m.claim)
            problems.append(Problem(file, line, f"claim <{m.claim}> is {name}, but its text names {m.name!r}, a "
                                                f"withheld entity, in {m.text[:120]!r}: restrict the claim, or "
                                                "write the public pseudonym instead"))
        raise DataError(problems)
    out.quads = len(release)
    if exports:
        progress(f"release {name}: writing the exports")
        if paths is None:
            raise ValueError("writing a release's exports needs the project's paths (for its JSON-LD context)")
        out.exports = exports_mod.write_all(release, folder / "exports", paths)
    rows = leak_rows.result()
    if rows:
        raise DataError([Problem(thing or str(out.store), 0, f"{LEAK_QUERY}: {problem}") for thing, problem in rows])
    del release
    out.manifest = {
        "audience": name,
        "audience_iri": str(withheld.audience.iri),
        "sees": sorted(str(level) for level in withheld.audience.sees),
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "quads": out.quads,
        "withheld": out.withheld,
        "exports": {fmt: {"file": f"exports/{path.name}", "sha256": sha256(path)} for fmt, path in out.exports.items()},
    }
    fileio.atomic_write(folder / MANIFEST, json.dumps(out.manifest, indent=1, sort_keys=True) + "\n")
    return out


def open(paths: Paths, audience: str = DEFAULT) -> ox.Store:  # noqa: A001 - the verb is the API
    """The store of ``audience``'s release, read-only. The internal audience (the one that sees every
    level) reads the internal store, and says so on stderr."""
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    policy.audience(onto, audience)
    return embedded.open(store_path(paths, audience, onto))


def store_path(paths: Paths, audience: str = DEFAULT, onto: ontology_mod.Ontology | None = None) -> Path:
    """The folder of the store ``audience`` reads (see :func:`open`)."""
    onto = onto or ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    policy.audience(onto, audience)
    if onto.is_internal(audience):
        print(f"rightsgraph: audience {audience}: using the INTERNAL store {paths.store} "
              "(every access level, restricted included)", file=sys.stderr)
        return paths.store
    folder = paths.releases / audience / "store"
    if not (folder / "CURRENT").exists():
        raise RightsgraphError(f"no {audience} release at {folder}: run `rightsgraph build --release {audience}`")
    return folder


def exports_dir(paths: Paths, audience: str = DEFAULT) -> Path:
    """The exports folder of ``audience``'s release (the public one's files are also in ``paths.exports``)."""
    return paths.exports if audience == DEFAULT else paths.releases / audience / "exports"
