"""The records of ``graph/`` once read: sources, entities, claims with their facts, evidence and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from rightsgraph.errors import Problem
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import CURATION, RGV, claim_iri, entity_iri, source_iri

MAX_QUOTE = 300


@dataclass(frozen=True)
class Origin:
    """Where a record was written: a file (relative to the project root) and a line."""

    file: str
    line: int

    def problem(self, message: str, line: int | None = None) -> Problem:
        return Problem(self.file, line or self.line, message)


@dataclass
class SourceRecord:
    """A document of the corpus (``graph/sources.yaml``)."""

    id: str
    file: str
    title: str
    publisher: str
    url: str
    sha256: str
    origin: Origin
    publisher_entity: str | None = None
    license: str | None = None
    latest: int | None = None
    path: str | None = None  # where the text is, relative to the project root, when it is not in the corpus
    access: str = "public"  # who may see the record and every claim derived from it

    @property
    def iri(self) -> URIRef:
        return source_iri(self.id)


@dataclass
class Evidence:
    """The passage that supports a claim: a quote of a source, and its offsets once anchored."""

    source: str
    quote: str
    occurrence: int = 1
    start: int | None = None
    end: int | None = None
    quote_line: int = 0


@dataclass
class Figure:
    """A number from one source: a value or a range, with what it counts, its unit, date and hedge.

    ``measure`` is the measure the figure names, else its property's default (``rg:defaultMeasure``),
    else None. ``dated_by_publication`` says that ``as_of`` (the figure's or its claim's) is the
    document's own date; ``undated`` is the reason why the figure has no date.
    """

    value: Literal | None = None
    low: Literal | None = None
    high: Literal | None = None
    unit: str | None = None
    as_of: Literal | None = None
    period: str | None = None
    qualifier: str | None = None
    stated_as: str | None = None
    measure: URIRef | None = None
    dated_by_publication: bool = False
    undated: str | None = None


@dataclass
class Violation:
    """A violation of a given type, optionally against given victims and by given perpetrators."""

    type: URIRef
    victims: list[URIRef] = field(default_factory=list)
    perpetrators: list[URIRef] = field(default_factory=list)


@dataclass
class Fact:
    """One predicate and one value of a claim about its subject."""

    predicate: ontology_mod.Property
    value: URIRef | Literal | Figure | Violation
    line: int


@dataclass
class Claim:
    """One claim: facts about one subject from one source, with their evidence and provenance."""

    key: str
    source: str
    subject: str
    facts: list[Fact]
    evidence: Evidence
    origin: Origin
    certainty: str = "reported"
    according_to: str | None = None
    attribution: str | None = None
    as_of: Literal | None = None
    #: ``dated_by: publication``: the claim's only date (``as_of``) is the document's own publication date
    dated_by_publication: bool = False
    access: str = "public"
    note: str | None = None
    activity: URIRef = CURATION
    confidence: float | None = None
    # set for the claim that records an entity (its type, label and aliases)
    entity: "Entity | None" = None
    # the key before another claim with the same facts (a review file's candidate, say) made it longer
    former_key: str | None = None
    # who reviewed the claim against its source and when (``reviewed: {by, on}``); None while only curated
    reviewed_by: str | None = None
    reviewed_on: Literal | None = None

    @property
    def iri(self) -> URIRef:
        return claim_iri(self.source, self.key)

    @property
    def review_status(self) -> str:
        """``reviewed`` once someone other than the curator checked it, else ``curated``."""
        return "reviewed" if self.reviewed_by is not None else "curated"

    @property
    def subject_iri(self) -> URIRef:
        return ref_iri(self.subject)


@dataclass
class Entity:
    """An entity record: id, class, one English label, aliases, and the passage that names it."""

    id: str
    type: URIRef
    label: str
    aliases: list[str]
    origin: Origin
    evidence: Evidence
    description: str | None = None
    activity: URIRef = CURATION
    confidence: float | None = None
    # who checked the record against its source, and when (``reviewed: {by, on}``); None while only curated
    reviewed_by: str | None = None
    reviewed_on: Literal | None = None
    #: the line of each name (label and aliases) in the record, for problems that name one
    name_lines: dict[str, int] = field(default_factory=dict)
    access: str = "public"  # who may see the entity: its record claim carries this level

    @property
    def kind(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def iri(self) -> URIRef:
        return ref_iri(self.id)


@dataclass
class Collection:
    """Everything authored under ``graph/``: sources, entities and claims (entity records included)."""

    sources: dict[str, SourceRecord]
    entities: dict[str, Entity]
    claims: list[Claim]
    #: claim IRI -> (start, end, quote digest): the offsets ``graph/anchors.tsv`` records
    anchors: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    def origin_of(self) -> dict[URIRef, Origin]:
        """Map each claim graph, entity and source IRI to where it was written."""
        out: dict[URIRef, Origin] = {}
        for s in self.sources.values():
            out[s.iri] = s.origin
        for e in self.entities.values():
            out[e.iri] = e.origin
        for c in self.claims:
            out[c.iri] = c.origin
        return out


def ref_iri(ref: str) -> URIRef:
    """The IRI of an entity id (``kind/slug``), or of a violation type (``violation/slug``)."""
    kind, slug = ref.split("/", 1)
    return URIRef(str(RGV) + slug) if kind == "violation" else entity_iri(kind, slug)
