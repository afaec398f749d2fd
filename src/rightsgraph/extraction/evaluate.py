"""Evaluation of extraction against the curated graph: the curated claims of each source are the gold.

Two things are measured, source by source, with every curated entity as a known entity:

- **mentions.** The gold is one span per entity record: the quote a curator chose to introduce the
  entity. It is *recalled* when a mention of that entity lies inside the quote. A mention is
  *supported* when some curated claim of the same source names its entity (as subject, object,
  victim, perpetrator or ``according_to``) with a quote that overlaps it: mention precision is the
  share of supported mentions, a lower bound, since curators record only some of the mentions.
- **claims.** The unit is one fact (subject, predicate, value) of a proposed claim. It is *correct*
  when a curated claim of the same source has the same subject, the same predicate, an equal value
  and a quote that overlaps the proposed quote's offsets. Values are equal when entity IRIs are
  equal, numbers are equal, dates are equal to the same precision, figures agree on value, low and
  high (the qualifier is not compared), strings agree ignoring case and spacing, and a violation
  has the same type with its proposed victims and perpetrators among the curated ones. A proposed
  claim is *wholly correct* when each of its facts is. Recall counts the curated facts of the
  predicates the extractor proposes that some proposed fact matches; recall over every curated
  fact is reported beside it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef

from rightsgraph.claims import loader as claims_mod
from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.reader import parse_date
from rightsgraph.extraction.candidates import method_iri
from rightsgraph.extraction.mentions import matcher, mentions
from rightsgraph.extraction.propose import PREDICATES, propose, propose_entities
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.claims.records import Claim, Figure, Violation
from rightsgraph.sources.corpus import Corpus
from rightsgraph.namespaces import RGV, entity_iri
from rightsgraph.paths import Paths
from rightsgraph.sources.reading import Document, read


@dataclass
class Tally:
    """Counts for precision (``correct`` of ``proposed``) and recall (``found`` of ``gold``)."""

    proposed: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    @property
    def precision(self) -> float | None:
        """Correct over proposed, or None when nothing was proposed."""
        return self.correct / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        """Found over gold, or None when there is no gold."""
        return self.found / self.gold if self.gold else None

    def add(self, other: "Tally") -> None:
        """Add another tally's counts to this one."""
        self.proposed += other.proposed
        self.correct += other.correct
        self.gold += other.gold
        self.found += other.found

    def as_dict(self) -> dict:
        """The counts and the two ratios (rounded to three places)."""
        r = (lambda x: None if x is None else round(x, 3))
        return {"proposed": self.proposed, "correct": self.correct, "precision": r(self.precision),
                "gold": self.gold, "found": self.found, "recall": r(self.recall)}


@dataclass
class SourceResult:
    """What was measured on one source."""

    mentions: Tally = field(default_factory=Tally)       # gold: entity records; proposed: mentions found
    named: Tally = field(default_factory=Tally)          # gold: entity records whose quote holds one of the entity's names
    facts: Tally = field(default_factory=Tally)          # gold: curated facts of the kinds proposed
    all_facts: Tally = field(default_factory=Tally)      # gold: every curated fact
    claims: Tally = field(default_factory=Tally)         # proposed claims, wholly correct or not
    missed_mentions: list[tuple[str, str]] = field(default_factory=list)  # (entity, quote) of records not recalled
    wrong: list[dict] = field(default_factory=list)                        # proposed facts judged wrong
    gold_predicates: list[str] = field(default_factory=list)               # the predicate of each curated fact ...
    found_facts: set[int] = field(default_factory=set)                     # ... and which of them were found


#: The tallies kept for each source.
PARTS = ("mentions", "named", "facts", "all_facts", "claims")


@dataclass
class Evaluation:
    """Mention and claim precision and recall, per source, per predicate and per rule."""

    sources: dict[str, SourceResult]
    by_predicate: dict[str, Tally]
    by_rule: dict[str, Tally]
    proposable: list[str]
    seconds: float = 0.0

    def total(self, part: str) -> Tally:
        """The sum over sources of one tally (one of :data:`PARTS`)."""
        out = Tally()
        for result in self.sources.values():
            out.add(getattr(result, part))
        return out

    def as_dict(self) -> dict:
        """Every number of the evaluation, as plain data."""
        return {
            "overall": {part: self.total(part).as_dict() for part in PARTS},
            "sources": {sid: {part: getattr(r, part).as_dict() for part in PARTS} for sid, r in self.sources.items()},
            "by_predicate": {k: t.as_dict() for k, t in sorted(self.by_predicate.items())},
            "by_rule": {k: t.as_dict() for k, t in sorted(self.by_rule.items())},
            "proposable": list(self.proposable),
            "seconds": round(self.seconds, 3),
        }


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

def _ref(ref: str) -> str:
    """The IRI of an entity id or violation id, as a string."""
    kind, _, slug = str(ref).partition("/")
    return str(RGV) + slug if kind == "violation" else str(entity_iri(kind, slug))


def _fold(text: str) -> str:
    """A string without case, curly quotes or extra spacing, for comparing text values."""
    return " ".join(str(text).replace("’", "'").casefold().split())


def _number(lit: Any) -> Decimal | None:
    """A number literal or YAML number as a Decimal."""
    if lit is None:
        return None
    return Decimal(str(lit))


def _canon_gold(prop: ontology_mod.Property, value: Any) -> Any:
    """The comparable form of a curated fact's value."""
    if isinstance(value, Figure):
        return ("figure", _number(value.value), _number(value.low), _number(value.high))
    if isinstance(value, Violation):
        return ("violation", str(value.type), frozenset(map(str, value.victims)), frozenset(map(str, value.perpetrators)))
    if isinstance(value, URIRef):
        return str(value)
    if isinstance(value, Literal):
        if prop.value == "date":
            return (str(value), str(value.datatype))
        if prop.value in ("integer", "decimal"):
            return _number(value)
        return _fold(value)
    return value  # pragma: no cover - every parsed value is one of the above


def _canon_proposed(prop: ontology_mod.Property, value: Any) -> Any:
    """The comparable form of a proposed fact's value (as the authoring format writes it)."""
    kind = prop.value
    try:
        if kind == "entity":
            return _ref(value)
        if kind == "date":
            lit = parse_date(value)
            return (str(lit), str(lit.datatype))
        if kind in ("integer", "decimal"):
            return _number(value)
        if kind == "figure":
            if not isinstance(value, dict):
                return ("figure", _number(value), None, None)
            return ("figure", _number(value.get("value")), _number(value.get("low")), _number(value.get("high")))
        if kind == "violation":
            v = value if isinstance(value, dict) else {"type": value}
            as_list = (lambda x: [] if x is None else x if isinstance(x, list) else [x])
            return ("violation", _ref(v["type"]), frozenset(_ref(x) for x in as_list(v.get("victims"))),
                    frozenset(_ref(x) for x in as_list(v.get("perpetrators"))))
        return _fold(value)
    except (ValueError, KeyError, ArithmeticError):
        return ("unreadable", repr(value))


def _same(proposed: Any, gold: Any) -> bool:
    """Whether a proposed value equals a curated one (a violation may name fewer parties than the curated one)."""
    if isinstance(proposed, tuple) and proposed and proposed[0] == "violation":
        return isinstance(gold, tuple) and gold[0] == "violation" and proposed[1] == gold[1] \
            and proposed[2] <= gold[2] and proposed[3] <= gold[3]
    return proposed == gold


def _facts(claim: dict) -> list[tuple[str, Any]]:
    """The (predicate, value) pairs of a proposed claim, a list value giving one pair per item."""
    out = []
    for predicate, value in claim["facts"].items():
        for item in value if isinstance(value, list) else [value]:
            out.append((predicate, item))
    return out


def _refs(claim: Claim) -> set[str]:
    """The entity ids a curated claim names: subject, entity objects, victims, perpetrators, ``according_to``."""
    out = {claim.subject}
    if claim.according_to:
        out.add(claim.according_to)
    for fact in claim.facts:
        v = fact.value
        if isinstance(v, URIRef):
            out.add(str(v))
        elif isinstance(v, Violation):
            out.update(str(x) for x in (*v.victims, *v.perpetrators))
    return out


def names_entity(entity: Any, quote: str) -> bool:
    """Whether a quote holds the entity's label or one of its aliases as whole words, compared as the claims module
    compares names (case, punctuation and spacing aside): the records a name matcher can be asked to find."""
    folded = f" {normalize_name(quote)} "
    return any(f" {normalize_name(n)} " in folded for n in [entity.label, *entity.aliases] if n.strip())


def rule_name(method: str) -> str:
    """The rule name of a proposed claim's ``method`` IRI."""
    prefix = method_iri("")
    return method[len(prefix):] if method.startswith(prefix) else method


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------

def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate_source(doc: Document, gold: list[Claim], entities: dict, onto: ontology_mod.Ontology,
                    by_predicate: dict[str, Tally], by_rule: dict[str, Tally], proposable: set[str],
                    names: dict[str, str] | None = None) -> SourceResult:
    """Compare the mentions and proposed claims of one document with the curated claims of its source; ``names``
    maps the ids of proposed new entities to the curated ids they were matched with."""
    names = names or {}
    result = SourceResult()
    iri_of = {eid: str(e.iri) for eid, e in entities.items()}
    found = mentions(doc, entities)

    # mention recall: one gold span per entity record
    by_entity: dict[str, list[tuple[int, int]]] = {}
    for m in found:
        by_entity.setdefault(m.entity, []).append((m.start, m.end))
    for c in gold:
        if c.entity is None:
            continue
        recalled = any(c.evidence.start <= s and e <= c.evidence.end for s, e in by_entity.get(c.subject, []))
        result.mentions.gold += 1
        result.mentions.found += recalled
        if names_entity(c.entity, c.evidence.quote):
            result.named.gold += 1
            result.named.found += recalled
        if not recalled:
            result.missed_mentions.append((c.subject, c.evidence.quote))

    # mention precision: supported by a curated claim naming the entity with an overlapping quote
    named = [(c.evidence.start, c.evidence.end, {iri_of.get(r, r) for r in _refs(c)}) for c in gold]
    for m in found:
        result.mentions.proposed += 1
        iri = iri_of.get(m.entity)
        if any(s < m.end and m.start < e and iri in refs for s, e, refs in named):
            result.mentions.correct += 1

    # claims
    index: dict[tuple[str, str], list[tuple[Any, tuple[int, int], int]]] = {}
    gold_facts: list[str] = []
    for c in gold:
        for fact in c.facts:
            key = len(gold_facts)
            gold_facts.append(fact.predicate.name)
            index.setdefault((c.subject, fact.predicate.name), []).append(
                (_canon_gold(fact.predicate, fact.value), (c.evidence.start, c.evidence.end), key))
    hit: set[int] = set()
    for claim in propose(doc, entities):
        rule = rule_name(claim["method"])
        span = (claim["offsets"][0], claim["offsets"][1])
        whole = True
        claim = {**claim, "subject": names.get(claim["subject"], claim["subject"])}
        for predicate, value in _facts(claim):
            value = _rename(value, names)
            proposable.add(predicate)
            prop = onto.properties.get(predicate)
            matched = []
            if prop is not None:
                canon = _canon_proposed(prop, value)
                matched = [k for g, gspan, k in index.get((claim["subject"], predicate), [])
                           if _overlaps(span, gspan) and _same(canon, g)]
            hit.update(matched)
            ok = bool(matched)
            whole = whole and ok
            for tally in (result.facts, by_predicate.setdefault(predicate, Tally()), by_rule.setdefault(rule, Tally())):
                tally.proposed += 1
                tally.correct += ok
            if not ok:
                result.wrong.append({"rule": rule, "subject": claim["subject"], "predicate": predicate,
                                     "value": value, "quote": claim["quote"]})
        result.claims.proposed += 1
        result.claims.correct += whole
    result.all_facts = Tally(result.facts.proposed, result.facts.correct, len(gold_facts), len(hit))
    result.gold_predicates, result.found_facts = gold_facts, hit
    return result


def _withheld(entities: dict, sid: str, texts: dict[str, str]) -> dict:
    """The gazetteer learned without source ``sid``: the entity records of the other sources, each without the
    aliases that only the text of ``sid`` contains (a curator could have taken them from nowhere else)."""
    others = [f" {t} " for s, t in texts.items() if s != sid]
    mine = f" {texts.get(sid, '')} "
    out = {}
    for eid, e in entities.items():
        if e.evidence.source == sid:
            continue
        keep = [a for a in e.aliases
                if f" {normalize_name(a)} " not in mine or any(f" {normalize_name(a)} " in t for t in others)]
        out[eid] = replace(e, aliases=keep) if len(keep) != len(e.aliases) else e
    return out


@dataclass
class HeldOut:
    """Leave-one-source-out: the evaluation of each source with a gazetteer learned from the other four, and the
    new people, organisations and reports proposed against those the source's curators added."""

    evaluation: Evaluation
    new: dict[str, Tally]

    def as_dict(self) -> dict:
        out = self.evaluation.as_dict()
        total = Tally()
        for t in self.new.values():
            total.add(t)
        out["new_entities"] = {"sources": {k: t.as_dict() for k, t in self.new.items()}, "overall": total.as_dict()}
        return out


def evaluate_held_out(paths: Paths, corpus: Corpus | str | os.PathLike) -> HeldOut:
    """Leave-one-source-out over the corpus: each source is read with the entities (and aliases) the other
    sources gave, its proposed new entities are matched by kind and name with the entities its own curators
    added (people, organisations, reports), and its proposed facts, with matched ids, scored against its
    curated claims as :func:`evaluate` does."""
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    collection = claims_mod.load(paths, corpus, onto)
    started = time.perf_counter()
    docs = {sid: read(corpus.path(source)) for sid, source in collection.sources.items()}
    texts = {sid: normalize_name(doc.clean) for sid, doc in docs.items()}
    by_predicate: dict[str, Tally] = {}
    by_rule: dict[str, Tally] = {}
    proposable: set[str] = set(PREDICATES)
    results: dict[str, SourceResult] = {}
    new: dict[str, Tally] = {}
    for sid, doc in docs.items():
        known = _withheld(collection.entities, sid, texts)
        added = {eid: e for eid, e in collection.entities.items() if eid not in known}
        keys = {(e.kind, normalize_name(n)): eid for eid, e in added.items() for n in [e.label, *e.aliases]}
        tally, names = Tally(gold=sum(e.kind in TARGET_KINDS for e in added.values())), {}
        for p in propose_entities(doc, known):  # every kind is matched, for the facts; people, orgs, reports counted
            kind = p["id"].split("/", 1)[0]
            hit = keys.get((kind, normalize_name(p.get("label", ""))))
            if hit is not None and hit in names.values():
                hit = None
            if hit is not None:
                names[p["id"]] = hit
            if kind in TARGET_KINDS:
                tally.proposed += 1
                tally.correct += hit is not None
                tally.found += hit is not None
        new[sid] = tally
        gold = [c for c in collection.claims if c.source == sid]
        results[sid] = evaluate_source(doc, gold, known, onto, by_predicate, by_rule, proposable, names)
    for result in results.values():
        for key, predicate in enumerate(result.gold_predicates):
            if predicate in proposable:
                found = key in result.found_facts
                for tally in (result.facts, by_predicate.setdefault(predicate, Tally())):
                    tally.gold += 1
                    tally.found += found
    ev = Evaluation(results, by_predicate, by_rule, sorted(proposable), time.perf_counter() - started)
    return HeldOut(ev, new)


def format_held_out(held: HeldOut) -> str:
    """The leave-one-source-out scores: new entities and facts per source and overall (no mention table: the
    mention gold, the source's own entity records, is exactly what is held out)."""
    ev = held.evaluation
    width = max([len(s) for s in ev.sources] + [12]) + 1
    head = f"{'':<{width}} {'correct/proposed':>13} {'prec':>6}   {'found/gold':>11} {'recall':>6}"
    lines = ["Held out: each source read with the entities and aliases the other four sources gave.", "",
             "New people, organisations and reports (kind and name of an entity the source's curators added):", head]
    total = Tally()
    for sid, t in held.new.items():
        lines.append(_row(sid, t, width))
        total.add(t)
    lines.append(_row("overall", total, width))
    for part, title in (("facts", f"Facts on the predicates proposed ({', '.join(ev.proposable)}):"),
                        ("all_facts", "Recall over every curated fact (all predicates):"),
                        ("claims", "Whole proposed claims (correct = every fact correct):")):
        lines += ["", title, head]
        for sid, r in ev.sources.items():
            lines.append(_row(sid, getattr(r, part), width))
        lines.append(_row("overall", ev.total(part), width))
    return "\n".join(lines) + "\n"


def evaluate(paths: Paths, corpus: Corpus | str | os.PathLike) -> Evaluation:
    """Run mentions and claim proposal on every source of the corpus and compare them with the curated claims."""
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    collection = claims_mod.load(paths, corpus, onto)
    started = time.perf_counter()
    by_predicate: dict[str, Tally] = {}
    by_rule: dict[str, Tally] = {}
    proposable: set[str] = set(PREDICATES)
    results: dict[str, SourceResult] = {}
    for sid, source in collection.sources.items():
        doc = read(corpus.path(source))
        gold = [c for c in collection.claims if c.source == sid]
        results[sid] = evaluate_source(doc, gold, collection.entities, onto, by_predicate, by_rule, proposable)
    # recall over the kinds proposed, now that every proposed kind is known
    for result in results.values():
        for key, predicate in enumerate(result.gold_predicates):
            if predicate in proposable:
                found = key in result.found_facts
                for tally in (result.facts, by_predicate.setdefault(predicate, Tally())):
                    tally.gold += 1
                    tally.found += found
    return Evaluation(results, by_predicate, by_rule, sorted(proposable), time.perf_counter() - started)


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _row(name: str, t: Tally, width: int) -> str:
    return (f"{name:<{width}} {t.correct:>6}/{t.proposed:<6} {_pct(t.precision):>6}   "
            f"{t.found:>5}/{t.gold:<5} {_pct(t.recall):>6}")


def format_text(ev: Evaluation) -> str:
    """The evaluation as a plain-text report: one table per measure, each column explained."""
    width = max([len(s) for s in ev.sources] + [len(k) for k in (*ev.by_predicate, *ev.by_rule)] + [12]) + 1
    head = f"{'':<{width}} {'correct/proposed':>13} {'prec':>6}   {'found/gold':>11} {'recall':>6}"
    lines = ["Extraction evaluated against the curated claims (the gold).", ""]
    lines += ["Mentions: recall = entity records whose quote holds a mention of the entity;",
              "precision = mentions whose entity a curated claim with an overlapping quote names (a lower bound).",
              head]
    for sid, r in ev.sources.items():
        lines.append(_row(sid, r.mentions, width))
    lines.append(_row("overall", ev.total("mentions"), width))
    lines += ["", "Mention recall over the entity records whose quote holds the entity's label or an alias (as whole",
              "words, case and punctuation aside); the others describe the entity without naming it:", head]
    for sid, r in ev.sources.items():
        lines.append(_row(sid, r.named, width))
    lines.append(_row("overall", ev.total("named"), width))
    lines += ["", "Facts (subject, predicate, value) of proposed claims: correct = a curated claim of the source",
              "has the same subject, predicate and value with an overlapping quote; recall over the curated facts",
              f"of the predicates proposed ({', '.join(ev.proposable)}).", head]
    for sid, r in ev.sources.items():
        lines.append(_row(sid, r.facts, width))
    lines.append(_row("overall", ev.total("facts"), width))
    lines += ["", "Recall over every curated fact (all predicates):", head]
    for sid, r in ev.sources.items():
        lines.append(_row(sid, r.all_facts, width))
    lines.append(_row("overall", ev.total("all_facts"), width))
    lines += ["", "Whole proposed claims (correct = every fact correct); recall not applicable:", head]
    for sid, r in ev.sources.items():
        lines.append(_row(sid, r.claims, width))
    lines.append(_row("overall", ev.total("claims"), width))
    lines += ["", "Facts by predicate:", head]
    for k, t in sorted(ev.by_predicate.items()):
        if t.proposed or k in ev.proposable:
            lines.append(_row(k, t, width))
    lines += ["", "Facts by rule (recall not applicable: the gold has no rules):", head]
    for k, t in sorted(ev.by_rule.items()):
        lines.append(_row(k, t, width))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Throughput
# --------------------------------------------------------------------------------------------

def throughput(corpus_dir: str | os.PathLike, megabytes: float = 50, entities: dict | None = None,
               paths: Paths | None = None) -> dict:
    """Time extraction (read and clean, mentions, propose) in one process, on one core, over the corpus's sources read
    again and again, each time as its own document, to about ``megabytes`` MB; MB/s by wall-clock and by CPU time."""
    corpus = Corpus(corpus_dir)
    if entities is None:
        if paths is None:
            raise ValueError("throughput needs the entities to match, or the project (paths) to load them from")
        entities = claims_mod.load(paths).entities
    files = [corpus.folder / s["file"] for s in corpus.manifest.values()] or sorted(Path(corpus_dir).glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    repeat = max(1, round(megabytes * 1e6 / size))
    matcher(entities)  # built once per collection, outside the timing
    claims_seen = 0
    started = time.process_time()
    wall = time.perf_counter()
    for _ in range(repeat):
        for f in files:
            doc = read(f)
            claims_seen += len(propose(doc, entities))
    cpu = time.process_time() - started
    seconds = time.perf_counter() - wall
    mb = size * repeat / 1e6
    return {"mb": round(mb, 2), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "mb_per_s": round(mb / seconds, 2), "mb_per_s_cpu": round(mb / max(cpu, 1e-9), 2),
            "documents": repeat * len(files), "claims": claims_seen}


# --------------------------------------------------------------------------------------------
# Unseen documents: invented texts with the candidates a careful reviewer expects
# --------------------------------------------------------------------------------------------

#: The kinds of new entity the targets of issue 16 count (people, reports, organisations).
TARGET_KINDS = ("person", "document", "org")


@dataclass
class UnseenResult:
    """What was measured on one invented document against its ``NAME.expected.yaml``."""

    mentions: Tally = field(default_factory=Tally)      # gold: expected (entity, surface); proposed: mentions found
    new_target: Tally = field(default_factory=Tally)    # new people, reports, organisations
    new_all: Tally = field(default_factory=Tally)       # new entities of every kind
    facts: Tally = field(default_factory=Tally)         # gold: expected facts of the predicates the rules propose
    all_facts: Tally = field(default_factory=Tally)     # gold: every expected fact
    figures: Tally = field(default_factory=Tally)       # figure facts found: proposed = found, correct = measure and as_of right
    wrong: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    gold_facts: list[tuple[str, dict]] = field(default_factory=list)  # (predicate, fact) of each expected fact ...
    found_facts: set[int] = field(default_factory=set)                # ... and which of them were found


#: The tallies kept for each unseen document.
UNSEEN_PARTS = ("mentions", "new_target", "new_all", "facts", "all_facts", "figures")


@dataclass
class UnseenEvaluation:
    """The scores on a folder of invented documents, per document."""

    documents: dict[str, UnseenResult]
    proposable: list[str]
    seconds: float = 0.0

    def total(self, part: str) -> Tally:
        """The sum over documents of one tally (one of :data:`UNSEEN_PARTS`)."""
        out = Tally()
        for result in self.documents.values():
            out.add(getattr(result, part))
        return out

    def as_dict(self) -> dict:
        """Every number of the evaluation, as plain data."""
        return {
            "overall": {part: self.total(part).as_dict() for part in UNSEEN_PARTS},
            "documents": {d: {part: getattr(r, part).as_dict() for part in UNSEEN_PARTS} for d, r in self.documents.items()},
            "proposable": list(self.proposable),
            "seconds": round(self.seconds, 3),
        }


def _quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """The span of the first occurrence of an expected quote in the original text (outside markup for HTML)."""
    at = text.find(quote)
    while at >= 0:
        before = text.rfind("<", 0, at)
        if before < 0 or text.rfind(">", 0, at) > before:  # not inside a tag
            return at, at + len(quote)
        at = text.find(quote, at + 1)
    return None


def _same_new(proposed: dict, expected: dict, doc_text: str) -> bool:
    """Whether a proposed new entity is the expected one: the same kind and the same name (or id), or for an event,
    a quote that overlaps the expected one."""
    kind = proposed["id"].split("/", 1)[0]
    if kind != expected["id"].split("/", 1)[0]:
        return False
    if proposed["id"] == expected["id"] or normalize_name(proposed.get("label", "")) == normalize_name(expected["label"]):
        return True
    if kind == "event":
        span = _quote_span(doc_text, expected["quote"])
        return span is not None and _overlaps(tuple(proposed["offsets"]), span)
    return False


def _rename(value: Any, names: dict[str, str]) -> Any:
    """A proposed value with the ids of proposed new entities replaced by the expected ids they matched."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, names) for k, v in value.items()}
    return value


def _figure_meta_ok(proposed: Any, expected: Any, prop: ontology_mod.Property, onto: ontology_mod.Ontology) -> bool:
    """Whether a proposed figure names the expected measure (or both the property's default) and date."""
    if not isinstance(expected, dict):
        return True
    got = proposed if isinstance(proposed, dict) else {}
    default = onto.default_measure(prop.iri)
    default_id = str(default).rsplit("/", 1)[1] if default is not None else None
    if (got.get("measure") or default_id) != (expected.get("measure") or default_id):
        return False
    if "as_of" in expected:
        try:
            return "as_of" in got and parse_date(got["as_of"]) == parse_date(expected["as_of"])
        except ValueError:
            return False
    return True


def evaluate_unseen_document(path: Path, expected: dict, entities: dict, onto: ontology_mod.Ontology,
                             proposable: set[str]) -> UnseenResult:
    """Compare what extraction proposes for one invented document with what its expectations list."""
    result = UnseenResult()
    doc = read(path)
    text = doc.text

    # mentions: each expected (entity, surface) is found when a mention of the entity has that surface form
    found = mentions(doc, entities)
    surfaces = {(m.entity, normalize_name(m.text)) for m in found}
    expected_ids = set()
    for m in expected.get("mentions") or []:
        expected_ids.add(m["id"])
        result.mentions.gold += 1
        ok = (m["id"], normalize_name(m["surface"])) in surfaces
        result.mentions.found += ok
        if not ok:
            result.missed.append({"mention": m["id"], "surface": m["surface"]})
    result.mentions.proposed = len(found)
    result.mentions.correct = sum(m.entity in expected_ids for m in found)

    # new entities, and the names of the matched ones
    proposed_new = propose_entities(doc, entities)
    gold_new = list(expected.get("new_entities") or [])
    names: dict[str, str] = {}
    matched_gold: set[int] = set()
    for p in proposed_new:
        kind = p["id"].split("/", 1)[0]
        hit = next((i for i, g in enumerate(gold_new) if i not in matched_gold and _same_new(p, g, text)), None)
        for tally in ([result.new_all] + ([result.new_target] if kind in TARGET_KINDS else [])):
            tally.proposed += 1
            tally.correct += hit is not None
        if hit is not None:
            matched_gold.add(hit)
            names[p["id"]] = gold_new[hit]["id"]
        else:
            result.wrong.append({"new_entity": p["id"], "label": p.get("label"), "quote": p.get("quote")})
    for i, g in enumerate(gold_new):
        kind = g["id"].split("/", 1)[0]
        for tally in ([result.new_all] + ([result.new_target] if kind in TARGET_KINDS else [])):
            tally.gold += 1
            tally.found += i in matched_gold
        if i not in matched_gold:
            result.missed.append({"new_entity": g["id"], "quote": g["quote"]})

    # facts
    index: dict[tuple[str, str], list[tuple[Any, Any, tuple[int, int], int]]] = {}
    gold_facts: list[tuple[str, dict]] = []
    for c in expected.get("claims") or []:
        span = _quote_span(text, c["quote"]) or (0, 0)
        for predicate, value in c["facts"].items():
            prop = onto.properties[predicate]
            for item in value if isinstance(value, list) else [value]:
                key = len(gold_facts)
                gold_facts.append((predicate, {"subject": c["subject"], predicate: item, "quote": c["quote"]}))
                canon = _canon_proposed(prop, item)
                index.setdefault((c["subject"], predicate), []).append((canon, item, span, key))
    hit: set[int] = set()
    for claim in propose(doc, entities):
        subject = names.get(claim["subject"], claim["subject"])
        span = (claim["offsets"][0], claim["offsets"][1])
        for predicate, value in _facts(claim):
            proposable.add(predicate)
            value = _rename(value, names)
            prop = onto.properties.get(predicate)
            matched = []
            if prop is not None:
                canon = _canon_proposed(prop, value)
                for g, raw, gspan, k in index.get((subject, predicate), []):
                    if _overlaps(span, gspan) and _same(canon, g):
                        matched.append(k)
                        if prop.value == "figure" and k not in hit:
                            result.figures.proposed += 1
                            result.figures.correct += _figure_meta_ok(value, raw, prop, onto)
            hit.update(matched)
            result.facts.proposed += 1
            result.facts.correct += bool(matched)
            if not matched:
                result.wrong.append({"subject": subject, "predicate": predicate, "value": value,
                                     "quote": claim["quote"], "rule": rule_name(claim["method"])})
    result.all_facts = Tally(result.facts.proposed, result.facts.correct, len(gold_facts), len(hit))
    result.gold_facts, result.found_facts = gold_facts, hit
    return result


def evaluate_unseen(paths: Paths, folder: str | os.PathLike) -> UnseenEvaluation:
    """Score extraction on every ``NAME.expected.yaml`` of a folder of invented documents, with the project's
    entities (graph/entities) as the known ones."""
    folder = Path(folder)
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    entities = claims_mod.load(paths, onto=onto).entities
    proposable: set[str] = set(PREDICATES)
    started = time.perf_counter()
    results: dict[str, UnseenResult] = {}
    for exp_path in sorted(folder.glob("*.expected.yaml")):
        expected = yaml.safe_load(exp_path.read_text(encoding="utf-8"))
        results[expected["document"]] = evaluate_unseen_document(folder / expected["document"], expected, entities,
                                                                 onto, proposable)
    for result in results.values():  # recall over the predicates proposed, now that they are all known
        for key, (predicate, fact) in enumerate(result.gold_facts):
            if predicate in proposable:
                result.facts.gold += 1
                result.facts.found += key in result.found_facts
            if key not in result.found_facts:
                result.missed.append(fact)
    return UnseenEvaluation(results, sorted(proposable), time.perf_counter() - started)


def format_unseen(ev: UnseenEvaluation, details: bool = False) -> str:
    """The unseen-document scores as a plain-text report (with ``details``, what was wrong and what was missed)."""
    width = max([len(d) for d in ev.documents] + [12]) + 1
    head = f"{'':<{width}} {'correct/proposed':>13} {'prec':>6}   {'found/gold':>11} {'recall':>6}"
    titles = {
        "new_target": "New people, reports and organisations (same kind and name as an expected new entity):",
        "new_all": "New entities of every kind (events matched by an overlapping passage):",
        "facts": "Facts (subject, predicate, value, overlapping quote) on the predicates the rules propose:",
        "all_facts": "Recall over every expected fact (all predicates):",
        "mentions": "Known-entity mentions: recall = expected (entity, surface form) found; "
                    "precision = mentions of an expected entity:",
        "figures": "Figures found: correct = the expected measure and as_of (recall not applicable):",
    }
    lines = [f"Extraction scored on {len(ev.documents)} invented documents (never seen by the rules).", ""]
    for part in ("new_target", "new_all", "facts", "all_facts", "mentions", "figures"):
        lines += [titles[part], head]
        for d, r in ev.documents.items():
            lines.append(_row(d, getattr(r, part), width))
        lines += [_row("overall", ev.total(part), width), ""]
    lines.append(f"Predicates proposed: {', '.join(ev.proposable)}.")
    if details:
        for d, r in ev.documents.items():
            lines += ["", f"== {d}"]
            lines += [f"  wrong:  {w}" for w in r.wrong]
            lines += [f"  missed: {m}" for m in r.missed]
    return "\n".join(lines) + "\n"
