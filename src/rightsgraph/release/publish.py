"""Releases: one store per audience, made at build time from the internal store through the policy.

A release folder holds ``store/`` (with its label index), ``exports/`` and ``manifest.json`` (when,
which audience, how much was withheld, the sha256 of every export). It is made by streaming the
internal store's quads through :meth:`rightsgraph.release.policy.Withheld.keeps`, without checking
them again; when the audience sees everything, the store is copied whole (a RocksDB checkpoint).
Outward code reads a release with :func:`open`, never the internal store by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
from collections.abc import Callable
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


def write(internal: Path, folder: Path, onto: ontology_mod.Ontology, withheld: policy.Withheld,
          queries_dir: Path, exports: bool = True, progress: Callable[[str], None] = lambda _: None,
          paths: Paths | None = None) -> Release:
    """Write the release that ``withheld`` describes from the internal store at ``internal`` into the new
    folder ``folder``: its store and label index, its exports, its manifest. Raises DataError if the
    release names a withheld entity or the leak query finds anything (the folder is then left half
    made: callers write into a staging folder). This is the step ``make bench`` times."""
    name = withheld.audience.name
    if withheld.referring:
        raise DataError([Problem(claim, 0, f"points at the withheld entity <{entity}>") for claim, entity
                         in sorted(withheld.referring.items())])
    folder = Path(folder)
    folder.mkdir(parents=True)
    out = Release(name, folder, withheld=withheld.counts())
    source = embedded.open(internal)
    if withheld.nothing:
        progress(f"release {name}: the audience sees everything; copying the store")
        source.backup(str(out.store))
        shutil.copyfile(Path(internal) / labels.INDEX_FILE, out.store / labels.INDEX_FILE)
    else:
        progress(f"release {name}: streaming the store through the policy "
                 f"({len(withheld.claims)} claims, {len(withheld.entities)} entities, "
                 f"{len(withheld.sources)} sources withheld)")
        # streamed, not copied and then pruned: a pruned copy is a little cheaper (on 100k synthetic quads
        # 2.1 s CPU against 3.1) but keeps the withheld strings in its files (RocksDB tables, Oxigraph's
        # string table), where anyone handed the store folder can read them
        new = ox.Store(str(out.store))
        new.bulk_extend(q for q in source.quads_for_pattern(None, None, None, None) if withheld.keeps(q))
        new.flush()
        del new
        labels.write(embedded.open(out.store), out.store)
    del source
    release = ox.Store(str(out.store))
    found = mentions(release, withheld)
    if found:
        raise DataError([Problem(m.claim, 0, f"a literal of the {name} release names the withheld {m.name!r}: "
                                             f"{m.text[:120]!r}") for m in found])
    out.quads = len(release)
    if exports:
        progress(f"release {name}: writing the exports")
        if paths is None:
            raise ValueError("writing a release's exports needs the project's paths (for its JSON-LD context)")
        out.exports = exports_mod.write_all(release, folder / "exports", paths)
    rows = leaks(release, queries_dir, withheld.audience)
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


def check(store: ox.Store, onto: ontology_mod.Ontology, audience: str,
          origin: Callable[[str], tuple[str, int]]) -> tuple[policy.Withheld, list[Problem]]:
    """Decide what ``audience`` may not see in the internal ``store``, and find what the curator must
    settle first: a visible claim that points at a withheld entity, and a visible literal (a quote, a
    finding, a note) that names one. ``origin`` maps a claim IRI to its file and line."""
    withheld = policy.decide(store, onto, audience)
    problems = []
    for claim, entity in sorted(withheld.referring.items()):
        file, line = origin(claim)
        problems.append(Problem(file, line, f"claim <{claim}> is {audience}, but it points at <{entity}>, which the "
                                            f"{audience} release withholds: restrict the claim, or point it at a "
                                            "public pseudonym entity (\"Witness A\")"))
    visible = (q for q in store.quads_for_pattern(None, None, None, None) if withheld.keeps(q))
    for m in policy.scan(visible, withheld):
        file, line = origin(m.claim)
        problems.append(Problem(file, line, f"claim <{m.claim}> is {audience}, but its text names {m.name!r}, a "
                                            f"withheld entity, in {m.text[:120]!r}: restrict the claim, or write "
                                            "the public pseudonym instead"))
    return withheld, problems


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
