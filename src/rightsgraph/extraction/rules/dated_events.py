"""Visits, meetings and hearings with their dates: "undertook an official visit to the Republic of Korea from 7 to 11
November 2022", "On 16 November 2021 the Network's director, X, met members of the European Parliament in Brussels",
"The subcommittee heard three witnesses on 5 May 2023", "presented at a side event in Prague on 18 October 2019".

Each gives a new event (``event/<what>-<place>-<date>``, a Meeting, Hearing or Event the review file proposes, see
:func:`event_records`) with its ``date`` (or ``startDate`` and ``endDate``), its ``place`` (a known place, or a new one
after "in") and its ``participant``: the people the document introduces who are named in the sentence, and the
organisations named after "met". Only a sentence with a day, month and year is read: an undated "she met" is no event.
"""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, slug
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.speakers import introductions
from rightsgraph.extraction.text import DATE, MONTH, Gate, parse_date_match, real_date, sentences
from rightsgraph.sources.reading import Document

_KINDS = [
    ("Hearing", "hearing", re.compile(r"\b(?:heard|hearing)\b[^.;]{0,40}\bwitness(?:es)?\b|\bheld\s+a\s+hearing\b", re.I)),
    ("Event", "visit", re.compile(r"\b(?:undertook|made|paid|conducted|began)\s+(?:an?\s+|his\s+|her\s+)?(?:official\s+|country\s+"
                                  r"|fact-finding\s+|working\s+)?visit\s+to\b|\bvisited\b", re.I)),
    ("Meeting", "meeting", re.compile(r"\bmet\s+(?:with\s+)?(?:members|representatives|a\s+delegation|officials|the|staff)\b"
                                      r"|\b(?:side\s+event|round\s*table|roundtable|briefing|conference)\b", re.I)),
]
_GATE = Gate(r"heard|hearing|visit|\bmet\b|side\s+event|round\s*table|briefing|conference",
             ("hear", "visit", "met", "side", "round", "briefing", "conference"))
_FULL_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+{MONTH}\s+\d{{4}}|{MONTH}\s+\d{{1,2}},?\s+\d{{4}})\b")
_RANGE = re.compile(rf"\bfrom\s+(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{MONTH}))?\s+(?:to|until|–|-)\s+(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH})"
                    rf"\s+(?P<y>\d{{4}})\b")
_ON_DATE = re.compile(rf"\b(?:[Oo]n|[Ff]rom)?\s*{DATE}")
_NEW_PLACE = re.compile(r"\bin\s+(?P<name>[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)(?=\s+on\b|[,.;]|\s+to\b)")
_NEW_ORG = re.compile(r"\bmet\s+(?:with\s+)?(?:(?:members|representatives|staff|officials)\s+of\s+)?(?:the\s+)?"
                      r"(?P<name>(?:[A-Z][\w’'-]*\s+){0,4}(?:Parliament|Assembly|Congress|Senate|Committee|Commission|Council"
                      r"|Ministry|Office|Mission))\b")


def _month(name: str) -> int:
    """The number of a month from its name or abbreviation."""
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(name[:3].lower()) + 1


def events(doc: Document, found: list[Mention]) -> list[dict[str, Any]]:
    """The dated visits, meetings and hearings of a document: for each, its id, type, label, clean span (the sentence),
    facts and the new place it names (id, name, clean span) or None."""
    intros: list = []
    out: list[dict[str, Any]] = []
    for sent in sentences(doc.clean):
        text = doc.clean[sent[0]:sent[1]]
        if not _GATE.search(text) or not _FULL_DATE.search(text) or not re.search(r"[.!?][\"”’)]*$", text):
            continue  # undated, or a heading ("Notes from the Prague side event, 18 October 2019")
        kind = next(((t, w, m) for t, w, p in _KINDS for m in [p.search(text)] if m), None)
        if kind is None:
            continue
        type_name, word, verb = kind
        facts: dict[str, Any] = {}
        r = _RANGE.search(text)
        if r and type_name == "Event":
            y, m2 = int(r.group("y")), _month(r.group("m2"))
            m1 = _month(r.group("m1")) if r.group("m1") else m2
            facts["startDate"] = f"{y:04d}-{m1:02d}-{int(r.group('d1')):02d}"
            facts["endDate"] = f"{y:04d}-{m2:02d}-{int(r.group('d2')):02d}"
        else:
            dates = [parse_date_match(d) for d in _ON_DATE.finditer(text)]
            dates = [d for d in dates if isinstance(d, str) and len(d) == 10 and real_date(d)]
            if not dates:
                continue
            facts["date"] = dates[0]
        s, e = doc.span(*sent)
        local = [x for x in found if s <= x.start and x.end <= e and not x.inner]
        verb_at = doc.span(sent[0] + verb.start(), sent[0] + verb.end())
        places = [x for x in local if x.kind == "place" and re.search(r"\b(?:in|to|at)\s+(?:the\s+)?$",
                                                                      doc.clean[max(0, x.start - 12):x.start])
                  and (x.start >= verb_at[0] or type_name != "Event")]
        new_place = None
        if places:
            facts["place"] = places[0].entity
        else:
            p = _NEW_PLACE.search(text)
            if p and not any(x.start <= doc.span(sent[0] + p.start("name"), sent[0] + p.start("name") + 1)[0] < x.end
                             for x in found):
                name = p.group("name")
                new_place = (f"place/{slug(name)}", name, (sent[0] + p.start("name"), sent[0] + p.end("name")))
                facts["place"] = new_place[0]
        intros = intros or introductions(doc, found)
        participants = [i.person for i in intros if sent[0] <= i.at < sent[1]]
        participants += [x.entity for x in local if x.kind == "person" and x.entity not in participants]
        o = _NEW_ORG.search(text)
        if o:
            at = doc.span(sent[0] + o.start("name"), sent[0] + o.end("name"))
            known = [x for x in local if x.kind == "org" and at[0] <= x.start < at[1]]
            name = re.sub(r"^(?:The|A)\s+", "", " ".join(o.group("name").split()))
            participants.append(known[0].entity if known else f"org/{slug(name)}")
        if participants:
            facts["participant"] = participants if len(participants) > 1 else participants[0]
        where = facts.get("place", "").split("/", 1)[-1] or "unknown-place"
        when = str(facts.get("date") or facts.get("startDate"))
        place_name = new_place[1] if new_place else next((x.text for x in local if x.entity == facts.get("place")), None)
        label = f"{word.capitalize()}{' in ' + place_name if place_name else ''} ({when})"
        out.append({"id": f"event/{word}-{where}-{when}", "type": type_name, "label": label, "span": sent, "facts": facts,
                    "focus": (sent[0] + verb.start(), sent[0] + verb.end()), "new_place": new_place})
    return out


@rule("dated-events", order=119, document=True, predicates=("date", "startDate", "endDate", "place", "participant"))
def rule_dated_events(doc: Document, found: list[Mention]) -> list[dict]:
    """A dated visit, meeting or hearing: its date or dates, place and participants, as a new event."""
    out = []
    for ev in events(doc, found):
        claim = candidate(doc, ev["span"], ev["focus"], ev["id"], ev["facts"], f"dated-{ev['type'].lower()}", 0.55)
        if claim:
            out.append(claim)
    return out
