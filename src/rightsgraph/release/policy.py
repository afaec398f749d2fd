"""What an audience may see: the one module that decides it.

Audiences and the access levels each one sees are declared in the ontology (``rg:Audience``,
``rg:sees``); nothing here lists them. A claim graph is visible to an audience only if its own level
(``rg:accessLevel``), its source's level (``rg:recordAccessLevel``) and every entity it points at are
visible. An entity is withheld when the claim that records it (the graph holding its ``rdfs:label``)
is withheld, so its label and aliases go with it. A source is withheld when its level is not seen or
its publisher is withheld. Withholding cascades: a withheld source takes every claim derived from it,
and so the entities only it records.

The decision is made on a store (the internal one, built from YAML or from a dump) with index lookups
only, so that it costs little at 10^7 quads; :meth:`Withheld.keeps` then says, quad by quad, what a
release holds. :func:`scan` finds the text of a visible quad that names a withheld entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import PROV, RDFS, SKOS

from rightsgraph.claims.names import normalize_name
from rightsgraph.errors import UsageError
from rightsgraph.model.ontology import Audience, Ontology
from rightsgraph.namespaces import CLAIM, ID, PROVENANCE_GRAPH, RG

_PROV = ox.NamedNode(str(PROVENANCE_GRAPH))
_ACCESS = ox.NamedNode(str(RG.accessLevel))
_RECORD_ACCESS = ox.NamedNode(str(RG.recordAccessLevel))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_PUBLISHER = ox.NamedNode(str(RG.publisher))
_LABEL = ox.NamedNode(str(RDFS.label))
_ALT = ox.NamedNode(str(SKOS.altLabel))
_CLAIMS = str(CLAIM)
_IDS = str(ID)


def audience(onto: Ontology, name: str) -> Audience:
    """The audience called ``name`` in the ontology, or a usage error naming the ones there are."""
    try:
        return onto.audiences[name]
    except KeyError:
        raise UsageError(f"unknown audience {name!r}: the ontology declares {', '.join(sorted(onto.audiences))}") from None


@dataclass
class Withheld:
    """What one audience may not see in one store: claim graphs, entities and sources (IRIs as strings).

    ``referring`` holds the claims withheld only because they point at a withheld entity (their own
    level and their source's are visible): the curator must decide about each one, so a build stops.
    ``names`` maps each withheld entity's names, folded, to the name as written.
    """

    audience: Audience
    claims: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    referring: dict[str, str] = field(default_factory=dict)  # claim -> the withheld entity it points at
    names: dict[str, str] = field(default_factory=dict)

    @property
    def nothing(self) -> bool:
        """True when the audience sees the whole store."""
        return not (self.claims or self.entities or self.sources)

    def keeps(self, quad: ox.Quad) -> bool:
        """Whether a quad of the store belongs in this audience's release."""
        g = quad.graph_name
        if not isinstance(g, ox.NamedNode):
            return False  # the data model has no default-graph quads; nothing unplaced is published
        if g != _PROV:
            return g.value not in self.claims
        s, o = quad.subject.value, quad.object
        if s.split("#", 1)[0] in self.claims or s in self.sources or s in self.entities:
            return False
        return not (isinstance(o, ox.NamedNode) and (o.value in self.entities or o.value in self.sources))

    def counts(self) -> dict[str, int]:
        return {"claims": len(self.claims), "entities": len(self.entities), "sources": len(self.sources)}


def decide(store: ox.Store, onto: Ontology, name: str) -> Withheld:
    """Decide what the audience ``name`` may not see in ``store`` (the internal store)."""
    aud = audience(onto, name)
    out = Withheld(aud)
    seen = {ox.NamedNode(str(level)) for level in aud.sees}
    claim_source: dict[str, str] = {q.subject.value: q.object.value
                                    for q in store.quads_for_pattern(None, _DERIVED, None, _PROV)}
    by_source: dict[str, list[str]] = {}
    for claim, src in claim_source.items():
        by_source.setdefault(src, []).append(claim)
    own = {q.subject.value for q in store.quads_for_pattern(None, _ACCESS, None, _PROV) if q.object not in seen}
    sources = [q.subject.value for q in store.quads_for_pattern(None, _RECORD_ACCESS, None, _PROV)
               if q.object not in seen]
    claims: list[str] = list(own)
    entities: list[str] = []

    def hide_source(src: str) -> None:
        if src not in out.sources:
            out.sources.add(src)
            claims.extend(by_source.get(src, ()))

    for src in sources:
        hide_source(src)
    # a worklist: a withheld claim may withhold the entity it records, which withholds every claim and
    # source that points at it, which may withhold more entities
    while claims or entities:
        while claims:
            claim = claims.pop()
            if claim in out.claims:
                continue
            out.claims.add(claim)
            graph = ox.NamedNode(claim)
            for q in store.quads_for_pattern(None, _LABEL, None, graph):
                e = q.subject.value
                if e.startswith(_IDS) and e not in out.entities:
                    entities.append(e)
        while entities:
            e = entities.pop()
            if e in out.entities:
                continue
            out.entities.add(e)
            node = ox.NamedNode(e)
            for q in store.quads_for_pattern(node, None, None, None):
                if q.predicate in (_LABEL, _ALT) and isinstance(q.object, ox.Literal):
                    out.names.setdefault(normalize_name(q.object.value), q.object.value)
            for q in [*store.quads_for_pattern(node, None, None, None), *store.quads_for_pattern(None, None, node, None)]:
                g = q.graph_name
                if not isinstance(g, ox.NamedNode):
                    continue
                holder = g.value if g != _PROV else q.subject.value.split("#", 1)[0]
                if holder.startswith(_CLAIMS):
                    if holder not in out.claims:
                        claims.append(holder)
                        if holder not in own and claim_source.get(holder) not in out.sources:
                            out.referring.setdefault(holder, e)
                elif holder in by_source or q.predicate == _PUBLISHER:
                    hide_source(holder)
    out.names.pop("", None)
    # a claim first reached through an entity may turn out to be withheld for its own reasons
    out.referring = {c: e for c, e in out.referring.items()
                     if c not in own and claim_source.get(c) not in out.sources}
    return out


def _pattern(names: Iterable[str]) -> re.Pattern | None:
    """One expression finding any of the folded ``names`` as whole words in folded text."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


@dataclass(frozen=True)
class Mention:
    """A literal that names a withheld entity: where it is (graph, subject), the name, and the text."""

    graph: str
    subject: str
    name: str
    text: str

    @property
    def claim(self) -> str:
        """The claim graph the literal belongs to (its own graph, or the claim its provenance describes)."""
        return self.graph if self.graph != str(PROVENANCE_GRAPH) else self.subject.split("#", 1)[0]


def scan(quads: Iterable[ox.Quad], withheld: Withheld) -> Iterator[Mention]:
    """Every literal of ``quads`` that contains a withheld entity's label or alias (folded, on word
    boundaries). Nothing to look for when nothing is withheld: then this returns at once."""
    found = _pattern(withheld.names)
    if found is None:
        return
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal):
            m = found.search(normalize_name(o.value))
            if m:
                g = q.graph_name
                yield Mention(g.value if isinstance(g, ox.NamedNode) else "", q.subject.value,
                              withheld.names.get(m.group(0), m.group(0)), o.value)

