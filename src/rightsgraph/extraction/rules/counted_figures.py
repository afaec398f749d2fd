"""Figures with what they count and their year: "her organisation had interviewed 140 escapees in 2019" (people
interviewed), "about 2,000 people were forcibly returned from China in 2020" (forcibly returned), "I saw two women
die of hunger in the winter of 2014" (deaths in a witness's camp); and, for the figures every rule proposes, the
measure of the ontology they count and the year the sentence gives them (:func:`complete`).
"""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.speakers import introductions, speaker, witness
from rightsgraph.extraction.text import HEDGED, MONTH, Gate, number_from_text, sentences
from rightsgraph.sources.reading import Document

_Q = r"(?P<q>about|around|approximately|roughly|some|nearly|almost|at\s+least|more\s+than|over|an\s+estimated)\s+"
_N = (r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|two|three|four"
      r"|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b)")
_PATTERNS = [
    ("peopleCount", "people-interviewed", re.compile(
        rf"\binterviewed\s+(?:{_Q})?{_N}\s+(?:former\s+)?(?:escapees|defectors|refugees|witnesses|survivors|prisoners"
        rf"|people|women|men)\b", re.IGNORECASE)),
    ("peopleCount", "forcibly-returned", re.compile(
        rf"(?:{_Q})?{_N}\s+(?:people|North\s+Koreans|women|refugees)\s+(?:were|had\s+been|have\s+been)\s+(?:forcibly\s+)?"
        rf"(?:returned|repatriated|deported)\b", re.IGNORECASE)),
    ("deathCount", "prison-deaths", re.compile(
        rf"\b(?:I|we)\s+saw\s+{_N}\s+(?:prisoners|women|men|people|inmates)\s+die\b", re.IGNORECASE)),
]
_GATE = Gate(r"interviewed|returned|repatriated|deported|\bsaw\b",
             ("interviewed", "returned", "repatriated", "deported", "saw"))
#: The year (or month and year) a clause gives a figure: "in 2019", "in the winter of 2014", "as of early 2021".
YEAR = re.compile(rf"\b(?:in|during|as\s+of|by)\s+(?:(?:early|late|mid-?)\s+|the\s+(?:winter|spring|summer|autumn|fall|"
                  rf"first\s+half|second\s+half)\s+of\s+)?(?:(?P<month>{MONTH})\s+)?(?P<year>(?:1[89]|20)\d\d)\b")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
#: The measure a figure predicate counts when the sentence says no more.
_DEFAULT_MEASURE = {"prisonerCount": "prisoners", "deathCount": "deaths", "victimCount": "victims",
                    "peopleCount": "people-affected"}


def year_of(clause: str) -> str | int | None:
    """The date a clause gives its figure ("in 2019" is 2019, "in March 2021" is "2021-03"), or None."""
    m = YEAR.search(clause)
    if m is None:
        return None
    if m.group("month"):
        return f"{m.group('year')}-{_MONTHS.index(m.group('month')[:3].lower()) + 1:02d}"
    return int(m.group("year"))


def measure_of(predicate: str, subject: str, quote: str) -> str:
    """The measure of the ontology a figure counts, from its predicate, its subject and the words of its quote."""
    low = quote.lower()
    if predicate == "prisonerCount":
        if subject == "group/political-prisoners" or "political prison" in low:
            return "political-prisoners"
        if re.search(r"detain|detention|holding", low):
            return "detainees"
        return "prisoners"
    if predicate == "deathCount":
        if re.search(r"execut", low):
            return "executions"
        if subject.startswith("facility/") or re.search(r"custody|in\s+prison|camp", low):
            return "prison-deaths"
        if re.search(r"famine|starv|hunger", low):
            return "famine-deaths"
        return "deaths"
    return _DEFAULT_MEASURE.get(predicate, "other")


def complete(claim: dict) -> dict:
    """A claim whose figures name their measure and, when the quote gives one after the number, their year."""
    for predicate, value in claim["facts"].items():
        if predicate in _DEFAULT_MEASURE and isinstance(value, dict):
            value.setdefault("measure", measure_of(predicate, claim["subject"], claim["quote"]))
            if "as_of" not in value:
                number = str(value.get("value", value.get("low", value.get("high", ""))))
                at = claim["quote"].replace(",", "").find(number) if number else -1
                date = year_of(claim["quote"][max(0, at):]) if at >= 0 else None
                if date is None:
                    date = year_of(claim["quote"][:max(0, at)]) if at > 0 and re.match(r"\s*In\s+", claim["quote"]) else None
                if date is not None:
                    value["as_of"] = date
    return claim


@rule("counted-figures", order=25, document=True, predicates=("peopleCount", "deathCount"))
def rule_counted_figures(doc: Document, found: list[Mention]) -> list[dict]:
    """People interviewed by an organisation, people forcibly returned, deaths a witness saw: with measure and year."""
    clean = doc.clean
    intros = None
    out = []
    for sent in sentences(clean):
        text = clean[sent[0]:sent[1]]
        if not _GATE.search(text):
            continue
        for predicate, measure, pattern in _PATTERNS:
            m = pattern.search(text)
            if m is None:
                continue
            value = number_from_text(m.group("n"))
            if not isinstance(value, int) or value < 2 or 1800 <= value <= 2099 and "," not in m.group("n"):
                continue
            s, e = doc.span(*sent)
            local = [x for x in found if s <= x.start and x.end <= e and not x.inner]
            at = doc.span(sent[0] + m.start(), sent[0] + m.end())
            if measure == "people-interviewed":
                orgs = [x for x in local if x.kind == "org" and x.end <= at[0]]
                subject = orgs[-1].entity if orgs else None
            elif measure == "forcibly-returned":
                groups = [x for x in local if x.entity == "group/returnees-from-china"]
                subject = groups[0].entity if groups else None
            else:
                intros = introductions(doc, found) if intros is None else intros
                held = witness(doc, sent, intros)
                subject = held.facility if held is not None else None
            if subject is None:
                continue
            qualifier = " ".join((m.groupdict().get("q") or "").split()).lower()
            figure: dict[str, Any] = {"low" if qualifier in ("at least", "more than", "over") else "value": value}
            if qualifier:
                figure["qualifier"] = qualifier
            figure["measure"] = measure
            date = year_of(text[m.end():]) or year_of(text[:m.start()])
            if date is not None:
                figure["as_of"] = date
            extra: dict[str, Any] = {}
            if predicate == "deathCount":
                who = speaker(doc, sent, intros or [])
                if who is not None:
                    extra["according_to"] = who.person
            claim = hedged_candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, {predicate: figure},
                                     f"counted-{measure}", 0.6, found, "estimated" if qualifier in HEDGED else None, **extra)
            if claim:
                out.append(claim)
    return out
