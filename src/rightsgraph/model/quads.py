"""The data model: authored claims turned into quads.

Each claim is a named graph G holding its facts. The provenance graph describes G::

    G  a rg:Claim ; prov:wasDerivedFrom S ; prov:wasGeneratedBy <activity> ;
       rg:certainty rg:Estimated ; rg:accessLevel rg:Public ; rg:evidence G#evidence ;
       rg:reviewStatus rg:Curated | rg:Reviewed [; rg:reviewedBy "reviewer-a" ; rg:reviewedOn "2026-12-07"^^xsd:date] ;
       [prov:wasAttributedTo A] [rg:attribution "..."] [rg:pointInTime "2013"^^xsd:gYear] .
    G#evidence a oa:SpecificResource ; oa:hasSource S ; oa:hasSelector G#quote, G#position .
    G#quote    a oa:TextQuoteSelector ; oa:exact "..." .
    G#position a oa:TextPositionSelector ; oa:start 10 ; oa:end 52 .

Figures and violation reports are nodes of their own (``G#figure-1``, ``G#violation-1``), so
that a range keeps its low and high together even in the union of all graphs. A figure carries
what it counts (``rg:measure``, its own or its property's default) and, when it has them,
``rg:datedByPublication true`` or ``rg:undatedReason``; a claim's point in time dates its figures.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD, Dataset, Literal, URIRef

from rightsgraph.model import ontology as ontology_mod
from rightsgraph.claims.records import Claim, Collection, Figure, SourceRecord, Violation
from rightsgraph.namespaces import CURATION, OA, PROVENANCE_GRAPH, RG

Quad = tuple[URIRef, URIRef, URIRef | Literal, URIRef]


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def source_quads(s: SourceRecord, entity_iris: dict[str, URIRef], onto: ontology_mod.Ontology) -> Iterator[Quad]:
    """The record of a source document, in the provenance graph."""
    g = PROVENANCE_GRAPH
    yield s.iri, RDF.type, RG.Source, g
    yield s.iri, DCTERMS.identifier, Literal(s.id), g
    yield s.iri, DCTERMS.title, Literal(s.title), g
    yield s.iri, RDFS.label, _en(s.title), g
    yield s.iri, DCTERMS.publisher, Literal(s.publisher), g
    if s.publisher_entity:
        yield s.iri, RG.publisher, entity_iris[s.publisher_entity], g
    yield s.iri, SDO.url, URIRef(s.url), g
    yield s.iri, RG.sha256, Literal(s.sha256), g
    yield s.iri, RG.recordAccessLevel, onto.access_levels[s.access], g
    if s.license:
        yield s.iri, RG.license, Literal(s.license), g
    if s.latest:
        yield s.iri, RG.latestYear, Literal(str(s.latest), datatype=XSD.gYear), g


def activity_quads() -> Iterator[Quad]:
    """The activity of curation by hand, in the provenance graph."""
    g = PROVENANCE_GRAPH
    yield CURATION, RDF.type, RG.CurationActivity, g
    yield CURATION, RDF.type, PROV.Activity, g
    yield CURATION, RDFS.label, _en("curation by hand"), g


def rule_quads(activity: URIRef) -> Iterator[Quad]:
    """An extraction rule that generated claims, declared as an activity in the provenance graph."""
    g = PROVENANCE_GRAPH
    name = str(activity).rstrip("/").rsplit("/", 1)[-1]
    yield activity, RDF.type, RG.ExtractionRule, g
    yield activity, RDF.type, PROV.Activity, g
    yield activity, RDFS.label, _en(f"extraction rule {name}"), g


def provenance_quads(c: Claim, sources: dict[str, SourceRecord], onto: ontology_mod.Ontology,
                     entity_iris: dict[str, URIRef]) -> Iterator[Quad]:
    """The description of one claim graph, in the provenance graph."""
    p = PROVENANCE_GRAPH
    G = c.iri
    S = sources[c.source].iri
    ev, quote, pos = URIRef(G + "#evidence"), URIRef(G + "#quote"), URIRef(G + "#position")
    yield G, RDF.type, RG.Claim, p
    yield G, PROV.wasDerivedFrom, S, p
    yield G, PROV.wasGeneratedBy, c.activity, p
    yield G, RG.certainty, onto.certainties[c.certainty], p
    yield G, RG.accessLevel, onto.access_levels[c.access], p
    yield G, RG.reviewStatus, onto.review_statuses[c.review_status], p
    if c.reviewed_by is not None:
        yield G, RG.reviewedBy, Literal(c.reviewed_by), p
        yield G, RG.reviewedOn, c.reviewed_on, p
    yield G, RG.evidence, ev, p
    if c.according_to:
        yield G, PROV.wasAttributedTo, entity_iris[c.according_to], p
    if c.attribution:
        yield G, RG.attribution, Literal(str(c.attribution)), p
    if c.as_of is not None:
        yield G, RG.pointInTime, c.as_of, p
        if c.dated_by_publication:
            yield G, RG.datedByPublication, Literal(True), p
    if c.note:
        yield G, RG.curatorNote, Literal(str(c.note)), p
    if c.confidence is not None:
        yield G, RG.confidence, Literal(str(c.confidence), datatype=XSD.decimal), p
    yield ev, RDF.type, OA.SpecificResource, p
    yield ev, OA.hasSource, S, p
    yield ev, OA.hasSelector, quote, p
    yield ev, OA.hasSelector, pos, p
    yield quote, RDF.type, OA.TextQuoteSelector, p
    yield quote, OA.exact, Literal(c.evidence.quote), p
    yield pos, RDF.type, OA.TextPositionSelector, p
    yield pos, OA.start, Literal(c.evidence.start), p
    yield pos, OA.end, Literal(c.evidence.end), p


def fact_quads(c: Claim, onto: ontology_mod.Ontology) -> Iterator[Quad]:
    """The facts of one claim, in its own named graph.

    An entity's record states its class and every superclass (RDFS entailment made explicit), so
    that ``?x a rg:DetentionFacility`` finds every camp without the ontology in the store.
    """
    G = c.iri
    s = c.subject_iri
    if c.entity is not None:
        e = c.entity
        for cls in onto.graph.transitive_objects(e.type, RDFS.subClassOf):
            yield s, RDF.type, cls, G
        yield s, RDFS.label, _en(e.label), G
        for alias in e.aliases:
            yield s, SKOS.altLabel, _en(alias), G
        if e.description:
            yield s, SDO.description, _en(e.description), G
    figures = violations = 0
    for fact in c.facts:
        p = fact.predicate.iri
        v = fact.value
        if isinstance(v, Figure):
            figures += 1
            node = URIRef(f"{G}#figure-{figures}")
            yield s, p, node, G
            yield node, RDF.type, RG.Figure, G
            for prop, val in ((RG.value, v.value), (RG.low, v.low), (RG.high, v.high), (RG.asOf, v.as_of)):
                if val is not None:
                    yield node, prop, val, G
            for prop, text in ((RG.unit, v.unit), (RG.period, v.period), (RG.qualifier, v.qualifier),
                              (RG.statedAs, v.stated_as), (RG.undatedReason, v.undated)):
                if text is not None:
                    yield node, prop, Literal(text), G
            if v.measure is not None:
                yield node, RG.measure, v.measure, G
            if v.dated_by_publication:
                yield node, RG.datedByPublication, Literal(True), G
        elif isinstance(v, Violation):
            violations += 1
            node = URIRef(f"{G}#violation-{violations}")
            yield s, p, node, G
            yield node, RDF.type, RG.ViolationReport, G
            yield node, RG.violationType, v.type, G
            for victim in v.victims:
                yield node, RG.victims, victim, G
            for perpetrator in v.perpetrators:
                yield node, RG.perpetrators, perpetrator, G
        else:
            yield s, p, v, G
            if fact.predicate.is_alt_label:
                # materialise skos:altLabel so that name lookups need no inference
                yield s, SKOS.altLabel, _en(str(v)), G


def quads(collection: Collection, onto: ontology_mod.Ontology) -> Iterator[Quad]:
    """Yield every quad of the graph built from ``collection``.

    >>> from rightsgraph.claims import loader
    >>> onto = ontology_mod.load(proj.ontology / "rightsgraph.ttl")
    >>> qs = list(quads(loader.load(proj, onto=onto), onto))
    >>> all(g is not None for *_, g in qs)
    True
    """
    entity_iris = {k: e.iri for k, e in collection.entities.items()}
    yield from activity_quads()
    for rule in sorted({c.activity for c in collection.claims} - {CURATION}):
        yield from rule_quads(rule)
    for s in collection.sources.values():
        yield from source_quads(s, entity_iris, onto)
    for c in collection.claims:
        yield from provenance_quads(c, collection.sources, onto, entity_iris)
        yield from fact_quads(c, onto)


def dataset(collection: Collection, onto: ontology_mod.Ontology) -> Dataset:
    """Return the graph as an rdflib Dataset whose default graph is the union (the reference engine)."""
    ds = Dataset(default_union=True)
    ds.addN(quads(collection, onto))
    return ds
