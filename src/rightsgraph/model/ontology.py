"""The ontology as the rest of the package needs it: classes, properties and how their values are typed.

Everything here is read from ``ontology/rightsgraph.ttl``; nothing about terms is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import DCTERMS, OWL, RDF, RDFS, SDO, SKOS, XSD, Graph, URIRef

from rightsgraph.namespaces import KINDS, RG, RGM, RGV

#: Super-properties whose sub-properties take a date (xsd:date, xsd:gYearMonth or xsd:gYear).
_DATE_SUPERS = {DCTERMS.date, DCTERMS.issued, SDO.startDate, SDO.endDate, SDO.foundingDate}
#: The datatypes a date value may take, from the most to the least precise.
DATE_TYPES = (XSD.date, XSD.gYearMonth, XSD.gYear)


@dataclass(frozen=True)
class Property:
    """One property of the ontology and the kind of value it takes.

    ``value`` is one of: ``entity`` (an IRI of the graph), ``figure``, ``violation``, ``date``,
    ``integer``, ``decimal``, ``string``.
    """

    iri: URIRef
    name: str
    value: str
    range: URIRef | None
    domain: URIRef | None
    is_alt_label: bool = False


@dataclass(frozen=True)
class Audience:
    """Who a release is made for (``rg:Audience``) and the access levels it sees (``rg:sees``)."""

    name: str
    iri: URIRef
    sees: frozenset[URIRef]


@dataclass
class Ontology:
    """The parsed ontology with the lookups the build and validation need."""

    graph: Graph
    classes: set[URIRef] = field(default_factory=set)
    properties: dict[str, Property] = field(default_factory=dict)
    violation_types: set[URIRef] = field(default_factory=set)
    certainties: dict[str, URIRef] = field(default_factory=dict)
    access_levels: dict[str, URIRef] = field(default_factory=dict)
    #: each audience's name (``public``, ``partners``, ``internal``) -> its IRI and the access levels it sees
    audiences: dict[str, "Audience"] = field(default_factory=dict)
    review_statuses: dict[str, URIRef] = field(default_factory=dict)
    #: the measures a figure may name, by id (``prisoners``, ``prison-deaths`` ...)
    measures: dict[str, URIRef] = field(default_factory=dict)
    #: the measure of a figure property's figures when they name none (``rg:defaultMeasure``)
    default_measures: dict[URIRef, URIRef] = field(default_factory=dict)

    def is_a(self, cls: URIRef, ancestor: URIRef) -> bool:
        """Return True if ``cls`` is ``ancestor`` or one of its subclasses.

        >>> load(proj.ontology / "rightsgraph.ttl").is_a(RG.PoliticalPrisonCamp, RG.Place)
        True
        """
        return ancestor in self.graph.transitive_objects(cls, RDFS.subClassOf)

    def default_measure(self, prop: URIRef) -> URIRef | None:
        """Return the measure that figures of ``prop`` count when they name none (its own or a super-property's).

        >>> onto = load(proj.ontology / "rightsgraph.ttl")
        >>> str(onto.default_measure(RG.deathCount)).rsplit("/", 1)[1], onto.default_measure(RG.peopleCount)
        ('deaths', None)
        """
        for p in self.graph.transitive_objects(prop, RDFS.subPropertyOf):
            if p in self.default_measures:
                return self.default_measures[p]
        return None

    def class_named(self, name: str) -> URIRef | None:
        """Return the ontology class with local name ``name``, if there is one."""
        iri = URIRef(str(RG._NS) + name)
        return iri if iri in self.classes else None

    def kind_of(self, cls: URIRef) -> str | None:
        """Return the entity kind (``person``, ``facility`` ...) whose root class ``cls`` falls under."""
        # the most specific root wins: a DetentionFacility is a Place, but its kind is facility
        best: tuple[int, str] | None = None
        for kind, root in KINDS.items():
            if self.is_a(cls, root):
                depth = len(list(self.graph.transitive_objects(root, RDFS.subClassOf)))
                if best is None or depth > best[0]:
                    best = (depth, kind)
        return best[1] if best else None

    def is_internal(self, audience: str) -> bool:
        """True for an audience that sees every access level: it reads the internal store itself.

        >>> onto = load(proj.ontology / "rightsgraph.ttl")
        >>> onto.is_internal("internal"), onto.is_internal("public")
        (True, False)
        """
        return self.audiences[audience].sees >= set(self.access_levels.values())

    def label(self, iri: URIRef) -> str:
        """Return the English label of an ontology term, or its local name."""
        for lit in self.graph.objects(iri, RDFS.label):
            return str(lit)
        return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value_kind(g: Graph, prop: URIRef, rng: URIRef | None, is_object: bool) -> str:
    if rng == RG.Figure:
        return "figure"
    if rng == RG.ViolationReport:
        return "violation"
    if is_object:
        return "entity"
    supers = set(g.transitive_objects(prop, RDFS.subPropertyOf))
    if rng in DATE_TYPES or supers & _DATE_SUPERS:
        return "date"
    if rng == XSD.integer:
        return "integer"
    if rng == XSD.decimal:
        return "decimal"
    return "string"


def parse(path: Path) -> Ontology:
    """Parse the ontology file at ``path``."""
    g = Graph().parse(path, format="turtle")
    onto = Ontology(graph=g)
    ns = str(RG._NS)
    onto.classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(ns)}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for p in g.subjects(RDF.type, kind):
            if not str(p).startswith(ns):
                continue
            rng = g.value(p, RDFS.range)
            dom = g.value(p, RDFS.domain)
            name = str(p)[len(ns):]
            onto.properties[name] = Property(
                iri=URIRef(p), name=name, range=rng, domain=dom,
                value=_value_kind(g, p, rng, kind == OWL.ObjectProperty),
                is_alt_label=SKOS.altLabel in set(g.transitive_objects(p, RDFS.subPropertyOf)) and p != SKOS.altLabel,
            )
    onto.violation_types = {c for c in g.subjects(SKOS.inScheme, RG.violationTypes) if str(c).startswith(str(RGV))}
    onto.measures = {str(c)[len(str(RGM)):]: URIRef(c) for c in g.subjects(SKOS.inScheme, RG.measures)
                     if str(c).startswith(str(RGM))}
    onto.default_measures = {URIRef(p): URIRef(m) for p, m in g.subject_objects(RG.defaultMeasure)}
    for cls, target in ((RG.Certainty, onto.certainties), (RG.AccessLevel, onto.access_levels),
                        (RG.ReviewStatus, onto.review_statuses)):
        for ind in g.subjects(RDF.type, cls):
            target[str(g.value(ind, RDFS.label))] = URIRef(ind)
    for ind in g.subjects(RDF.type, RG.Audience):
        name = str(g.value(ind, RDFS.label))
        onto.audiences[name] = Audience(name, URIRef(ind), frozenset(URIRef(x) for x in g.objects(ind, RG.sees)))
    return onto


@lru_cache(maxsize=4)
def load(path: Path) -> Ontology:
    """Load (once per path) an ontology file, such as a project's ``ontology/rightsgraph.ttl``.

    >>> onto = load(proj.ontology / "rightsgraph.ttl")
    >>> sorted(onto.certainties), sorted(onto.review_statuses)
    (['alleged', 'confirmed', 'denied', 'estimated', 'reported'], ['curated', 'reviewed'])
    >>> onto.default_measures[RG.prisonerCount] == onto.measures["prisoners"]
    True
    """
    return parse(Path(path))
