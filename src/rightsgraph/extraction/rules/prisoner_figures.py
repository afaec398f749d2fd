"""Prisoner figures: how many people a camp, a prison or a group held."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention, inside_other, nearest, within
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import HEDGED, PEOPLE, Gate, about_deaths, figures
from rightsgraph.sources.reading import Document


_PRISON_CONTEXT = Gate(r"prisoner|inmate|detainee|\bheld\b|detained|imprisoned|incarcerated|prison camp|interned",
                       ("prisoner", "inmate", "detainee", "held", "detained", "imprisoned", "incarcerated", "prison camp",
                        "interned"))
_COUNTED = re.compile(r"\s*(?:more\s+)?(?P<noun>prisoners|inmates|detainees)\b", re.IGNORECASE)
_COUNTED_BEFORE = re.compile(r"\b(?:number|total)\s+of\s+(?P<noun>prisoners|inmates|detainees)\b[^.;]{0,40}$", re.IGNORECASE)


@rule("prisoner-figures", order=20, words=("prison", "inmate", "detain", "held", "incarcerat", "interned"),
      predicates=("prisonerCount",))
def rule_prisoner_figures(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Prisoner figures ("up to", "about", "between X and Y", "X to Y", "more than") on the group the figure counts,
    the facility named, or else the group of prisoners the document names most."""
    clean = doc.clean[sent[0]:sent[1]]
    if not _PRISON_CONTEXT.search(clean):
        return []
    facilities = [m for m in within(found, doc, sent, ("facility",)) if not inside_other(m, found)]
    groups = within(found, doc, sent, ("group",))
    prison_groups = [m for m in groups if re.search(r"prison|detain|inmate", m.entity)]
    out: list[dict] = []
    group_starts = frozenset(g.start - sent[0] for g in groups)  # identity offsets: clean and text share indices
    for name, a, b, figure in figures(clean, counted=group_starts):
        if about_deaths(clean, a, b):
            continue
        focus = (sent[0] + a, sent[0] + b)
        at, end = doc.span(*focus)
        confidence = {"plain": 0.6, "approximate": 0.7}.get(name, 0.75)
        counted = [g for g in groups if end <= g.start <= end + 12 and (
            g in prison_groups or re.match(r"[^.;,]{0,12}\b(?:are|were|is|was|being)\s+(?:held|detained|imprisoned|incarcerated"
                                           r"|interned)\b", doc.clean[g.end:g.end + 60]))]
        if name == "plain" and (figure["value"] < 2 or not counted and not re.match(rf"\s*(?:{PEOPLE}\b|\+)", clean[b:b + 40],
                                                                                      re.IGNORECASE)):
            continue
        if counted:
            subject = counted[0].entity
        elif facilities or prison_groups:
            near = facilities or prison_groups
            subject = nearest(near, at).entity
            if len({x.entity for x in near}) > 1:
                confidence -= 0.25  # which of several places the figure belongs to is a guess
        else:
            m = _COUNTED.match(clean, b) or _COUNTED_BEFORE.search(clean, max(0, a - 80), a)
            subject = ctx.salient_group(m.group("noun").lower()) if m else None
            if subject is None:
                continue
            confidence -= 0.3
        if subject.startswith("group/"):
            confidence -= 0.05
        qualifier = figure.get("qualifier", "")
        claim = hedged_candidate(doc, sent, focus, subject, {"prisonerCount": figure}, f"prisoner-figure-{name}",
                                 confidence, found, "estimated" if qualifier in HEDGED else None)
        if claim:
            out.append(claim)
    return out
