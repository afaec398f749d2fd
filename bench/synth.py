"""Synthetic claims with exactly the project's data model, written as N-Quads, deterministic from a seed.

The generator streams lines (constant memory apart from small windows of recent entities) in the
shapes :mod:`rightsgraph.model.quads` produces: the curation activity and extraction rules, source records,
and for each claim its description in the provenance graph (source, evidence with quote and
offsets, method, certainty, access level, review status, attribution, point in time, confidence)
followed by its facts in its own named graph. Entities of every class of the ontology get a record claim (every
superclass, one English label, English alternative names); facilities get prisoner counts from
several sources that disagree (each with its measure, and a date or the reason it has none), people are held at facilities and work for agencies, events are
dated, violations are reported. Sizes are counted in quads and reached to within one entity.

>>> import io
>>> buf = io.StringIO()
>>> summary = generate(buf, 2_000, seed=1)
>>> summary.quads == buf.getvalue().count(" .\\n") and abs(summary.quads - 2_000) < 200
True
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD, URIRef

from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import ACTIVITY, CURATION, OA, PROVENANCE_GRAPH, RG, RGM, claim_iri, entity_iri, source_iri

#: The ontology of this repository's project, whose data model the generator writes.
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "rightsgraph.ttl"

# --------------------------------------------------------------------------------------------
# N-Quads terms
# --------------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI as an N-Quads term."""
    return f"<{value}>"


def literal(text: str, datatype: URIRef | None = None, lang: str | None = None) -> str:
    """A literal as an N-Quads term, escaped.

    >>> literal('say "hi"\\n', lang="en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    body = '"' + text.translate(_ESCAPES) + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype is not None and datatype != XSD.string:
        return f"{body}^^<{datatype}>"
    return body


def _en(text: str) -> str:
    return literal(text, lang="en")


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD.integer}>'


def _dec(text: str) -> str:
    return f'"{text}"^^<{XSD.decimal}>'


# the terms every claim uses, written once
TYPE, LABEL, ALT = iri(RDF.type), iri(RDFS.label), iri(SKOS.altLabel)
P_GRAPH = iri(PROVENANCE_GRAPH)
_CERTAINTY = {name: iri(RG[name.capitalize()]) for name in ("reported", "alleged", "estimated", "confirmed", "denied")}
_ACCESS = {"public": iri(RG.Public), "restricted": iri(RG.Restricted)}
_REVIEWERS = ("reviewer-a", "reviewer-b", "reviewer-c", "reviewer-d")
_RULES = ("figure-range", "held-at", "event-date")

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_SYL = ["kang", "chol", "hwan", "song", "min", "yong", "ho", "jin", "su", "dong", "hyok", "il", "nam", "chun",
        "ok", "hui", "sun", "gyong", "pyong", "ryon", "kwang", "myong", "un", "hak", "sik", "bok", "chang", "gil",
        "mun", "tae", "u", "hyon", "ju", "ran", "sol", "yol", "hae", "jong", "sam", "won"]
_FAMILY = ["Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Jo", "Yun", "Jang", "Han", "O", "Sin", "Ryu", "Hwang", "Ko",
           "Mun", "An", "Song", "Hong", "Jon"]
_CLASS_WORDS = {
    "PoliticalPrisonCamp": "political prison camp", "ReeducationCamp": "re-education camp",
    "LaborTrainingCamp": "labour training camp", "DetentionCenter": "detention centre",
    "PretrialDetentionFacility": "pretrial detention facility", "DetentionFacility": "detention facility",
}


def _word(i: int) -> str:
    """A two-syllable place name, one for each of 1,600 numbers."""
    return (_SYL[i % len(_SYL)] + _SYL[(i // len(_SYL)) % len(_SYL)]).capitalize()


def _person_name(i: int) -> str:
    """A person's name; names repeat after 32,000 people and are then numbered."""
    n = len(_FAMILY) * len(_SYL) ** 2
    given = f"{_SYL[(i // len(_FAMILY)) % len(_SYL)].capitalize()}-{_SYL[(i // (len(_FAMILY) * len(_SYL))) % len(_SYL)]}"
    name = f"{_FAMILY[i % len(_FAMILY)]} {given}"
    return name if i < n else f"{name} {i // n + 1}"


def _mr(name: str) -> str:
    """A McCune-Reischauer spelling of a name (o -> ŏ, u -> ŭ), for a non-ASCII alternative name."""
    return name.replace("o", "ŏ").replace("u", "ŭ")


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------

@dataclass
class Summary:
    """What a synthetic dump holds, and the terms the benchmark binds its parameterised queries to."""

    quads: int = 0
    claims: int = 0
    entities: int = 0
    sources: int = 0
    seed: int = 0
    per_class: dict[str, int] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)


class _Window:
    """The most recent entities of a kind, to pick relation targets from (bounded: constant memory)."""

    def __init__(self, size: int):
        self.size, self.items, self.next = size, [], 0

    def add(self, item: tuple[str, str]) -> None:
        if len(self.items) < self.size:
            self.items.append(item)
        else:
            self.items[self.next] = item
            self.next = (self.next + 1) % self.size

    def pick(self, rng: random.Random) -> tuple[str, str] | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None


@dataclass
class _Entity:
    iri: str
    term: str
    label: str
    cls: str
    source: int


class _Generator:
    """Writes claims until the dump holds the target number of quads."""

    def __init__(self, out, target: int, seed: int, onto: ontology_mod.Ontology):
        self.out, self.target, self.rng, self.onto = out, target, random.Random(seed), onto
        self.summary = Summary(seed=seed)
        self.lines: list[str] = []
        self.n_sources = max(5, target // 6000)
        self.cursor = [0] * self.n_sources
        self.keys = 0
        self.serial: dict[str, int] = {}
        self.windows: dict[str, _Window] = {}
        self.types = {c: self._closure(c) for c in sorted(onto.classes)}
        self.violation_types = [iri(v) for v in sorted(onto.violation_types)]
        self.anchors: dict[str, _Entity] = {}
        self.violations = 0
        self.dated = False  # whether the last claim described has a point in time

    # -- output --------------------------------------------------------------------------------

    def _closure(self, cls: URIRef) -> list[str]:
        """The class and every superclass, as the build materialises them (sorted: no set order)."""
        supers = {c for c in self.onto.graph.transitive_objects(cls, RDFS.subClassOf) if c != cls}
        return [iri(cls)] + [iri(c) for c in sorted(supers)]

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.lines.append(f"{s} {p} {o} {g} .\n")

    def flush(self) -> None:
        self.out.write("".join(self.lines))
        self.summary.quads += len(self.lines)
        self.lines.clear()

    @property
    def full(self) -> bool:
        return self.summary.quads + len(self.lines) >= self.target

    # -- records -------------------------------------------------------------------------------

    def activities(self) -> None:
        """The curation activity and the extraction rules, in the provenance graph."""
        c = iri(CURATION)
        self.quad(c, TYPE, iri(RG.CurationActivity), P_GRAPH)
        self.quad(c, TYPE, iri(PROV.Activity), P_GRAPH)
        self.quad(c, LABEL, _en("curation by hand"), P_GRAPH)
        for rule in _RULES:
            r = iri(ACTIVITY[f"rule/{rule}"])
            self.quad(r, TYPE, iri(RG.ExtractionRule), P_GRAPH)
            self.quad(r, TYPE, iri(PROV.Activity), P_GRAPH)
            self.quad(r, LABEL, _en(f"extraction rule {rule}"), P_GRAPH)

    def source_id(self, i: int) -> str:
        return f"synthetic-report-{i:05d}"

    def sources(self) -> None:
        """The record of every source document, in the provenance graph."""
        for i in range(self.n_sources):
            sid = self.source_id(i)
            s = iri(source_iri(sid))
            title = f"Synthetic report {i + 1}: detention in {_word(i)} and {_word(i + 7)}"
            self.quad(s, TYPE, iri(RG.Source), P_GRAPH)
            self.quad(s, iri(DCTERMS.identifier), literal(sid), P_GRAPH)
            self.quad(s, iri(DCTERMS.title), literal(title), P_GRAPH)
            self.quad(s, LABEL, _en(title), P_GRAPH)
            self.quad(s, iri(DCTERMS.publisher), literal(f"{_word(i + 3)} Human Rights Watchers"), P_GRAPH)
            self.quad(s, iri(SDO.url), iri(f"https://reports.example/{sid}"), P_GRAPH)
            self.quad(s, iri(RG.sha256), literal(hashlib.sha256(f"{self.summary.seed}/{sid}".encode()).hexdigest()), P_GRAPH)
            if i % 3 == 0:
                self.quad(s, iri(RG.license), literal("quote short passages only"), P_GRAPH)
            self.quad(s, iri(RG.latestYear), literal(str(1995 + i % 30), XSD.gYear), P_GRAPH)
            self.quad(s, iri(RG.recordAccessLevel), _ACCESS["public"], P_GRAPH)  # whole sources stay public
        self.summary.sources = self.n_sources

    def claim(self, source: int, key: str, quote: str, certainty: str | None = None, figure: bool = False,
              record: bool = False) -> str:
        """Describe a new claim graph in the provenance graph; return its term.

        About one fact claim in 25 is restricted, so that the public release withholds something; an
        entity's record (``record``) is always public, since a withheld entity would withhold every claim
        pointing at it and stop the build (the curator's decision, which a generator cannot make)."""
        rng = self.rng
        sid = self.source_id(source)
        g_iri = str(claim_iri(sid, key))
        G = iri(g_iri)
        S = iri(source_iri(sid))
        ev, qs, ps = iri(g_iri + "#evidence"), iri(g_iri + "#quote"), iri(g_iri + "#position")
        extracted = rng.random() < 0.2
        activity = iri(ACTIVITY[f"rule/{rng.choice(_RULES)}"]) if extracted else iri(CURATION)
        if certainty is None:
            certainty = rng.choices(("reported", "alleged", "estimated", "confirmed", "denied"),
                                    (40, 15, 30, 10, 5) if figure else (60, 15, 5, 15, 5))[0]
        self.quad(G, TYPE, iri(RG.Claim), P_GRAPH)
        self.quad(G, iri(PROV.wasDerivedFrom), S, P_GRAPH)
        self.quad(G, iri(PROV.wasGeneratedBy), activity, P_GRAPH)
        self.quad(G, iri(RG.certainty), _CERTAINTY[certainty], P_GRAPH)
        restricted = rng.random() < 0.04 and not record  # drawn for records too: the rest of the dump is as before
        self.quad(G, iri(RG.accessLevel), _ACCESS["restricted" if restricted else "public"], P_GRAPH)
        n = self.summary.claims
        if n % 3:  # two claims in three reviewed, by one of four reviewers (no draw: the rest of the dump is as before)
            self.quad(G, iri(RG.reviewStatus), iri(RG.Reviewed), P_GRAPH)
            self.quad(G, iri(RG.reviewedBy), literal(_REVIEWERS[n % 4]), P_GRAPH)
            self.quad(G, iri(RG.reviewedOn), literal(f"2026-12-{1 + n % 28:02d}", XSD.date), P_GRAPH)
        else:
            self.quad(G, iri(RG.reviewStatus), iri(RG.Curated), P_GRAPH)
        self.quad(G, iri(RG.evidence), ev, P_GRAPH)
        roll = rng.random()
        if roll < 0.12 and "hrnk" in self.anchors:
            self.quad(G, iri(PROV.wasAttributedTo), self.anchors["hrnk"].term, P_GRAPH)
        elif roll < 0.2:
            self.quad(G, iri(RG.attribution), literal(rng.choice(("former prisoners testify", "a defector said",
                                                                   "according to satellite imagery"))), P_GRAPH)
        self.dated = rng.random() < 0.15
        if self.dated:
            self.quad(G, iri(RG.pointInTime), self.date(), P_GRAPH)
        if rng.random() < 0.03:
            self.quad(G, iri(RG.curatorNote), literal("the source's own words are kept"), P_GRAPH)
        if extracted:
            self.quad(G, iri(RG.confidence), _dec(f"0.{rng.randint(50, 99)}"), P_GRAPH)
        self.quad(ev, TYPE, iri(OA.SpecificResource), P_GRAPH)
        self.quad(ev, iri(OA.hasSource), S, P_GRAPH)
        self.quad(ev, iri(OA.hasSelector), qs, P_GRAPH)
        self.quad(ev, iri(OA.hasSelector), ps, P_GRAPH)
        self.quad(qs, TYPE, iri(OA.TextQuoteSelector), P_GRAPH)
        quote = quote[:300]
        self.quad(qs, iri(OA.exact), literal(quote), P_GRAPH)
        start = self.cursor[source] + rng.randint(1, 400)
        self.cursor[source] = start + len(quote)
        self.quad(ps, TYPE, iri(OA.TextPositionSelector), P_GRAPH)
        self.quad(ps, iri(OA.start), _int(start), P_GRAPH)
        self.quad(ps, iri(OA.end), _int(start + len(quote)), P_GRAPH)
        self.summary.claims += 1
        return G

    def fact_claim(self, e: _Entity, quote: str, source: int | None = None, certainty: str | None = None,
                   figure: bool = False) -> str:
        """A new fact claim about ``e`` (from its home source unless told); return the graph term."""
        if source is None:
            source = e.source if self.rng.random() < 0.8 else self.rng.randrange(self.n_sources)
        self.keys += 1
        return self.claim(source, f"{self.keys:010x}", quote, certainty, figure)

    def date(self) -> str:
        """A date as precise as a source gives it: xsd:date, xsd:gYearMonth or xsd:gYear."""
        rng = self.rng
        y, m, d = rng.randint(1950, 2024), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice((literal(f"{y}-{m:02d}-{d:02d}", XSD.date), literal(f"{y}-{m:02d}", XSD.gYearMonth),
                           literal(str(y), XSD.gYear)))

    # -- entities ------------------------------------------------------------------------------

    def entity(self, cls: str, kind: str, label: str, aliases: list[str], slug: str | None = None,
               source: int | None = None) -> _Entity:
        """Write the record claim of a new entity (classes, label, alternative names)."""
        rng = self.rng
        n = self.serial.get(kind, 0) + 1
        self.serial[kind] = n
        slug = slug or f"synthetic-{cls.lower()}-{n}"
        e_iri = str(entity_iri(kind, slug))
        source = rng.randrange(self.n_sources) if source is None else source
        e = _Entity(e_iri, iri(e_iri), label, cls, source)
        G = self.claim(source, f"entity-{kind}-{slug}", f"{label} ({', '.join(aliases)}) is named in the report."
                       if aliases else f"The report names {label}.", "reported", record=True)
        for t in self.types[RG[cls]]:
            self.quad(e.term, TYPE, t, G)
        self.quad(e.term, LABEL, _en(label), G)
        for alias in dict.fromkeys(a for a in aliases if a != label):
            self.quad(e.term, ALT, _en(alias), G)
        if rng.random() < 0.2:
            self.quad(e.term, iri(SDO.description), _en(f"A {cls} that the synthetic sources report on."), G)
        self.summary.entities += 1
        self.summary.per_class[cls] = self.summary.per_class.get(cls, 0) + 1
        self._window(cls).add((e.iri, e.label))
        self._window(kind).add((e.iri, e.label))
        return e

    def _window(self, name: str) -> _Window:
        if name not in self.windows:
            self.windows[name] = _Window(60)
        return self.windows[name]

    def pick(self, *names: str) -> tuple[str, str] | None:
        """A recent entity of one of the classes or kinds ``names`` (None if there is none yet)."""
        found = [w for w in (self.windows.get(n) for n in names) if w is not None and w.items]
        return found[self.rng.randrange(len(found))].pick(self.rng) if found else None

    def relate(self, e: _Entity, prop: URIRef, target: tuple[str, str] | None, text: str) -> None:
        """A claim that ``e`` stands in relation ``prop`` to ``target``."""
        if target is None or target[0] == e.iri:
            return
        G = self.fact_claim(e, f"{e.label} {text} {target[1]}.")
        self.quad(e.term, iri(prop), iri(target[0]), G)

    def figure(self, e: _Entity, prop: URIRef, what: str, base: int, sources: int, measure: str | None = None) -> None:
        """Claims from ``sources`` different sources giving different figures for the same count.

        Each figure counts ``measure`` (else its property's default) and is dated, by itself or its
        claim, or says why it is not; some dates are only the report's publication date.
        """
        counted = RGM[measure] if measure else self.onto.default_measure(prop)
        rng = self.rng
        chosen = [e.source] + rng.sample(range(self.n_sources), min(sources - 1, self.n_sources - 1))
        for i, source in enumerate(dict.fromkeys(chosen)):
            n = max(1, int(base * rng.uniform(0.5, 1.8)) // 100 * 100 or base)
            shape = rng.random()
            if shape < 0.4:
                props, quote = [(RG.value, _int(n))], f"{e.label} held {n:,} {what}."
            elif shape < 0.75:
                hi = n + rng.randint(1, 40) * 500
                props, quote = [(RG.low, _int(n)), (RG.high, _int(hi))], f"Between {n:,} and {hi:,} {what}: {e.label}."
            else:
                q = rng.choice(("up to", "about", "more than", "c."))
                bound = RG.high if q == "up to" else RG.low if q == "more than" else RG.value
                props = [(bound, _int(n)), (RG.qualifier, literal(q))]
                quote = f'{e.label}: "{q} {n:,}" {what}, the report says.'
            if rng.random() < 0.3:
                props.append((RG.asOf, literal(str(rng.randint(1990, 2024)), XSD.gYear)))
            G = self.fact_claim(e, quote, source, figure=True)
            node = iri(f"{G[1:-1]}#figure-1")
            self.quad(e.term, iri(prop), node, G)
            self.quad(node, TYPE, iri(RG.Figure), G)
            for p, o in props:
                self.quad(node, iri(p), o, G)
            self.quad(node, iri(RG.measure), iri(counted), G)
            if not self.dated and all(p != RG.asOf for p, _ in props):
                self.quad(node, iri(RG.undatedReason), literal("the report gives no date for it"), G)
            elif self.summary.claims % 4 == 0:
                self.quad(node, iri(RG.datedByPublication), literal("true", XSD.boolean), G)

    def violation(self, e: _Entity, victims: tuple[str, str] | None, perpetrator: tuple[str, str] | None) -> None:
        """A claim reporting a violation of some type at or by ``e``."""
        self.violations += 1
        sep = "\n" if self.violations % 40 == 1 else " "  # some quotes run over a line break
        G = self.fact_claim(e, f"Prisoners at {e.label} were starved,{sep}beaten and forced to work.")
        node = iri(f"{G[1:-1]}#violation-1")
        self.quad(e.term, iri(RG.violation), node, G)
        self.quad(node, TYPE, iri(RG.ViolationReport), G)
        self.quad(node, iri(RG.violationType), self.rng.choice(self.violation_types), G)
        if victims is not None:
            self.quad(node, iri(RG.victims), iri(victims[0]), G)
        if perpetrator is not None:
            self.quad(node, iri(RG.perpetrators), iri(perpetrator[0]), G)

    def value(self, e: _Entity, prop: URIRef, term: str, text: str, alt: str | None = None) -> None:
        """A claim giving ``e`` a literal value (and its materialised skos:altLabel for a name)."""
        G = self.fact_claim(e, f"{e.label} {text}.")
        self.quad(e.term, iri(prop), term, G)
        if alt is not None:
            self.quad(e.term, ALT, _en(alt), G)

    # -- the kinds of entity and what the sources say about them --------------------------------

    def anchor_entities(self) -> None:
        """The few entities the named queries name by IRI (the COI, HRNK, the US government ...)."""
        for key, kind, cls, slug, label in (
                ("coi", "org", "UNBody", "commission-of-inquiry-dprk", "Commission of Inquiry on Human Rights in the DPRK"),
                ("hrnk", "org", "NGO", "hrnk", "Committee for Human Rights in North Korea"),
                ("us", "org", "Government", "government-of-united-states", "Government of the United States"),
                ("dprk", "place", "Country", "north-korea", "North Korea"),
                ("prisoners", "group", "Group", "political-prisoners", "political prisoners")):
            self.anchors[key] = self.entity(cls, kind, label, [], slug=slug, source=0)
            self.flush()
        self.figure(self.anchors["prisoners"], RG.prisonerCount, "political prisoners", 120_000, 4, "political-prisoners")
        self.flush()

    def place(self, cls: str, n: int) -> None:
        name = _word(n)
        e = self.entity(cls, "place", f"{name} {cls.lower()}" if cls not in ("Country", "Province", "City") else name,
                        [_mr(name)] if "o" in name or "u" in name else [])
        parent = self.pick("Province") if cls in ("City", "County") else self.pick("Country")
        self.relate(e, RG.locatedIn, parent or (self.anchors["dprk"].iri, self.anchors["dprk"].label), "lies in")
        if self.rng.random() < 0.3:
            self.value(e, RG.areaKm2, _dec(f"{self.rng.randint(1, 9000)}.{self.rng.randint(0, 9)}"), "covers an area")
        if self.rng.random() < 0.2:
            self.relate(e, RG.borders, self.pick("place"), "borders")

    def org(self, cls: str, n: int) -> None:
        name = f"{_word(n + 11)} {cls.replace('Organization', ' organization').strip()} {n}"
        e = self.entity(cls, "org", name, [name.upper().replace(" ", "")[:12]])
        self.relate(e, RG.basedIn, self.pick("City", "Country"), "is based in")
        if self.rng.random() < 0.4:
            self.relate(e, RG.subsidiaryOf, self.pick("StateAgency", "Government"), "reports to")
        if self.rng.random() < 0.5:
            self.value(e, RG.founded, literal(str(self.rng.randint(1945, 2020)), XSD.gYear), "was founded")
        if cls == "Government":
            self.relate(e, RG.governmentOf, self.pick("Country"), "is the government of")

    def group(self, n: int) -> None:
        e = self.entity("Group", "group", f"{_word(n + 5)} returnees {n}", [f"returnees from {_word(n + 5)}"])
        counted = self.rng.random() < 0.5
        if counted:
            self.figure(e, RG.peopleCount, "people", 5_000, 2, "forcibly-returned")
        if not counted or self.rng.random() < 0.5:
            self.violation(e, (e.iri, e.label), self.pick("StateAgency"))

    def facility(self, cls: str, n: int) -> _Entity:
        rng = self.rng
        place = _word(n * 7 + 3)
        e = self.entity(cls, "facility", f"{place} {_CLASS_WORDS[cls]} No. {n}",
                        [f"Camp {n} at {place}", _mr(f"{place} camp {n}")])
        self.figure(e, RG.prisonerCount, "prisoners", rng.choice((2_000, 15_000, 50_000)), rng.choice((2, 3, 3, 4)))
        self.relate(e, RG.locatedIn, self.pick("Province"), "lies in")
        self.relate(e, RG.operatedBy, self.pick("StateAgency"), "is run by")
        official = f"{'Kwan-li-so' if cls == 'PoliticalPrisonCamp' else 'Kyo-hwa-so'} No. {n}"
        self.value(e, RG.officialName, literal(official), f"is officially {official}", alt=official)
        if rng.random() < 0.6:
            self.value(e, RG.areaKm2, _dec(f"{rng.randint(1, 600)}.{rng.randint(0, 99)}"), "covers an area")
        if rng.random() < 0.7:
            self.violation(e, self.pick("Person", "Group"), self.pick("StateAgency"))
        if rng.random() < 0.3:
            self.value(e, RG.status, literal(rng.choice(("operating", "reported closed", "expanded"))), "status")
        return e

    def person(self, n: int) -> None:
        rng = self.rng
        name = _person_name(n)
        e = self.entity("Person", "person", name, [_mr(name)] if _mr(name) != name else [])
        before = self.summary.claims
        if n <= 3:
            self.relate(e, RG.chairOf if n == 1 else RG.memberOf, self._anchor("coi"), "served on")
        if rng.random() < 0.6:
            self.relate(e, RG.heldAt, self.pick("facility"), "was held at")
        if rng.random() < 0.4:
            self.relate(e, RG.worksFor, self.pick("StateAgency", "org"), "works for")
            self.value(e, RG.jobTitle, literal(rng.choice(("guard", "official", "interrogator", "director"))),
                       "holds a post")
        if rng.random() < 0.3:
            self.relate(e, RG.memberOf, self.pick("PoliticalParty", "NGO"), "is a member of")
        if rng.random() < 0.2:
            self.relate(e, RG.relative, self.pick("Person"), "is a relative of")
        if rng.random() < 0.5 or self.summary.claims == before:  # every person is in some claim
            self.relate(e, RG.nationality, self.pick("Country"), "is a national of")

    def document(self, cls: str, n: int) -> None:
        rng = self.rng
        title = f"{_word(n + 21)} {cls.lower()} on detention, volume {n}"
        e = self.entity(cls, "document", title, [f"{cls} {n}"])
        self.relate(e, RG.author, self.pick("Person", "NGO"), "was written by")
        publisher = self._anchor("hrnk") if n % 10 == 1 else self.pick("NGO", "UNBody", "MediaOrganization")
        self.relate(e, RG.publisher, publisher, "was published by")
        self.value(e, RG.published, self.date(), "was published")
        if rng.random() < 0.6:
            self.relate(e, RG.about, self.pick("facility", "Group"), "is about")
        if rng.random() < 0.3 or n % 50 == 1:  # some findings hold a backslash and quotes, to check escaping
            self.value(e, RG.finding, literal('Prisoners are held without trial; "\\" marks a redaction.'
                                              if n % 50 == 1 else "Conditions in the camps are life-threatening."),
                       "finds")
        if rng.random() < 0.3:
            self.value(e, RG.pageCount, _int(rng.randint(8, 600)), "runs to pages")

    def event(self, cls: str, n: int) -> None:
        rng = self.rng
        e = self.entity(cls, "event", f"{cls} at {_word(n + 31)}, event {n}", [])
        self.value(e, RG.date, self.date(), "took place")
        self.relate(e, RG.place, self.pick("City", "Venue", "facility"), "took place at")
        if cls in ("Abduction", "Execution", "Detention", "ForcedReturn"):
            self.relate(e, RG.victim, self.pick("Person"), "had as its victim")
            if cls == "Abduction" and rng.random() < 0.3:
                self.value(e, RG.startDate, literal(str(rng.randint(1970, 1990)), XSD.gYear), "began")
        elif cls == "Vote":
            self.relate(e, RG.votingBody, self.pick("UNBody", "IntergovernmentalOrganization"), "was a vote of")
            self.relate(e, RG.onDocument, self.pick("Resolution", "document"), "was on")
            for prop in (RG.votesFor, RG.votesAgainst, RG.abstentions):
                self.value(e, prop, _int(rng.randint(0, 130)), "was counted")
        elif cls == "Sanction":
            us = self.summary.per_class[cls] % 2 == 1  # every other sanction is the United States'
            self.relate(e, RG.imposedBy, self._anchor("us") if us else self.pick("Government"), "was imposed by")
            self.relate(e, RG.target, self.pick("Person"), "targeted")
        elif cls == "Famine":
            self.figure(e, RG.deathCount, "deaths", 600_000, 3)
        else:
            self.relate(e, RG.organizer, self.pick("org"), "was held by")
            self.relate(e, RG.participant, self.pick("Person"), "had as a participant")

    def _anchor(self, key: str) -> tuple[str, str]:
        a = self.anchors[key]
        return a.iri, a.label

    # -- the schedule --------------------------------------------------------------------------

    def schedule(self) -> list[tuple[str, str]]:
        """One round of entities: every class of the ontology, places first, so that targets exist."""
        by_kind: dict[str, list[str]] = {}
        for c in sorted(self.onto.classes):
            kind = self.onto.kind_of(c)
            if kind in ("person", "org", "group", "facility", "place", "document", "event"):
                by_kind.setdefault(kind, []).append(str(c).rsplit("#", 1)[1])
        extra = {"place": ["Province", "Province", "City"], "person": ["Person"] * 19, "group": ["Group"]}
        order = ("place", "org", "group", "facility", "person", "document", "event")
        rounds = [(kind, cls) for kind in order for cls in by_kind[kind] + extra.get(kind, [])]
        # interleave people with the rest so that every kind of target is recent
        people = [r for r in rounds if r[0] == "person"]
        rest = [r for r in rounds if r[0] != "person"]
        step = max(1, len(rest) // len(people))
        mixed = []
        for i, r in enumerate(rest):
            mixed.append(r)
            if i % step == step - 1 and people:
                mixed.append(people.pop())
        return mixed + people

    def run(self) -> Summary:
        self.activities()
        self.sources()
        self.flush()
        self.anchor_entities()
        counts: dict[str, int] = {}
        makers: dict[str, Callable[[str, int], object]] = {
            "place": self.place, "org": self.org, "group": lambda c, n: self.group(n),
            "facility": self.facility, "person": lambda c, n: self.person(n), "document": self.document,
            "event": self.event}
        rounds = self.schedule()
        while not self.full:
            for kind, cls in rounds:
                counts[kind] = counts.get(kind, 0) + 1
                made = makers[kind](cls, counts[kind])
                if kind == "facility" and cls == "PoliticalPrisonCamp" and "entity" not in self.summary.params:
                    self._remember(made)
                self.flush()
                if self.full:
                    break
        return self.summary

    def _remember(self, e: _Entity) -> None:
        """Keep the first political prison camp as the benchmark's entity to look up (and the parameters of the
        named queries: ``seen="*"`` for the leak query, since the dump is an internal store that sees every level)."""
        sid = self.source_id(e.source)
        self.summary.params.update(entity=e.iri, label=e.label, source=sid, text=e.label, status="reviewed", seen="*",
                                   claim=str(claim_iri(sid, f"entity-facility-{e.iri.rsplit('/', 1)[1]}")))


def generate(out, quads: int, seed: int = 1, onto: ontology_mod.Ontology | None = None) -> Summary:
    """Write about ``quads`` quads of synthetic claims as N-Quads to the text stream ``out``."""
    return _Generator(out, quads, seed, onto or ontology_mod.load(ONTOLOGY)).run()


def write(path: Path, quads: int, seed: int = 1) -> Summary:
    """Write a synthetic dump of about ``quads`` quads to ``path`` (UTF-8 N-Quads)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        return generate(out, quads, seed)


def text(quads: int, seed: int = 1) -> str:
    """Return a small synthetic dump as a string."""
    buf = io.StringIO()
    generate(buf, quads, seed)
    return buf.getvalue()


if __name__ == "__main__":  # pragma: no cover
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Write synthetic rightsgraph claims as N-Quads.")
    parser.add_argument("quads", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(write(args.output, args.quads, args.seed).__dict__, indent=1))
