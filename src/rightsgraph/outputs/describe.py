"""Finding entities by any of their names, and everything the graph holds about one.

:func:`about` gathers it once: the facts each claim states about the entity (``rq/about-facts.rq``),
the provenance of exactly those claims (``rq/about-provenance.rq``: certainty, attribution, source, quote
and offsets), the names of the other ends from the store's label index, and, for the RDF, the named
query ``entity-quads`` (the same claim graphs and their provenance, as quads). Three renderers read that one dict: :func:`text`
for ``rightsgraph describe``, :func:`rdf` for the entity's IRI on the server (in every export format)
and :func:`rightsgraph.web.pages.entity` for the entity page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox
from rdflib import RDF, RDFS, SDO, SKOS, Literal, URIRef

from rightsgraph.claims.names import normalize_name
from rightsgraph.errors import UsageError
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import ID, RGV, curie
from rightsgraph.outputs import exports
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries
from rightsgraph.store import embedded as store
from rightsgraph.store import labels as search


@dataclass
class Match:
    """An entity found by name: its IRI, its label, and the name that matched."""

    iri: URIRef
    label: str
    matched: str


def find(target, name: str, paths: Paths) -> list[Match]:
    """Find entities whose IRI, id, label or alias matches ``name`` (case-, hyphen- and spacing-insensitive).

    Exact name matches win; if there are none, names that contain ``name`` are returned. The label
    index of an on-disk store answers; other targets are asked with the named query ``entity-names``.

    >>> from rightsgraph import release
    >>> p = proj  # this checkout's project (see conftest.py)
    >>> [m.label for m in find(release.open(p), "yodok", p)][:1]
    ['Yodok political prison camp']
    """
    text = name.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    indexed = _from_index(target, text)
    if indexed is not None:
        return indexed
    res = queries.run(target, _named(paths, "entity-names"))
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


def _named(paths: Paths, name: str) -> queries.NamedQuery:
    """The project's named query ``name``: its file alone is read (describe is asked for one entity at a time)."""
    path = paths.queries / f"{name}.rq"
    if not path.is_file():
        raise UsageError(f"the project's queries/ has no {name}.rq")
    return queries.parse(path.read_text(encoding="utf-8"), name, path)


def _from_index(target, text: str) -> list[Match] | None:
    """Look ``text`` up in the label index of an on-disk store, or return None when there is no usable index."""
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


def one(target, name: str, paths: Paths) -> Match:
    """Find exactly one entity by name, or raise UsageError listing the candidates."""
    found = find(target, name, paths)
    if not found:
        close = suggestions(target, name, paths)
        hint = f": did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(f"no entity is called {name!r}{hint}")
    if len(found) > 1 and len({m.iri for m in found}) > 1:
        unique = list({m.iri: m for m in found}.values())
        shown = unique[:12]
        listing = "\n".join(f"  {m.label}  ({_id(m.iri)})" for m in shown)
        more = f"\n  ... and {len(unique) - len(shown)} more" if len(unique) > len(shown) else ""
        raise UsageError(f"{name!r} names {len(unique)} entities; give a fuller name or an id:\n{listing}{more}")
    return found[0]


def _id(iri) -> str:
    """An entity's id (``facility/kwanliso-15``), or its IRI."""
    return str(iri)[len(str(ID)):] if str(iri).startswith(str(ID)) else str(iri)


def suggestions(target, name: str, paths: Paths, n: int = 3) -> list[str]:
    """Names and ids close to ``name`` (a misspelling, "Yodock" for "Yodok"), best first."""
    import difflib

    every: dict[str, str] = {}  # folded name -> the name as written
    folder = store.folder(target) if isinstance(target, ox.Store) else None
    index = search.for_store(folder) if folder is not None else None
    if index is not None:
        pairs = index.pairs()
    else:
        pairs = [(str(e), str(nm)) for e, nm, _ in queries.run(target, _named(paths, "entity-names")).rows]
    for iri, nm in pairs:
        every.setdefault(normalize_name(nm), nm)
        every.setdefault(normalize_name(_id(iri)), _id(iri))
    want = normalize_name(name)
    close = difflib.get_close_matches(want, list(every), n=n, cutoff=0.75)
    if not close:  # one word of a longer name ("Yodock" in "Yodok camp")
        words = {}
        for key, nm in every.items():
            for w in key.split():
                words.setdefault(w, nm)
        close = [words[w] for w in difflib.get_close_matches(want, list(words), n=n, cutoff=0.8)]
        return list(dict.fromkeys(close))
    return [every[c] for c in close]


# -- everything about one entity ----------------------------------------------------------------

#: The parts of a figure, as entity-claims gives them.
FIGURE_PARTS = ("value", "low", "high", "qualifier", "unit", "period", "statedAs", "asOf")


@dataclass
class Fact:
    """What one claim says about the entity with one predicate and one other end.

    ``direction`` is ``out`` (the entity is the subject), ``in`` (it is the object), or ``in:victims``,
    ``in:perpetrators``, ``in:violationType`` (it is named in a violation report). A figure keeps its
    parts (value, low, high, qualifier, unit, period, statedAs, asOf); a violation report its types,
    victims and perpetrators (IRI -> label).
    """

    direction: str
    predicate: str
    other: object = None
    other_label: object = None
    parts: dict = field(default_factory=dict)
    violation_type: set = field(default_factory=set)
    victims: dict = field(default_factory=dict)
    perpetrators: dict = field(default_factory=dict)


@dataclass
class Claim:
    """One claim graph that mentions the entity: its provenance and the facts it states about it."""

    iri: str
    certainty: str
    attributed_to: str
    attributed_label: str
    attribution: str
    source: str
    source_iri: str
    quote: str
    start: str
    end: str
    facts: dict = field(default_factory=dict)


def _str(value) -> str:
    return "" if value is None else str(value)


def _fold(rows: list[dict]) -> dict[str, Claim]:
    """One Claim per claim graph, with one Fact per direction, predicate and other end."""
    claims: dict[str, Claim] = {}
    for r in rows:
        key = str(r["claim"])
        c = claims.get(key)
        if c is None:
            c = claims[key] = Claim(key, _str(r["certainty"]), _str(r["attributedTo"]), _str(r["attributedLabel"]),
                                    _str(r["attribution"]), _str(r["source"]), _str(r["sourceIri"]),
                                    _str(r["quote"]), _str(r["start"]), _str(r["end"]))
        fkey = (str(r["direction"]), str(r["predicate"]), _str(r["other"]))
        f = c.facts.get(fkey)
        if f is None:
            f = c.facts[fkey] = Fact(str(r["direction"]), str(r["predicate"]), r["other"], r["otherLabel"])
        for part in FIGURE_PARTS:
            if r.get(part) is not None:
                f.parts[part] = r[part]
        if r.get("violationType") is not None:
            f.violation_type.add(str(r["violationType"]))
        if r.get("victim") is not None:
            f.victims[str(r["victim"])] = _str(r.get("victimLabel"))
        if r.get("perpetrator") is not None:
            f.perpetrators[str(r["perpetrator"])] = _str(r.get("perpetratorLabel"))
    return claims


def _own(name: str) -> queries.NamedQuery:
    """One of this module's own queries (``outputs/rq/<name>.rq``): how :func:`about` asks, not a project's named query."""
    if name not in _OWN:
        text = resources.files(__package__).joinpath("rq", f"{name}.rq").read_text(encoding="utf-8")
        _OWN[name] = queries.parse(text, name)
    return _OWN[name]


_OWN: dict[str, queries.NamedQuery] = {}


def _for_each(target, name: str, var: str, terms: list) -> list[dict]:
    """The rows of the own query ``name`` asked for exactly ``terms`` (bound to ``?var`` by a VALUES clause)."""
    if not terms:
        return []
    query = _own(name)
    res = queries.run(target, queries.parse(queries.with_rows(query.text, var, terms), name))
    return [dict(zip(res.vars, row)) for row in res.rows]


def _labels(target, iris: set[str]) -> dict[str, Literal]:
    """The rdfs:label of each of ``iris`` that has one: from the label index of an on-disk store, else by a query."""
    folder = store.folder(target) if isinstance(target, ox.Store) else None
    index = search.for_store(folder) if folder is not None else None
    if index is not None:  # written by the build from every name in the store: one not in it has none
        return {i: Literal(index.labels[i]) for i in iris if i in index.labels}
    found: dict[str, Literal] = {}
    for r in _for_each(target, "about-labels", "thing", [URIRef(i) for i in sorted(iris)]):
        found.setdefault(str(r["thing"]), r["label"])
    return found


def _start(row: dict) -> float:
    try:
        return float(str(row["start"]))
    except (TypeError, ValueError):
        return float("inf")


def _gather(target, iri: str) -> list[dict]:
    """One row per claim and fact about ``iri``, each with its claim's provenance and the names of its ends.

    Three steps, none of which scans the store: the facts (``about-facts.rq``, from the entity), the provenance
    of exactly those claims (``about-provenance.rq``), the labels of the other ends (the label index). A claim
    with no source, certainty or quote with offsets is left out. Rows come in the order (direction, predicate,
    source, start, claim).
    """
    facts = queries.run(target, _own("about-facts"), {"entity": f"<{iri}>"})
    fact_rows = [dict(zip(facts.vars, row)) for row in facts.rows]
    claims = list(dict.fromkeys(r["claim"] for r in fact_rows))
    provenance: dict[str, dict] = {}
    for r in sorted(_for_each(target, "about-provenance", "claim", claims), key=_start):
        provenance.setdefault(str(r["claim"]), r)  # the first quote in the text, if a claim has several
    things = {str(t) for r in fact_rows for t in (r["other"], r.get("victim"), r.get("perpetrator")) if isinstance(t, URIRef)}
    things |= {str(p["attributedTo"]) for p in provenance.values() if isinstance(p.get("attributedTo"), URIRef)}
    labels = _labels(target, things)
    rows = []
    for r in fact_rows:
        p = provenance.get(str(r["claim"]))
        if p is None:
            continue
        certainty = str(p["certainty"])
        rows.append({**r, "certainty": certainty.rsplit("#", 1)[1] if "#" in certainty else "",
                     "attributedTo": p.get("attributedTo"), "attributedLabel": labels.get(_str(p.get("attributedTo"))),
                     "attribution": p.get("attribution"), "source": p["source"], "sourceIri": p["sourceIri"],
                     "quote": p["quote"], "start": p["start"], "end": p["end"],
                     "asOf": r.get("figureAsOf") if r.get("figureAsOf") is not None else p.get("when"),
                     "otherLabel": labels.get(str(r["other"])) if isinstance(r["other"], URIRef) else None,
                     "victimLabel": labels.get(_str(r.get("victim"))),
                     "perpetratorLabel": labels.get(_str(r.get("perpetrator")))})
    rows.sort(key=lambda r: (str(r["direction"]), str(r["predicate"]), str(r["source"]), _start(r), str(r["claim"])))
    return rows


def about(target, iri, paths: Paths, *, quads: bool = True) -> dict:
    """Everything the graph holds about ``iri``: its names, classes, every claim that mentions it, and its quads.

    The keys: ``iri``; ``label`` (its rdfs:label, or a violation type's label from the ontology; None
    if it has neither); ``concept`` (whether it is a violation type of the ontology); ``aliases``,
    ``types`` and ``descriptions`` as the claims state them; ``claims`` (claim IRI -> :class:`Claim`,
    each with its :class:`Fact` s); ``quads`` (the claim graphs that mention it, or the claim graph it
    names, with their provenance, and its record if it is a source: rdflib ``(s, p, o, graph)``; left
    empty with ``quads=False``, for a reader that shows the facts only, as ``describe`` does). Raises
    UsageError if ``iri`` is not an IRI.

    >>> from rightsgraph import release
    >>> p = proj  # this checkout's project (see conftest.py)
    >>> data = about(release.open(p), "https://w3id.org/rightsgraph/id/facility/kwanliso-15", p)
    >>> data["label"], "Camp 15" in data["aliases"], len(data["claims"]) > 10
    ('Yodok political prison camp', True, True)
    """
    iri = str(iri)
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    rows = _gather(target, iri)
    found = queries.run(target, _named(paths, "entity-quads"), {"entity": f"<{iri}>"}).rows if quads else []
    out = [r for r in rows if str(r["direction"]) == "out"]
    concept = URIRef(iri) in onto.violation_types
    labels = [str(r["other"]) for r in out if str(r["predicate"]) == str(RDFS.label)]
    label = labels[0] if labels else onto.label(URIRef(iri)) if concept else None
    return {
        "iri": iri,
        "label": label,
        "concept": concept,
        "aliases": sorted({str(r["other"]) for r in out if str(r["predicate"]) == str(SKOS.altLabel)} - {label},
                          key=str.lower),
        "types": sorted({str(r["other"]) for r in out if str(r["predicate"]) == str(RDF.type)}),
        "descriptions": sorted({str(r["other"]) for r in out if str(r["predicate"]) == str(SDO.description)}),
        "claims": _fold(rows),
        "quads": [tuple(q) for q in found],
    }


def describe(target, name: str, paths: Paths, *, quads: bool = False) -> tuple[Match, dict]:
    """Find the entity called ``name`` and return it with :func:`about` it (its quads only if asked)."""
    match = one(target, name, paths)
    return match, about(target, match.iri, paths, quads=quads)


# -- the text renderer ------------------------------------------------------------------------------

#: The columns of :func:`rows`.
ROW_VARS = ["direction", "predicate", "value", "detail", "certainty", "source", "quote", "claim"]
#: The parts of a figure or a violation report that the text shows as ``name=value``.
_DETAILS = ("value", "low", "high", "qualifier")


def _local(predicate: str) -> str:
    """A predicate as the text shows it: the name after ``#``, else the whole IRI."""
    return predicate.rsplit("#", 1)[1] if "#" in predicate and predicate.rsplit("#", 1)[1] else predicate


def rows(data: dict) -> queries.Result:
    """The facts of :func:`about` as a table, one row per claim, fact and detail (for CSV, TSV and JSON).

    ``value`` is the other end's label (or the literal); ``detail`` one part of a figure or a violation
    report (``value=46500``, ``violationType=...``, ``victims=...``).
    """
    out: list[tuple] = []
    for c in data["claims"].values():
        for f in c.facts.values():
            direction = f.direction
            other = "" if f.other is None else str(f.other)
            local = isinstance(f.other, URIRef) and other.startswith(c.iri + "#")
            value = _str(f.other_label) or ("" if local else other)
            details = [f"{k}={f.parts[k]}" for k in _DETAILS if f.parts.get(k) is not None]
            details += [f"violationType={t}" for t in sorted(f.violation_type)]
            details += [f"victims={label or v}" for v, label in sorted(f.victims.items())]
            if direction != "out":  # the entity is the object: the subject's name says it
                details, value = [], _str(f.other_label) or other
            for detail in sorted(set(details)) or [""]:
                out.append((direction, _local(f.predicate), value, detail, c.certainty, c.source, c.quote, c.iri))
    out.sort(key=lambda r: (r[0], r[1], r[5], r[2], r[3], r[7]))
    return queries.Result(list(ROW_VARS), out)


def result(data: dict) -> queries.Result:
    """:func:`rows` as RDF terms (the claim an IRI, the rest literals), for the CSV, TSV and JSON results writers."""
    table = rows(data)
    return queries.Result(table.vars, [tuple(Literal(c) for c in r[:-1]) + (URIRef(r[-1]),) for r in table.rows])


@dataclass
class Statement:
    """One claim about an entity, summarised for reading: what it says, how sure, where from."""

    claim: str
    predicate: str
    value: str
    certainty: str
    source: str
    quote: str


def statements(data: dict) -> list[Statement]:
    """Fold :func:`rows` into one statement per claim and predicate.

    Figure and violation details are joined ("low=80000; high=120000"); class memberships are
    joined into one line. A fact in which the entity is the object reads ``← predicate``; one in
    which it is named in a violation report ``← predicate (victims)``.
    """
    grouped: dict[tuple[str, str, str], dict] = {}
    for direction, pred, value, detail, certainty, source, quote, claim in rows(data).rows:
        if direction == "in":
            pred = f"← {pred}"
        elif direction.startswith("in:"):
            pred = f"← {pred} ({direction[3:]})"
        key = (claim, pred, direction)
        entry = grouped.setdefault(key, {"values": [], "certainty": certainty, "source": source, "quote": quote})
        value = detail or value
        if pred == "type":  # the project's own classes, by name; other vocabularies' equivalents are in the RDF
            value = curie(value) if value else ""
            value = value[3:] if value.startswith("rg:") else ""
        value = value.replace(str(RGV), "")
        if value and value not in entry["values"]:
            entry["values"].append(value)
    out = [Statement(claim, pred, "; ".join(e["values"]), e["certainty"], e["source"], e["quote"])
           for (claim, pred, _), e in grouped.items()]
    order = {"type": 0, "label": 1, "altLabel": 2}
    out.sort(key=lambda s: (order.get(s.predicate, 3), s.predicate, s.source, s.value))
    return out


def text(match: Match, data: dict) -> str:
    """``rightsgraph describe``: the entity, then each statement with its certainty, source and quote."""
    lines = [f"{match.label}  <{match.iri}>"]
    if match.matched != match.label:
        lines.append(f"  (found by the name {match.matched!r})")
    shown: dict[tuple[str, str], int] = {}  # (predicate, value) -> where its statement's lines end
    for st in statements(data):
        hedge = "" if st.certainty.lower() == "reported" else f"  [{st.certainty.lower()}]"
        values = [v for v in st.value.split("; ")] if st.predicate == "altLabel" else [st.value]
        new = [v for v in values if (st.predicate, v) not in shown]
        evidence = [f"    source: {st.source}", f"    quote:  \"{st.quote}\""]
        if not new:  # a name already listed: its further evidence goes under it, the name once
            at = shown[(st.predicate, values[0])]
            lines[at:at] = evidence
            for key, end in shown.items():
                if end >= at:
                    shown[key] = end + len(evidence)
            continue
        lines += ["", f"  {st.predicate}: {'; '.join(new)}{hedge}", *evidence]
        for v in new:
            shown[(st.predicate, v)] = len(lines)
    return "\n".join(lines)


# -- the RDF renderer -------------------------------------------------------------------------------

def rdf(data: dict, fmt: str, paths: Paths) -> bytes:
    """The quads of :func:`about` written in the export format ``fmt`` (see :data:`exports.FORMATS`).

    ``ntriples`` is also accepted: the triples alone, whatever graph holds them.
    """
    quads = [ox.Quad(*(store.to_ox(t) for t in q)) for q in data["quads"]]
    if fmt == "ntriples":
        return ox.serialize({q.triple for q in quads}, format=ox.RdfFormat.N_TRIPLES)
    return exports.serialize(quads, fmt, paths)
