"""Reading the YAML of ``graph/`` into records: every field checked against the ontology, every problem
kept with its file and line so that one run shows everything a curator has to fix.
The format is documented in ``docs/authoring.md``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import XSD, Literal, URIRef

from rightsgraph.claims.records import (MAX_QUOTE, Claim, Entity, Evidence, Fact, Figure, Origin, SourceRecord,
                                        Violation, ref_iri)
from rightsgraph.claims.yamlfile import LineDict, line_of, read_yaml
from rightsgraph.errors import Problem
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import CURATION, KINDS, RG
from rightsgraph.paths import Paths

ID_RE = re.compile(r"^([a-z]+)/([a-z0-9][a-z0-9-]*)$")
_NOT_FACTS = {RG.Figure, RG.ViolationReport, RG.Claim, RG.Source}


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


class Reader:
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
            origin = Origin(label, line_of(item))
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
                access=self.access(item, origin),
            )
        return out

    # -- evidence -----------------------------------------------------------------------------
    def evidence(self, item: dict, origin: Origin, source: str, sources: dict) -> Evidence | None:
        quote = item.get("quote")
        qline = line_of(item, "quote")
        if not isinstance(quote, str) or not quote.strip():
            self.fail(origin, "lacks a quote: every fact needs the exact passage of its source", qline)
            return None
        if len(quote) > MAX_QUOTE:
            self.fail(origin, f"quote is {len(quote)} characters; keep it under {MAX_QUOTE} (the clause that carries the fact)", qline)
        if source not in sources:
            self.fail(origin, f"unknown source {source!r}: not in graph/sources.yaml", line_of(item, "source"))
            return None
        occurrence = item.get("occurrence", 1)
        if not isinstance(occurrence, int) or occurrence < 1:
            self.fail(origin, "occurrence must be a whole number from 1", line_of(item, "occurrence"))
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
                entity = self.entity(item, Origin(label, line_of(item)), sources)
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
                               "method", "confidence", "reviewed", "access"}
        if unknown:
            self.fail(origin, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        ident = item.get("id")
        m = ID_RE.match(str(ident or ""))
        if not m or m.group(1) not in KINDS or m.group(1) in ("violation", "source"):
            kinds = ", ".join(k for k in KINDS if k not in ("violation", "source"))
            self.fail(origin, f"id {ident!r} must be <kind>/<slug> with kind one of {kinds} and a lower-case slug", line_of(item, "id"))
            return None
        cls = self.onto.class_named(str(item.get("type", "")))
        if cls is None:
            classes = [str(c).rsplit("#", 1)[-1] for c in self.onto.classes]
            self.fail(origin, f"{ident}: unknown type {item.get('type')!r}: not a class of the ontology"
                              f"{_did_you_mean(str(item.get('type', '')), classes)}", line_of(item, "type"))
            return None
        if self.onto.kind_of(cls) != m.group(1):
            self.fail(origin, f"{ident}: type {item['type']} is not of kind {m.group(1)!r} (it is {self.onto.kind_of(cls)!r})", line_of(item, "type"))
            return None
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            self.fail(origin, f"{ident}: needs exactly one English label", line_of(item, "label"))
            return None
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not all(isinstance(a, (str, int)) for a in aliases):
            self.fail(origin, f"{ident}: aliases must be a list of names", line_of(item, "aliases"))
            aliases = []
        aliases = [str(a) for a in aliases]
        if len(set(aliases)) != len(aliases) or label in aliases:
            self.fail(origin, f"{ident}: an alias is repeated or equals the label", line_of(item, "aliases"))
        evidence = self.evidence(item, origin, str(item.get("source", "")), sources)
        if evidence is None:
            return None
        activity, confidence = self.method(item, origin)
        reviewed_by, reviewed_on = self.reviewed(item, origin)
        return Entity(id=str(ident), type=cls, label=label.strip(), aliases=aliases, origin=origin,
                      evidence=evidence, description=item.get("description"), activity=activity, confidence=confidence,
                      reviewed_by=reviewed_by, reviewed_on=reviewed_on,
                      name_lines={label.strip(): line_of(item, "label"), **{a: line_of(item, "aliases") for a in aliases}},
                      access=self.access(item, origin))

    def access(self, item: dict, origin: Origin) -> str:
        """The ``access:`` of a record (default public): one of the ontology's access levels."""
        access = str(item.get("access", "public"))
        if access not in self.onto.access_levels:
            self.fail(origin, f"access {access!r} is not one of {', '.join(sorted(self.onto.access_levels))}",
                      line_of(item, "access"))
            return "public"
        return access

    def method(self, item: dict, origin: Origin) -> tuple[URIRef, float | None]:
        """The activity (``method``: an extraction rule's IRI, else curation) and ``confidence`` (0 to 1) of a record."""
        activity, confidence = CURATION, item.get("confidence")
        if item.get("method"):
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", str(item["method"])):
                self.fail(origin, f"method {item['method']!r} is not an IRI (an extraction rule's activity)", line_of(item, "method"))
            else:
                activity = URIRef(str(item["method"]))
        if confidence is not None:
            if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
                self.fail(origin, f"confidence {confidence!r} must be a number from 0 to 1", line_of(item, "confidence"))
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
                self.problems.append(Problem(label, line_of(data, "source"), f"unknown source {source!r}: not in graph/sources.yaml"))
                continue
            for item in data["claims"] or []:
                claim = self.claim(item, Origin(label, line_of(item)), source, sources, entities)
                if claim is not None:
                    out.append(claim)
        return out

    def ref(self, value: Any, origin: Origin, line: int, entities: dict, what: str) -> URIRef | None:
        text = str(value)
        m = ID_RE.match(text)
        if m and m.group(1) == "violation":
            iri = ref_iri(text)
            if iri in self.onto.violation_types:
                return iri
            self.fail(origin, f"unknown violation type {text!r}: not in the ontology's scheme", line)
            return None
        if text in entities:
            return entities[text].iri
        self.fail(origin, f"unknown entity {text!r} ({what}){_did_you_mean(text, entities)}", line)
        return None

    def claim(self, item: Any, origin: Origin, source: str, sources: dict, entities: dict) -> Claim | None:
        if not isinstance(item, dict):
            self.fail(origin, "a claim must be a mapping")
            return None
        allowed = {"id", "subject", "quote", "facts", "predicate", "object", "value", "certainty",
                   "according_to", "attribution", "as_of", "occurrence", "access", "note", "source",
                   "confidence", "method", "reviewed", "dated_by"}
        unknown = set(item) - allowed
        if unknown:
            self.fail(origin, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        subject = str(item.get("subject", ""))
        ok = True
        if subject not in entities:
            self.fail(origin, f"unknown entity {subject!r} (subject)", line_of(item, "subject"))
            ok = False
        facts_in = item.get("facts")
        if facts_in is None and "predicate" in item:
            facts_in = {item["predicate"]: item.get("object", item.get("value"))}
        if not isinstance(facts_in, dict) or not facts_in:
            self.fail(origin, "needs 'facts:' (predicate: value pairs)", line_of(item, "facts"))
            return None
        as_of = None
        if item.get("as_of") is not None:
            try:
                as_of = parse_date(item["as_of"])
            except ValueError as exc:
                self.fail(origin, str(exc), line_of(item, "as_of"))
        by_publication = False
        if "dated_by" in item:
            if item["dated_by"] != "publication":
                self.fail(origin, f"dated_by {item['dated_by']!r}: the only value is publication (the claim's only "
                                  "date is the document's own publication or capture date)", line_of(item, "dated_by"))
            elif item.get("as_of") is None:
                self.fail(origin, "dated_by: publication needs as_of (the document's publication or capture date)",
                          line_of(item, "dated_by"))
            else:
                by_publication = True
        facts: list[Fact] = []
        for name, raw in facts_in.items():
            fline = line_of(facts_in, name) or origin.line
            for fact in self.facts(str(name), raw, origin, fline, entities, subject, claim_as_of=as_of):
                if by_publication and isinstance(fact.value, Figure) and fact.value.as_of is None:
                    fact.value.dated_by_publication = True  # its date is the claim's, the document's own
                facts.append(fact)
        evidence = self.evidence(item, origin, str(item.get("source", source)), sources)
        certainty = str(item.get("certainty", "reported"))
        if certainty not in self.onto.certainties:
            self.fail(origin, f"certainty {certainty!r} is not one of {', '.join(sorted(self.onto.certainties))}", line_of(item, "certainty"))
        access = self.access(item, origin)
        according = item.get("according_to")
        if according is not None:
            according = str(according)
            if according not in entities:
                self.fail(origin, f"unknown entity {according!r} (according_to)", line_of(item, "according_to"))
        reviewed_by, reviewed_on = self.reviewed(item, origin)
        if not ok or evidence is None or len(facts) == 0:
            return None
        key = str(item["id"]) if item.get("id") else claim_key(subject, self.key_facts(facts_in))
        activity, confidence = self.method(item, origin)
        return Claim(
            key=key, source=evidence.source, subject=subject, facts=facts, evidence=evidence, origin=origin,
            certainty=certainty, according_to=according, attribution=item.get("attribution"),
            as_of=as_of, dated_by_publication=by_publication, access=access, note=item.get("note"),
            activity=activity, confidence=confidence, reviewed_by=reviewed_by, reviewed_on=reviewed_on,
        )

    def reviewed(self, item: dict, origin: Origin) -> tuple[str | None, Literal | None]:
        """The reviewer and day of ``reviewed: {by: reviewer-a, on: "2026-12-07"}``, or (None, None)."""
        if "reviewed" not in item:
            return None, None
        raw, line = item["reviewed"], line_of(item, "reviewed")
        if not isinstance(raw, dict):
            self.fail(origin, 'reviewed must be a mapping: reviewed: {by: <reviewer>, on: "YYYY-MM-DD"}', line)
            return None, None
        # YAML 1.1 reads a bare `on` as the boolean true: that key is `on`
        on_key = "on" if "on" in raw or True not in raw else True
        unknown = [k for k in raw if k not in ("by", on_key)]
        if unknown:
            self.fail(origin, f"unknown reviewed field(s) {', '.join(sorted(map(str, unknown)))}: give by and on only",
                      line_of(raw, unknown[0]) or line)
        by, on = raw.get("by"), raw.get(on_key)
        ok = True
        if not isinstance(by, str) or not by.strip():
            self.fail(origin, "reviewed: by must name the reviewer (reviewer-a, reviewer-b ...)", line_of(raw, "by") or line)
            ok = False
        day = None
        if on is None:
            self.fail(origin, 'reviewed: on must give the day of the review as "YYYY-MM-DD"', line)
            ok = False
        else:
            try:
                day = parse_date(on)
            except ValueError as exc:
                self.fail(origin, f"reviewed: on: {exc}", line_of(raw, on_key) or line)
                ok = False
            else:
                if day.datatype != XSD.date:
                    self.fail(origin, f'reviewed: on: {on!r} is not a day: write "YYYY-MM-DD"', line_of(raw, on_key) or line)
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
            self.fail(origin, f"unknown predicate {name!r}: not a property of the ontology"
                              f"{_did_you_mean(name, self.onto.properties)}", line)
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
            return line_of(value, key) if isinstance(value, LineDict) and key in value.key_lines else 0

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


FIGURE_FIELDS = {"value", "low", "high", "unit", "as_of", "period", "qualifier", "stated_as",
                 "measure", "dated_by", "undated"}


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


def _did_you_mean(word: str, known) -> str:
    """``; did you mean X?`` for the names of ``known`` closest to ``word``, or nothing.

    >>> _did_you_mean("heldAd", ["heldAt", "locatedIn"]), _did_you_mean("zzz", ["heldAt"])
    ('; did you mean heldAt?', '')
    """
    import difflib

    close = difflib.get_close_matches(word, [str(k) for k in known], n=3, cutoff=0.7)
    return f"; did you mean {', '.join(close)}?" if close else ""
