"""Finding entities by any of their names, and describing everything the sources say about one."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from rightsgraph.sparql import queries
from rightsgraph.claims.names import normalize_name
from rightsgraph.errors import UsageError
from rightsgraph.namespaces import ID, RGV, curie


@dataclass
class Match:
    """An entity found by name: its IRI, its label, and the name that matched."""

    iri: URIRef
    label: str
    matched: str


def find(target, name: str) -> list[Match]:
    """Find entities whose IRI, id, label or alias matches ``name`` (case-, hyphen- and spacing-insensitive).

    Exact name matches win; if there are none, names that contain ``name`` are returned.

    >>> from rightsgraph import store, paths
    >>> [m.label for m in find(store.open(paths.project().store), "yodok")][:1]
    ['Yodok political prison camp']
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    indexed = _from_index(target, text)
    if indexed is not None:
        return indexed
    res = queries.run(target, "entity-names")
    labels: dict[str, str] = {}
    names: list[tuple[str, str]] = []
    for entity, n, preferred in res.rows:
        if str(preferred).lower() == "true":
            labels[str(entity)] = str(n)
        names.append((str(entity), str(n)))
    if text in labels:
        return [Match(URIRef(text), labels[text], text)]
    if f"{ID}{text}" in labels:
        iri = f"{ID}{text}"
        return [Match(URIRef(iri), labels[iri], text)]
    want = normalize_name(text)
    exact = {e: n for e, n in names if normalize_name(n) == want}
    if not exact:
        exact = {e: n for e, n in names if want and want in normalize_name(n)}
    return [Match(URIRef(e), labels.get(e, n), n) for e, n in sorted(exact.items(), key=lambda kv: labels.get(kv[0], ""))]


def _from_index(target, text: str) -> list[Match] | None:
    """Look ``text`` up in the label index of an on-disk store, or return None when there is no usable index."""
    import pyoxigraph as ox

    from rightsgraph.store import labels as search
    from rightsgraph.store import embedded as store

    if not isinstance(target, ox.Store):
        return None
    folder = store.folder(target)
    index = search.for_store(folder) if folder is not None else None
    if index is None:
        return None
    if text in index.labels:
        return [Match(URIRef(text), index.labels[text], text)]
    if f"{ID}{text}" in index.labels:
        return [Match(URIRef(f"{ID}{text}"), index.labels[f"{ID}{text}"], text)]
    hits = index.search(text, limit=None)
    if hits and next(iter(target.quads_for_pattern(ox.NamedNode(hits[0].iri), None, None)), None) is None:
        return None  # the index is not this store's: ask the store itself
    return [Match(URIRef(h.iri), h.label, h.matched) for h in hits]


def one(target, name: str) -> Match:
    """Find exactly one entity by name, or raise UsageError listing the candidates."""
    found = find(target, name)
    if not found:
        raise UsageError(f"no entity is called {name!r}")
    if len(found) > 1 and len({m.iri for m in found}) > 1:
        listing = "; ".join(f"{m.label} <{m.iri}>" for m in found[:8])
        raise UsageError(f"{name!r} names {len(found)} entities: {listing}. Give the IRI or a fuller name.")
    return found[0]


def describe(target, name: str) -> tuple[Match, queries.Result]:
    """Return the entity called ``name`` and every claim about it (named query ``describe-entity``)."""
    match = one(target, name)
    return match, queries.run(target, "describe-entity", {"entity": f"<{match.iri}>"})


@dataclass
class Statement:
    """One claim about an entity, summarised for reading: what it says, how sure, where from."""

    claim: str
    predicate: str
    value: str
    certainty: str
    source: str
    quote: str


def statements(result: queries.Result) -> list[Statement]:
    """Fold the rows of ``describe-entity`` into one statement per claim and predicate.

    Figure and violation details are joined ("low=80000 high=120000"); class memberships are
    joined into one line.
    """
    grouped: dict[tuple[str, str, str], dict] = {}
    idx = {v: i for i, v in enumerate(result.vars)}
    for row in result.rows:
        get = lambda name: "" if row[idx[name]] is None else str(row[idx[name]])  # noqa: E731
        pred = get("predicate")
        if get("direction") == "in":
            pred = f"← {pred}"
        key = (get("claim"), pred, get("direction"))
        entry = grouped.setdefault(key, {"values": [], "certainty": get("certainty"), "source": get("source"),
                                         "quote": get("quote")})
        value = get("detail") or get("value")
        if pred == "type":
            value = curie(get("value")) if get("value") else ""
            value = value.replace("rg:", "")
        value = value.replace(str(RGV), "")
        if value and value not in entry["values"]:
            entry["values"].append(value)
    out = []
    for (claim, pred, _), e in grouped.items():
        out.append(Statement(claim, pred, "; ".join(e["values"]), e["certainty"], e["source"], e["quote"]))
    order = {"type": 0, "label": 1, "altLabel": 2}
    out.sort(key=lambda s: (order.get(s.predicate, 3), s.predicate, s.source, s.value))
    return out
