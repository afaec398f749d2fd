"""Death figures: how many people died in an event, a group, a camp or a place."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention, inside_other, nearest
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import HEDGED, about_deaths, figures
from rightsgraph.sources.reading import Document


@rule("deaths", order=30, words=("die", "death", "dead", "perish", "kill", "lives", "mortality", "surviv"),
      needs=("event", "group", "facility", "place"), predicates=("deathCount",))
def rule_deaths(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Death figures ("X people died", "claimed the lives of X", "X deaths") on the event, group or place named."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for name, a, b, figure in figures(clean, deaths=True):
        if not about_deaths(clean, a, b):
            continue
        focus = (sent[0] + a, sent[0] + b)
        at, end = doc.span(*focus)
        left = clean.rfind(";", 0, a) + 1
        right = clean.find(";", b)
        clause = doc.span(sent[0] + left, sent[0] + (len(clean) if right < 0 else right))
        local = [m for m in found if clause[0] <= m.start and m.end <= clause[1]]
        events = [m for m in local if m.kind == "event" and not m.inner and abs(m.start - at) < 150]
        groups = [g for g in local if g.kind == "group" and at <= g.start <= end + 30]
        facilities = [f for f in local if f.kind == "facility" and f.start > end and not inside_other(f, found)
                      and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", doc.clean[max(end, f.start - 12):f.start])]
        places = [p for p in local if p.kind == "place" and not p.inner]
        if events:
            subject, confidence = nearest(events, at), 0.65
        elif groups:
            subject, confidence = groups[0], 0.6
        elif facilities:
            subject, confidence = nearest(facilities, at), 0.55
        elif places:
            subject, confidence = nearest(places, at), 0.45
        else:
            continue
        qualifier = figure.get("qualifier", "")
        claim = hedged_candidate(doc, sent, focus, subject.entity, {"deathCount": figure}, f"death-figure-{name}",
                                 confidence, found, "estimated" if qualifier in HEDGED else None)
        if claim:
            out.append(claim)
    return out
