"""Detention periods: "She was held there from 2009 to 2015", "was detained there for five years, from 2011 until
her release in 2016" give an ``event/<person>-detention`` with its victim, place, startDate and endDate.

The person is the one a prisoner apposition ("X, a former prisoner of Camp 14") introduced last, within the
paragraph before; "there" (or no place at all) is the facility of that apposition, else a facility the sentence names.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from rightsgraph.extraction.candidates import candidate, hedged_candidate
from rightsgraph.extraction.mentions import Mention, slug
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.speakers import introductions
from rightsgraph.extraction.text import DATE, appositive_people, parse_date_match, sentence_of, sentences
from rightsgraph.sources.reading import Document

_PERIOD = re.compile(
    rf"\b(?:(?:was|were|had\s+been|has\s+been|been)\s+(?:held|detained|imprisoned|jailed|incarcerated)\b|spent\s+[^.;]{{0,30}}?"
    rf"\bthere\b)[^.;]{{0,60}}?"
    rf"\bfrom\s+(?P<start>{DATE.replace('?P<', '?P<a')})\s+(?:to|until|till)\s+(?:(?:her|his|their)\s+\w+\s+in\s+)?"
    rf"(?P<end>{DATE.replace('?P<', '?P<b')})\b", re.IGNORECASE)
_HELD = re.compile(r"\b(?:prisoner|inmate|detainee|survivor)\b", re.IGNORECASE)
#: A witness's own detention: "I was sent to Chongori re-education camp in 2012 and released in 2016."
_FIRST_PERSON = re.compile(
    rf"\bI\s+was\s+(?:sent|taken|held|detained|imprisoned)\s+(?:to|in|at)\s+(?:the\s+)?[^.;]{{3,80}}?\s+(?:in|from)\s+"
    rf"(?P<start>{DATE.replace('?P<', '?P<a')})\s+(?:and\s+(?:was\s+)?released\s+in|to|until)\s+"
    rf"(?P<end>{DATE.replace('?P<', '?P<b')})\b")


def _date(m: re.Match, prefix: str) -> str | int:
    """The date of one side of a period ("a" the start, "b" the end), as the authoring format writes it."""
    groups = {k[1:]: v for k, v in m.groupdict().items() if k.startswith(prefix) and len(k) == 3}
    return parse_date_match(SimpleNamespace(groupdict=lambda: groups))  # type: ignore[arg-type]


def periods(doc: Document, found: list[Mention]) -> list[tuple[re.Match, tuple[int, int], str, str | None]]:
    """The detention periods of a document: (the match, its sentence, the person's id, the facility's id or None)."""
    clean = doc.clean
    intros = []  # (offset, person id, facility id or None)
    for m in appositive_people(clean):
        if not _HELD.search(m.group("title")):
            continue
        at = doc.span(m.end(), m.end() + 1)[0]
        place = next((x.entity for x in found if x.start == at and x.kind == "facility"), None)
        intros.append((m.start(), f"person/{slug(m.group('name'))}", place))
    intros += [(i.at, i.person, i.facility) for i in introductions(doc, found) if i.how == "first-person"]
    intros.sort()
    if not intros:
        return []
    sents = sentences(clean)
    starts = [s for s, _ in sents]
    out = []
    matches = sorted([*_PERIOD.finditer(clean), *_FIRST_PERSON.finditer(clean)], key=lambda m: m.start())
    for m in matches:
        before = [i for i in intros if i[0] < m.start() and m.start() - i[0] < 1500]
        if not before:
            continue
        _, person, place = before[-1]
        sent = sentence_of(sents, starts, m.start())
        s, e = doc.span(*sent)
        named = [x for x in found if s <= x.start and x.end <= e and x.kind == "facility" and not x.inner]
        if m.re is _FIRST_PERSON:  # the place is the facility the words "I was sent to ..." name
            ms, me = doc.span(m.start(), m.end())
            named = [x for x in named if ms <= x.start and x.end <= me]
            place = named[0].entity if named else None
        elif named and not re.search(r"\bthere\b", m.group()):
            place = named[0].entity
        out.append((m, sent, person, place))
    return out


def event_records(doc: Document, found: list[Mention]) -> list[tuple[str, str, tuple[int, int]]]:
    """The detention events the periods of a document introduce: (id, label, clean span of the period)."""
    return [(f"event/{person.split('/', 1)[1]}-detention", f"Detention of {person.split('/', 1)[1].replace('-', ' ').title()}",
             (m.start(), m.end())) for m, _, person, _ in periods(doc, found)]


@rule("detention-period", order=117, document=True, predicates=("victim", "place", "startDate", "endDate", "heldAt"))
def rule_detention_periods(doc: Document, found: list[Mention]) -> list[dict]:
    """A detention period of the person a prisoner apposition introduced before it."""
    out = []
    for m, sent, person, place in periods(doc, found):
        facts = {"victim": person, **({"place": place} if place else {}),
                 "startDate": _date(m, "a"), "endDate": _date(m, "b")}
        claim = hedged_candidate(doc, sent, (m.start(), m.end()), f"event/{person.split('/', 1)[1]}-detention", facts,
                                 "detention-period", 0.65, found)
        if claim:
            out.append(claim)
        if m.re is _FIRST_PERSON and place:  # "I was sent to F in Y": the witness was held at F
            held = candidate(doc, sent, (m.start(), m.start("start") + len(m.group("start"))), person, {"heldAt": place},
                             "first-person-held", 0.6, span=doc.span(m.start(), m.end("start")))
            if held:
                out.append(held)
    return out
