"""Claims as authored: the YAML of ``graph/`` read into records, checked, and anchored in the corpus.

Every record keeps the file and line it came from, so that every problem names both. Loading
collects all problems before it fails, so one run shows everything a curator has to fix.
The format is documented in ``docs/authoring.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from rdflib import XSD, Literal, URIRef

from . import ontology as ontology_mod
from .corpus import Corpus
from .errors import DataError, Problem
from .namespaces import CURATION, KINDS, RG, RGV, claim_iri, entity_iri, source_iri
from .paths import Paths

ID_RE = re.compile(r"^([a-z]+)/([a-z0-9][a-z0-9-]*)$")
MAX_QUOTE = 300
ANCHORS_FILE = "anchors.tsv"
_NOT_FACTS = {RG.Figure, RG.ViolationReport, RG.Claim, RG.Source}


# --------------------------------------------------------------------------------------------
# YAML with line numbers
# --------------------------------------------------------------------------------------------

class _LineDict(dict):
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """A safe YAML loader whose mappings carry line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    mapping = _LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date, or its text when it only looks like one (2026-12-32), so that the check names its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path, label: str) -> Any:
    """Parse a YAML file; a syntax error becomes a DataError naming ``label`` and the line."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise DataError([Problem(label, line, f"YAML error: {exc.problem or exc.context}")]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(label, 0, f"not UTF-8 text ({exc.reason})")]) from None


def _line(d: Any, key: str | None = None) -> int:
    if isinstance(d, _LineDict):
        return d.key_lines.get(key, d.line) if key else d.line
    return 0


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

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
        return _ref_iri(self.subject)


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
    # who reviewed the record against its source and when; its record claim carries it
    reviewed_by: str | None = None
    reviewed_on: Literal | None = None

    @property
    def kind(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def iri(self) -> URIRef:
        return _ref_iri(self.id)


@dataclass
class Collection:
    """Everything authored under ``graph/``: sources, entities and claims (entity records included)."""

    sources: dict[str, SourceRecord]
    entities: dict[str, Entity]
    claims: list[Claim]

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


def _ref_iri(ref: str) -> URIRef:
    kind, slug = ref.split("/", 1)
    return URIRef(str(RGV) + slug) if kind == "violation" else entity_iri(kind, slug)


# --------------------------------------------------------------------------------------------
# Value parsing
# --------------------------------------------------------------------------------------------

class _FieldError(ValueError):
    """A value error about one key of a mapping, reported at that key's line."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def parse_date(value: Any) -> Literal:
    """Turn a YAML value into an xsd:date, xsd:gYearMonth or xsd:gYear literal.

    >>> parse_date(2013), parse_date("2013-12"), parse_date(dt.date(2013, 12, 8))
    (rdflib.term.Literal('2013', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear')), rdflib.term.Literal('2013-12', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')), rdflib.term.Literal('2013-12-08', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')))
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            dt.date.fromisoformat(text)
        except ValueError as exc:  # 2013-02-30
            raise ValueError(f"{value!r} is not a date: {exc}") from None
        return Literal(text, datatype=XSD.date)
    raise ValueError(f"{value!r} is not a date: write 2013, \"2013-12\" or 2013-12-08")


def parse_number(value: Any, integer: bool = False) -> Literal:
    """Turn a YAML number into an xsd:integer or xsd:decimal literal.

    >>> parse_number(46500, integer=True), parse_number(0.25)
    (rdflib.term.Literal('46500', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer')), rdflib.term.Literal('0.25', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal')))
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"{value!r} is not a number: write digits only, without separators")
    if integer or (isinstance(value, int)):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return Literal(str(int(value)), datatype=XSD.integer)
    try:
        return Literal(str(Decimal(str(value))), datatype=XSD.decimal)
    except InvalidOperation as exc:  # pragma: no cover - floats always convert
        raise ValueError(str(exc)) from None


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

class _Reader:
    """Reads the YAML files of one project and gathers problems."""

    def __init__(self, paths: Paths, onto: ontology_mod.Ontology):
        self.paths = paths
        self.onto = onto
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.paths.root))
        except ValueError:
            return str(path)

    def fail(self, origin: Origin, message: str, line: int | None = None) -> None:
        self.problems.append(origin.problem(message, line))

    # -- sources ------------------------------------------------------------------------------
    def sources(self) -> dict[str, SourceRecord]:
        path = self.paths.graph / "sources.yaml"
        label = self.rel(path)
        if not path.exists():
            self.problems.append(Problem(label, 0, "missing: the list of source records"))
            return {}
        data = read_yaml(path, label) or []
        out: dict[str, SourceRecord] = {}
        if not isinstance(data, list):
            self.problems.append(Problem(label, 1, "expected a list of source records"))
            return out
        for item in data:
            origin = Origin(label, _line(item))
            if not isinstance(item, dict):
                self.fail(origin, "a source record must be a mapping")
                continue
            missing = [k for k in ("id", "file", "title", "publisher", "url", "sha256") if not item.get(k)]
            if missing:
                self.fail(origin, f"source record lacks {', '.join(missing)}")
                continue
            if item["id"] in out:
                self.fail(origin, f"duplicate source id {item['id']!r} (first at line {out[item['id']].origin.line})")
                continue
            out[item["id"]] = SourceRecord(
                id=str(item["id"]), file=str(item["file"]), title=str(item["title"]),
                publisher=str(item["publisher"]), url=str(item["url"]), sha256=str(item["sha256"]).lower(),
                origin=origin, publisher_entity=item.get("publisher_entity"),
                license=item.get("license"), latest=item.get("latest"),
                path=str(item["path"]) if item.get("path") else None,
            )
        return out

    # -- evidence -----------------------------------------------------------------------------
    def evidence(self, item: dict, origin: Origin, source: str, sources: dict) -> Evidence | None:
        quote = item.get("quote")
        qline = _line(item, "quote")
        if not isinstance(quote, str) or not quote.strip():
            self.fail(origin, "lacks a quote: every fact needs the exact passage of its source", qline)
            return None
        if len(quote) > MAX_QUOTE:
            self.fail(origin, f"quote is {len(quote)} characters; keep it under {MAX_QUOTE} (the clause that carries the fact)", qline)
        if source not in sources:
            self.fail(origin, f"unknown source {source!r}: not in graph/sources.yaml", _line(item, "source"))
            return None
        occurrence = item.get("occurrence", 1)
        if not isinstance(occurrence, int) or occurrence < 1:
            self.fail(origin, "occurrence must be a whole number from 1", _line(item, "occurrence"))
            occurrence = 1
        return Evidence(source=source, quote=quote, occurrence=occurrence, quote_line=qline)

    # -- entities -----------------------------------------------------------------------------
    def entities(self, sources: dict) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        folder = self.paths.graph / "entities"
        for path in sorted(folder.glob("*.yaml")):
            label = self.rel(path)
            data = read_yaml(path, label) or []
            if not isinstance(data, list):
                self.problems.append(Problem(label, 1, "expected a list of entity records"))
                continue
            for item in data:
                entity = self.entity(item, Origin(label, _line(item)), sources)
                if entity is None:
                    continue
                if entity.id in out:
                    first = out[entity.id].origin
                    self.fail(entity.origin, f"duplicate entity id {entity.id!r} (first in {first.file}:{first.line})")
                    continue
                out[entity.id] = entity
        return out

    def entity(self, item: Any, origin: Origin, sources: dict) -> Entity | None:
        if not isinstance(item, dict):
            self.fail(origin, "an entity record must be a mapping")
            return None
        unknown = set(item) - {"id", "type", "label", "aliases", "description", "source", "quote", "occurrence",
                               "method", "confidence", "reviewed"}
        if unknown:
            self.fail(origin, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        ident = item.get("id")
        m = ID_RE.match(str(ident or ""))
        if not m or m.group(1) not in KINDS or m.group(1) in ("violation", "source"):
            kinds = ", ".join(k for k in KINDS if k not in ("violation", "source"))
            self.fail(origin, f"id {ident!r} must be <kind>/<slug> with kind one of {kinds} and a lower-case slug", _line(item, "id"))
            return None
        cls = self.onto.class_named(str(item.get("type", "")))
        if cls is None:
            self.fail(origin, f"{ident}: unknown type {item.get('type')!r}: not a class of the ontology", _line(item, "type"))
            return None
        if self.onto.kind_of(cls) != m.group(1):
            self.fail(origin, f"{ident}: type {item['type']} is not of kind {m.group(1)!r} (it is {self.onto.kind_of(cls)!r})", _line(item, "type"))
            return None
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            self.fail(origin, f"{ident}: needs exactly one English label", _line(item, "label"))
            return None
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not all(isinstance(a, (str, int)) for a in aliases):
            self.fail(origin, f"{ident}: aliases must be a list of names", _line(item, "aliases"))
            aliases = []
        aliases = [str(a) for a in aliases]
        if len(set(aliases)) != len(aliases) or label in aliases:
            self.fail(origin, f"{ident}: an alias is repeated or equals the label", _line(item, "aliases"))
        evidence = self.evidence(item, origin, str(item.get("source", "")), sources)
        if evidence is None:
            return None
        activity, confidence = self.method(item, origin)
        reviewed_by, reviewed_on = self.reviewed(item, origin)
        return Entity(id=str(ident), type=cls, label=label.strip(), aliases=aliases, origin=origin,
                      evidence=evidence, description=item.get("description"), activity=activity, confidence=confidence,
                      reviewed_by=reviewed_by, reviewed_on=reviewed_on)

    def method(self, item: dict, origin: Origin) -> tuple[URIRef, float | None]:
        """The activity (``method``: an extraction rule's IRI, else curation) and ``confidence`` (0 to 1) of a record."""
        activity, confidence = CURATION, item.get("confidence")
        if item.get("method"):
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", str(item["method"])):
                self.fail(origin, f"method {item['method']!r} is not an IRI (an extraction rule's activity)", _line(item, "method"))
            else:
                activity = URIRef(str(item["method"]))
        if confidence is not None:
            if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
                self.fail(origin, f"confidence {confidence!r} must be a number from 0 to 1", _line(item, "confidence"))
                confidence = None
            else:
                confidence = float(confidence)
        return activity, confidence

    # -- claims -------------------------------------------------------------------------------
    def claims(self, sources: dict, entities: dict) -> list[Claim]:
        out: list[Claim] = []
        folder = self.paths.graph / "claims"
        for path in sorted(folder.glob("*.yaml")):
            label = self.rel(path)
            data = read_yaml(path, label)
            if not isinstance(data, dict) or "claims" not in data or "source" not in data:
                self.problems.append(Problem(label, 1, "expected a mapping with 'source:' (a source id) and 'claims:' (a list)"))
                continue
            source = str(data["source"])
            if source not in sources:
                self.problems.append(Problem(label, _line(data, "source"), f"unknown source {source!r}: not in graph/sources.yaml"))
                continue
            for item in data["claims"] or []:
                claim = self.claim(item, Origin(label, _line(item)), source, sources, entities)
                if claim is not None:
                    out.append(claim)
        return out

    def ref(self, value: Any, origin: Origin, line: int, entities: dict, what: str) -> URIRef | None:
        text = str(value)
        m = ID_RE.match(text)
        if m and m.group(1) == "violation":
            iri = _ref_iri(text)
            if iri in self.onto.violation_types:
                return iri
            self.fail(origin, f"unknown violation type {text!r}: not in the ontology's scheme", line)
            return None
        if text in entities:
            return entities[text].iri
        self.fail(origin, f"unknown entity {text!r} ({what})", line)
        return None

    def claim(self, item: Any, origin: Origin, source: str, sources: dict, entities: dict) -> Claim | None:
        if not isinstance(item, dict):
            self.fail(origin, "a claim must be a mapping")
            return None
        allowed = {"id", "subject", "quote", "facts", "predicate", "object", "value", "certainty",
                   "according_to", "attribution", "as_of", "occurrence", "access", "note", "source",
                   "confidence", "method", "reviewed"}
        unknown = set(item) - allowed
        if unknown:
            self.fail(origin, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        subject = str(item.get("subject", ""))
        ok = True
        if subject not in entities:
            self.fail(origin, f"unknown entity {subject!r} (subject)", _line(item, "subject"))
            ok = False
        facts_in = item.get("facts")
        if facts_in is None and "predicate" in item:
            facts_in = {item["predicate"]: item.get("object", item.get("value"))}
        if not isinstance(facts_in, dict) or not facts_in:
            self.fail(origin, "needs 'facts:' (predicate: value pairs)", _line(item, "facts"))
            return None
        as_of = None
        if item.get("as_of") is not None:
            try:
                as_of = parse_date(item["as_of"])
            except ValueError as exc:
                self.fail(origin, str(exc), _line(item, "as_of"))
        facts: list[Fact] = []
        for name, raw in facts_in.items():
            fline = _line(facts_in, name) or origin.line
            for fact in self.facts(str(name), raw, origin, fline, entities, subject, claim_as_of=as_of):
                facts.append(fact)
        evidence = self.evidence(item, origin, str(item.get("source", source)), sources)
        certainty = str(item.get("certainty", "reported"))
        if certainty not in self.onto.certainties:
            self.fail(origin, f"certainty {certainty!r} is not one of {', '.join(sorted(self.onto.certainties))}", _line(item, "certainty"))
        access = str(item.get("access", "public"))
        if access not in self.onto.access_levels:
            self.fail(origin, f"access {access!r} is not one of {', '.join(sorted(self.onto.access_levels))}", _line(item, "access"))
        according = item.get("according_to")
        if according is not None:
            according = str(according)
            if according not in entities:
                self.fail(origin, f"unknown entity {according!r} (according_to)", _line(item, "according_to"))
        reviewed_by, reviewed_on = self.reviewed(item, origin)
        if not ok or evidence is None or len(facts) == 0:
            return None
        key = str(item["id"]) if item.get("id") else claim_key(subject, self.key_facts(facts_in))
        activity, confidence = self.method(item, origin)
        return Claim(
            key=key, source=evidence.source, subject=subject, facts=facts, evidence=evidence, origin=origin,
            certainty=certainty, according_to=according, attribution=item.get("attribution"),
            as_of=as_of, access=access, note=item.get("note"),
            activity=activity, confidence=confidence, reviewed_by=reviewed_by, reviewed_on=reviewed_on,
        )

    def reviewed(self, item: dict, origin: Origin) -> tuple[str | None, Literal | None]:
        """The reviewer and day of ``reviewed: {by: reviewer-a, on: "2026-12-07"}``, or (None, None)."""
        if "reviewed" not in item:
            return None, None
        raw, line = item["reviewed"], _line(item, "reviewed")
        if not isinstance(raw, dict):
            self.fail(origin, 'reviewed must be a mapping: reviewed: {by: <reviewer>, on: "YYYY-MM-DD"}', line)
            return None, None
        # YAML 1.1 reads a bare `on` as the boolean true: that key is `on`
        on_key = "on" if "on" in raw or True not in raw else True
        unknown = [k for k in raw if k not in ("by", on_key)]
        if unknown:
            self.fail(origin, f"unknown reviewed field(s) {', '.join(sorted(map(str, unknown)))}: give by and on only",
                      _line(raw, unknown[0]) or line)
        by, on = raw.get("by"), raw.get(on_key)
        ok = True
        if not isinstance(by, str) or not by.strip():
            self.fail(origin, "reviewed: by must name the reviewer (reviewer-a, reviewer-b ...)", _line(raw, "by") or line)
            ok = False
        day = None
        if on is None:
            self.fail(origin, 'reviewed: on must give the day of the review as "YYYY-MM-DD"', line)
            ok = False
        else:
            try:
                day = parse_date(on)
            except ValueError as exc:
                self.fail(origin, f"reviewed: on: {exc}", _line(raw, on_key) or line)
                ok = False
            else:
                if day.datatype != XSD.date:
                    self.fail(origin, f'reviewed: on: {on!r} is not a day: write "YYYY-MM-DD"', _line(raw, on_key) or line)
                    ok = False
        return (by.strip(), day) if ok else (None, None)

    def key_facts(self, facts_in: dict) -> dict:
        """The facts as the claim key sees them: a figure's measure and dating are left out.

        They say what a figure counts and when, not which figure it is; so that recording them (a
        review adds them to most figures) keeps the claim's key, a figure mapping without them that
        holds only a value counts as the bare number (``{value: 46500, as_of: 2013}`` is ``46500``).
        """
        out = {}
        for name, raw in facts_in.items():
            prop = self.onto.properties.get(str(name))
            if prop is None or prop.value != "figure":
                out[name] = raw
                continue
            values = [_figure_for_key(v) for v in raw] if isinstance(raw, list) else _figure_for_key(raw)
            out[name] = values
        return out

    def facts(self, name: str, raw: Any, origin: Origin, line: int, entities: dict, subject: str,
              claim_as_of: Literal | None = None):
        prop = self.onto.properties.get(name)
        if prop is None:
            self.fail(origin, f"unknown predicate {name!r}: not a property of the ontology", line)
            return
        if prop.domain in _NOT_FACTS:
            self.fail(origin, f"{name!r} describes a {self.onto.label(prop.domain)}, not an entity: use it inside a figure or violation mapping", line)
            return
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            self.fail(origin, f"{name}: no value", line)
        for value in values:
            try:
                parsed = self.value(prop, value, origin, line, entities, claim_as_of)
            except ValueError as exc:
                self.fail(origin, f"{name}: {exc}", getattr(exc, "line", 0) or line)
                continue
            if parsed is not None:
                if prop.value == "entity" and prop.range is not None and prop.range in self.onto.classes:
                    target = next((e for e in entities.values() if e.iri == parsed), None)
                    if target is not None and not self.onto.is_a(target.type, prop.range):
                        self.fail(origin, f"{name}: {target.id} is a {self.onto.label(target.type)}, but {name} takes a {self.onto.label(prop.range)}", line)
                        continue
                if prop.domain is not None and prop.domain in self.onto.classes and subject in entities:
                    if not self.onto.is_a(entities[subject].type, prop.domain):
                        self.fail(origin, f"{name}: the subject {subject} is a {self.onto.label(entities[subject].type)}, but {name} applies to a {self.onto.label(prop.domain)}", line)
                        continue
                yield Fact(predicate=prop, value=parsed, line=line)

    def value(self, prop: ontology_mod.Property, value: Any, origin: Origin, line: int, entities: dict,
              claim_as_of: Literal | None = None):
        kind = prop.value
        if kind == "entity":
            return self.ref(value, origin, line, entities, prop.name)
        if kind == "date":
            return parse_date(value)
        if kind == "integer":
            return parse_number(value, integer=True)
        if kind == "decimal":
            return parse_number(value)
        if kind == "string":
            if isinstance(value, (dict, list)) or value is None:
                raise ValueError(f"{value!r} is not text")
            return Literal(str(value))
        if kind == "figure":
            return self.figure(value, prop, claim_as_of)
        if kind == "violation":
            return self.violation(value, origin, line, entities)
        raise ValueError(f"cannot read a value of kind {kind}")  # pragma: no cover

    def figure(self, value: Any, prop: ontology_mod.Property | None = None,
               claim_as_of: Literal | None = None) -> Figure:
        """Read a figure: a bare number, or a mapping of FIGURE_FIELDS (``docs/authoring.md``).

        A claim's ``as_of`` (``claim_as_of``) dates its figures as their own ``as_of`` does.
        """
        default = self.onto.default_measure(prop.iri) if prop is not None else None
        if not isinstance(value, dict):
            return Figure(value=parse_number(value), measure=default)
        unknown = set(value) - FIGURE_FIELDS
        if unknown:
            raise ValueError(f"unknown figure field(s) {', '.join(sorted(map(str, unknown)))}")

        def at(key: str) -> int:
            return _line(value, key) if isinstance(value, _LineDict) and key in value.key_lines else 0

        measure = default
        if "measure" in value:
            measure = self.onto.measures.get(str(value["measure"]))
            if measure is None:
                raise _FieldError(f"unknown measure {value['measure']!r}: not in the ontology's list of measures "
                                  "(rg:measures; docs/authoring.md lists them; use other with a unit if none fits)",
                                  at("measure"))
        try:
            as_of = parse_date(value["as_of"]) if "as_of" in value else None
        except ValueError as exc:
            raise _FieldError(f"as_of: {exc}", at("as_of")) from None
        dated = as_of if as_of is not None else claim_as_of
        by_publication = False
        if "dated_by" in value:
            if value["dated_by"] != "publication":
                raise _FieldError(f"dated_by {value['dated_by']!r}: the only value is publication (the figure's "
                                  "only date is the document's own publication or capture date)", at("dated_by"))
            if dated is None:
                raise _FieldError("dated_by: publication needs as_of (the document's publication or capture date)",
                                  at("dated_by"))
            by_publication = True
        undated = None
        if "undated" in value:
            undated = value["undated"]
            if not isinstance(undated, str) or not undated.strip():
                raise _FieldError("undated needs the reason in plain words (why the source's figure has no date)",
                                  at("undated"))
            undated = undated.strip()
            if dated is not None:
                whose = "the figure" if as_of is not None else "its claim"
                raise _FieldError(f"undated, but {whose} has as_of {dated}: give one or the other", at("undated"))
            if by_publication:
                raise _FieldError("undated and dated_by together: a figure is either dated or undated", at("undated"))
        fig = Figure(
            value=parse_number(value["value"]) if "value" in value else None,
            low=parse_number(value["low"]) if "low" in value else None,
            high=parse_number(value["high"]) if "high" in value else None,
            unit=str(value["unit"]) if "unit" in value else None,
            as_of=as_of,
            period=str(value["period"]) if "period" in value else None,
            qualifier=str(value["qualifier"]) if "qualifier" in value else None,
            stated_as=str(value["stated_as"]) if "stated_as" in value else None,
            measure=measure, dated_by_publication=by_publication, undated=undated,
        )
        if fig.value is None and fig.low is None and fig.high is None and fig.stated_as is None:
            raise ValueError("a figure needs a value, a low, a high, or stated_as (the source's words)")
        if fig.low is not None and fig.high is not None and fig.low.toPython() > fig.high.toPython():
            raise ValueError("the low end of the range is above the high end")
        return fig

    def violation(self, value: Any, origin: Origin, line: int, entities: dict) -> Violation | None:
        if not isinstance(value, dict):
            value = {"type": value}
        unknown = set(value) - {"type", "victims", "perpetrators"}
        if unknown:
            raise ValueError(f"unknown violation field(s) {', '.join(sorted(unknown))}")
        vtype = self.ref(value.get("type"), origin, line, entities, "violation type")
        if vtype is None or vtype not in self.onto.violation_types:
            if vtype is not None:
                self.fail(origin, f"{value.get('type')!r} is not a violation type", line)
            return None

        def refs(key: str) -> list[URIRef]:
            raw = value.get(key) or []
            raw = raw if isinstance(raw, list) else [raw]
            return [r for r in (self.ref(x, origin, line, entities, key) for x in raw) if r is not None]

        return Violation(type=vtype, victims=refs("victims"), perpetrators=refs("perpetrators"))


#: The keys of a figure mapping.
FIGURE_FIELDS = {"value", "low", "high", "unit", "as_of", "period", "qualifier", "stated_as",
                 "measure", "dated_by", "undated"}
#: The keys of a figure mapping that say what it counts and when, left out of the claim key.
_FIGURE_ANNOTATIONS = {"measure", "as_of", "dated_by", "undated"}


def _figure_for_key(value: Any) -> Any:
    """A figure as the claim key sees it (:meth:`_Reader.key_facts`).

    >>> _figure_for_key({"value": 46500, "as_of": 2013, "measure": "prisoners"}), _figure_for_key({"high": 5, "undated": "x"})
    (46500, {'high': 5})
    """
    if not isinstance(value, dict):
        return value
    kept = {k: v for k, v in value.items() if k not in _FIGURE_ANNOTATIONS}
    return kept["value"] if set(kept) == {"value"} else kept


def _canonical(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_canonical(value[k])}" for k in sorted(value, key=str)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    return str(value)


def claim_key(subject: str, facts: dict) -> str:
    """Return the stable key of a claim: a hash of its subject and facts (not of its quote).

    >>> claim_key("facility/kwanliso-15", {"prisonerCount": 46500})
    '8f04c156a4'
    """
    return hashlib.sha1(f"{subject}|{_canonical(facts)}".encode()).hexdigest()[:10]


def _distinguish(claims: list[Claim], problems: list[Problem]) -> None:
    """Give distinct keys to claims of one source that state the same facts from different passages.

    Such claims are extra evidence, not duplicates; each key then also carries a digest of its
    quote. Claims that repeat the same facts with the same quote are reported.
    """
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        groups.setdefault(str(c.iri), []).append(c)
    for group in groups.values():
        if len(group) == 1:
            continue
        quotes: dict[tuple[str, int], Claim] = {}
        for c in group:
            q = (c.evidence.quote, c.evidence.occurrence)
            if q in quotes:
                other = quotes[q]
                problems.append(c.origin.problem(
                    f"duplicate claim: same subject, facts and quote as {other.origin.file}:{other.origin.line}"))
                continue
            quotes[q] = c
            c.former_key = c.key
            c.key = f"{c.key}-{quote_digest(c.evidence.quote)[:6]}" + (f"-{c.evidence.occurrence}" if c.evidence.occurrence > 1 else "")


def _entity_claims(entities: dict[str, Entity]) -> list[Claim]:
    """The claim that records each entity's type, label and aliases, from the passage that names it."""
    out = []
    for e in entities.values():
        out.append(Claim(key=f"entity-{e.kind}-{e.id.split('/', 1)[1]}", source=e.evidence.source,
                         subject=e.id, facts=[], evidence=e.evidence, origin=e.origin, entity=e,
                         activity=e.activity, confidence=e.confidence,
                         reviewed_by=e.reviewed_by, reviewed_on=e.reviewed_on))
    return out


def _check_names(entities: dict[str, Entity], problems: list[Problem]) -> None:
    """One node per real-world entity: two entities of one kind may not share a name."""
    seen: dict[tuple[str, str], Entity] = {}
    for e in entities.values():
        for name in [e.label, *e.aliases]:
            k = (e.kind, normalize_name(name))
            other = seen.get(k)
            if other is not None and other.id != e.id:
                problems.append(e.origin.problem(
                    f"{e.id} and {other.id} ({other.origin.file}:{other.origin.line}) share the name {name!r}: one entity or two?"))
            seen.setdefault(k, e)


def normalize_name(name: str) -> str:
    """Fold a name for lookups: case, hyphens, apostrophes, punctuation and spacing do not count.

    >>> normalize_name("Kwan-li-so No. 15") == normalize_name("kwan li so no 15")
    True
    """
    folded = name.casefold().replace("’", "'").replace("ŭ", "u").replace("ŏ", "o")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def load(paths: Paths, corpus: Corpus | None = None, onto: ontology_mod.Ontology | None = None,
         candidates: Any = None) -> Collection:
    """Read and check everything under ``graph/``, and anchor every quote.

    With a corpus, quotes are found in their sources and the offsets recorded in
    ``graph/anchors.tsv``; without one, the recorded offsets are used. A source whose text is not in
    the corpus is read from its record's ``path`` (relative to the project root). ``candidates``
    (a :class:`rightsgraph.review.Candidates`) adds the items of review files, with their own offsets.
    Raises DataError listing every problem found.
    """
    onto = onto or ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    reader = _Reader(paths, onto)
    sources = reader.sources()
    entities = reader.entities(sources)
    claims = reader.claims(sources, entities)
    if candidates is not None:
        from .review import load_candidates

        claims += load_candidates(reader, sources, entities, claims, candidates, corpus)
    problems = reader.problems
    _check_names(entities, problems)
    for s in sources.values():
        if s.publisher_entity and s.publisher_entity not in entities:
            problems.append(s.origin.problem(f"unknown entity {s.publisher_entity!r} (publisher_entity)"))
    all_claims = _entity_claims(entities) + claims
    _distinguish(all_claims, problems)
    anchors_path = paths.graph / ANCHORS_FILE
    anchors = read_anchors(anchors_path)
    unanchored = [c for c in all_claims if c.evidence.start is None]  # candidates come with their offsets
    if corpus is not None:
        from .review import external_sources

        external, texts, ext_problems = external_sources(paths, sources, corpus)
        problems.extend(ext_problems)
        problems.extend(corpus.check_sources({k: s for k, s in sources.items() if k not in external}))
        anchors = anchor([c for c in unanchored if c.evidence.source not in external or c.evidence.source in texts.files],
                         sources, corpus, problems, texts)
    else:
        apply_anchors(unanchored, anchors, problems)
    if problems:
        raise DataError(problems)
    collection = Collection(sources=sources, entities=entities, claims=all_claims)
    collection.anchors = anchors  # type: ignore[attr-defined]
    return collection


# --------------------------------------------------------------------------------------------
# Anchors: the offsets of every quote, kept in graph/anchors.tsv
# --------------------------------------------------------------------------------------------

def quote_digest(quote: str) -> str:
    """Return a short digest of a quote, to tell whether recorded offsets still belong to it."""
    return hashlib.sha1(quote.encode("utf-8")).hexdigest()[:12]


def read_anchors(path: Path) -> dict[str, tuple[int, int, str]]:
    """Read ``anchors.tsv``: claim graph IRI -> (start, end, quote digest)."""
    out: dict[str, tuple[int, int, str]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("graph\t"):
            continue
        graph, start, end, digest = line.split("\t")
        out[graph] = (int(start), int(end), digest)
    return out


def write_anchors(path: Path, anchors: dict[str, tuple[int, int, str]]) -> bool:
    """Write ``anchors.tsv`` atomically if it changed; return True if it was written."""
    lines = ["# Offsets of every quote in its source, computed by `rightsgraph build --corpus DIR`. Generated: do not edit.",
             "graph\tstart\tend\tquote_sha1"]
    lines += [f"{g}\t{s}\t{e}\t{d}" for g, (s, e, d) in sorted(anchors.items())]
    text = "\n".join(lines) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".anchors-", suffix=".tsv")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
    return True


def anchor(claims: list[Claim], sources: dict[str, SourceRecord], corpus: Corpus, problems: list[Problem],
           texts: Any = None) -> dict:
    """Find every quote in its source text (``texts[source id]`` if given, else the corpus file) and set its offsets;
    return the anchors table."""
    anchors = {}
    for c in claims:
        ev = c.evidence
        text = texts[ev.source] if texts is not None and ev.source in texts else corpus.text(sources[ev.source])
        if text is None:
            continue  # reported by check_sources
        start = -1
        for _ in range(ev.occurrence):
            start = text.find(ev.quote, start + 1)
            if start < 0:
                break
        if start < 0:
            where = "" if ev.occurrence == 1 else f" {ev.occurrence} times"
            problems.append(Problem(c.origin.file, ev.quote_line or c.origin.line,
                                    f"quote not found{where} in source {ev.source!r}: {ev.quote[:70]!r}"))
            continue
        ev.start, ev.end = start, start + len(ev.quote)
        anchors[str(c.iri)] = (ev.start, ev.end, quote_digest(ev.quote))
    return anchors


def apply_anchors(claims: list[Claim], anchors: dict, problems: list[Problem]) -> None:
    """Set each claim's offsets from the recorded anchors (the build without a corpus)."""
    for c in claims:
        rec = anchors.get(str(c.iri))
        if rec is None and c.former_key:  # offsets recorded before a candidate with the same facts came along
            rec = anchors.get(str(claim_iri(c.source, c.former_key)))
        if rec is None or rec[2] != quote_digest(c.evidence.quote):
            problems.append(Problem(c.origin.file, c.evidence.quote_line or c.origin.line,
                                    "no recorded offsets for this quote: run `rightsgraph build --corpus DIR` to record them"))
            continue
        c.evidence.start, c.evidence.end = rec[0], rec[1]
