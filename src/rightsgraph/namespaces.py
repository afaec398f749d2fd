"""The IRIs of rightsgraph: its base, its ontology terms and the vocabularies it reuses, written once.

Every other module, query and test takes its IRIs from here; ``tests/test_namespaces.py`` checks that
:class:`RG` lists exactly the terms of ``ontology/rightsgraph.ttl`` and that the ``PREFIX`` lines of
the ``.rq`` files agree with :data:`PREFIXES`.

>>> entity_iri("facility", "kwanliso-15")
rdflib.term.URIRef('https://w3id.org/rightsgraph/id/facility/kwanliso-15')
>>> RG.prisonerCount
rdflib.term.URIRef('https://w3id.org/rightsgraph/ontology#prisonerCount')
"""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

#: The one base of every IRI the project mints.
BASE = "https://w3id.org/rightsgraph/"

#: Entities: ``<BASE>id/<kind>/<slug>``.
ID = Namespace(BASE + "id/")
#: Violation types (concepts of the SKOS scheme in the ontology).
RGV = Namespace(BASE + "id/violation/")
#: Measures: what a figure counts (concepts of the SKOS scheme ``rg:measures`` in the ontology).
RGM = Namespace(BASE + "id/measure/")
#: Claim graphs: ``<BASE>claim/<source-id>/<key>``.
CLAIM = Namespace(BASE + "claim/")
#: Activities that produced claims (curation, extraction rules).
ACTIVITY = Namespace(BASE + "activity/")
#: The named graph holding source records and the description of every claim graph.
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")
#: The named graph in which a release describes itself: its audience and the access levels it sees.
#: The ontology document.
ONTOLOGY = URIRef(BASE + "ontology")
#: The activity of curating claims by hand.
CURATION = ACTIVITY["curation"]

#: The SHACL shapes of ontology/shapes.ttl.
SHAPES = Namespace(BASE + "shapes#")

#: W3C Web Annotation vocabulary (not bundled with rdflib).
OA = Namespace("http://www.w3.org/ns/oa#")
#: SPARQL 1.1 Service Description, and the W3C's IRIs of formats (the endpoint describes itself with them).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: The nanopublication schema and its extensions (the nanopublication export).
NP = Namespace("http://www.nanopub.org/nschema#")
NPX = Namespace("http://purl.org/nanopub/x/")
#: Nanopublications of claims: ``<BASE>np/RA...`` (a trusty URI), their graphs ``<BASE>np/RA.../assertion`` ...
NANOPUB = Namespace(BASE + "np/")
#: Releases: ``<BASE>release/<audience>``.
RELEASE = Namespace(BASE + "release/")


class RG(DefinedNamespace):
    """The rightsgraph ontology (``ontology/rightsgraph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Abduction: URIRef; AccessLevel: URIRef; Agent: URIRef; Alleged: URIRef; Audience: URIRef
    Appointment: URIRef; Article: URIRef; Ban: URIRef; Book: URIRef
    BorderCrossing: URIRef; Certainty: URIRef; City: URIRef; Claim: URIRef
    Closure: URIRef; Company: URIRef; Confirmed: URIRef; Country: URIRef
    County: URIRef; Court: URIRef; CurationActivity: URIRef; Curated: URIRef; DataRelease: URIRef; Denied: URIRef
    Detention: URIRef; DetentionCenter: URIRef; DetentionFacility: URIRef; Document: URIRef
    Estimated: URIRef; Event: URIRef; Execution: URIRef; ExtractionRule: URIRef
    Famine: URIRef; Figure: URIRef; Film: URIRef; ForcedReturn: URIRef
    Government: URIRef; Group: URIRef; Hearing: URIRef; IntergovernmentalOrganization: URIRef
    InternalAudience: URIRef; Investigation: URIRef; LaborTrainingCamp: URIRef; Law: URIRef; MediaOrganization: URIRef
    Measure: URIRef; Meeting: URIRef; NGO: URIRef; Organization: URIRef; Person: URIRef
    Partners: URIRef; PartnersAudience: URIRef; Place: URIRef; PoliticalParty: URIRef; PoliticalPrisonCamp: URIRef; PressRelease: URIRef
    PretrialDetentionFacility: URIRef; Province: URIRef; Public: URIRef; PublicAudience: URIRef; Publication: URIRef
    ReeducationCamp: URIRef; Region: URIRef; Release: URIRef; Report: URIRef
    Reported: URIRef; Resolution: URIRef; Restricted: URIRef; ReviewStatus: URIRef; Reviewed: URIRef; Riot: URIRef
    River: URIRef; Sanction: URIRef; Source: URIRef; StateAgency: URIRef
    Statement: URIRef; Summit: URIRef; Testimony: URIRef; UNBody: URIRef
    University: URIRef; Venue: URIRef; ViolationReport: URIRef; ViolationType: URIRef
    Vote: URIRef; WeaponsTest: URIRef
    about: URIRef; abstentions: URIRef; accessLevel: URIRef; adoptedBy: URIRef; audience: URIRef
    alsoKnownAs: URIRef; amount: URIRef; appointee: URIRef; areaKm2: URIRef
    asOf: URIRef; attribution: URIRef; author: URIRef; basedIn: URIRef
    borders: URIRef; campCount: URIRef; cause: URIRef; certainty: URIRef
    chairOf: URIRef; cites: URIRef; commissionedBy: URIRef; condemns: URIRef
    confidence: URIRef; contentHash: URIRef; curatorNote: URIRef; date: URIRef; datedByPublication: URIRef; deathCount: URIRef
    defaultMeasure: URIRef
    denies: URIRef; endDate: URIRef; evidence: URIRef; facilityNumber: URIRef
    figure: URIRef; finding: URIRef; followUpOf: URIRef; founded: URIRef
    governmentOf: URIRef; heldAt: URIRef; high: URIRef; imposedBy: URIRef
    jobTitle: URIRef; latestYear: URIRef; leaderOf: URIRef; license: URIRef
    locatedIn: URIRef; low: URIRef; measure: URIRef; measures: URIRef; memberOf: URIRef; notMemberOf: URIRef; mergedInto: URIRef
    nationality: URIRef; officialName: URIRef; onDocument: URIRef; operatedBy: URIRef
    organizer: URIRef; outcome: URIRef; pageCount: URIRef; partOf: URIRef
    participant: URIRef; partyTo: URIRef; peopleCount: URIRef; period: URIRef
    perpetrator: URIRef; perpetrators: URIRef; place: URIRef; pointInTime: URIRef
    position: URIRef; prisonerCount: URIRef; published: URIRef; publisher: URIRef
    qualifier: URIRef; recordAccessLevel: URIRef; relative: URIRef; responsibleFor: URIRef; reviewStatus: URIRef
    reviewedBy: URIRef; reviewedOn: URIRef; sees: URIRef; sha256: URIRef
    share: URIRef; statedAs: URIRef; sponsoredBy: URIRef; startDate: URIRef; statedSize: URIRef
    status: URIRef; subsidiaryOf: URIRef; supports: URIRef; target: URIRef
    undatedReason: URIRef; unit: URIRef; value: URIRef; victim: URIRef; victimCount: URIRef
    victims: URIRef; violation: URIRef; violationType: URIRef; violationTypes: URIRef
    votesAgainst: URIRef; votesFor: URIRef; votingBody: URIRef; witness: URIRef
    workedAt: URIRef; worksFor: URIRef


#: Entity kinds (the ``<kind>`` path segment) and the ontology class each kind's types descend from.
KINDS: dict[str, URIRef] = {
    "person": RG.Person,
    "org": RG.Organization,
    "group": RG.Group,
    "facility": RG.DetentionFacility,
    "place": RG.Place,
    "document": RG.Document,
    "event": RG.Event,
    "violation": RG.ViolationType,
    "source": RG.Source,
}

#: Prefixes used in queries, exports and messages.
PREFIXES: dict[str, str] = {
    "rg": str(RG._NS),
    "id": str(ID),
    "rgv": str(RGV),
    "rgm": str(RGM),
    "claim": str(CLAIM),
    "rgg": BASE + "graph/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "oa": str(OA),
    "sh": str(SH),
    "rgsh": str(SHAPES),
}


def entity_iri(kind: str, slug: str) -> URIRef:
    """Return the IRI of the entity ``<kind>/<slug>``.

    >>> entity_iri("person", "kim-jong-un").endswith("id/person/kim-jong-un")
    True
    """
    return URIRef(f"{ID}{kind}/{slug}")


def source_iri(source_id: str) -> URIRef:
    """Return the IRI of the record of the source whose manifest id is ``source_id``.

    >>> source_iri("nkhr-the-situation")
    rdflib.term.URIRef('https://w3id.org/rightsgraph/id/source/nkhr-the-situation')
    """
    return entity_iri("source", source_id)


def claim_iri(source_id: str, key: str) -> URIRef:
    """Return the IRI of a claim graph.

    >>> claim_iri("nkhr-the-situation", "a1b2c3d4e5")
    rdflib.term.URIRef('https://w3id.org/rightsgraph/claim/nkhr-the-situation/a1b2c3d4e5')
    """
    return CLAIM[f"{source_id}/{key}"]


def sparql_prologue() -> str:
    """Return ``PREFIX`` lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def curie(iri: str) -> str:
    """Shorten ``iri`` with the known prefixes, or return it unchanged.

    >>> curie(str(RG.heldAt))
    'rg:heldAt'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and all(c.isalnum() or c in "-_." for c in local) and "/" not in local:
            return f"{best}:{local}"
    return iri
