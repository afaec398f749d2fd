"""Camp designations: "Kwan-li-so No. 15" gives the camp named there its officialName and facilityNumber."""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, nearest, within
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.sources.reading import Document


_DESIGNATION = re.compile(r"\b(?P<name>(?P<kind>Kwan-?\s?li-?\s?so|Kwanliso|Kyo-?\s?hwa-?\s?so|Kyohwaso|"
                          r"Political\s+Prison\s+Camp|Camp)\s+No\.?\s*(?P<number>\d{1,3}))\b", re.IGNORECASE)


@rule("camp-designations", order=10, words=("no",), needs=("facility",),
      predicates=("officialName", "facilityNumber"))
def rule_camp_designations(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Camp designations: "Kwan-li-so No. 15" gives the camp named there its officialName and facilityNumber."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _DESIGNATION.finditer(clean):
        start, end = doc.span(sent[0] + m.start(), sent[0] + m.end())
        if any(o.start <= start and end <= o.end and o.kind == "document" for o in found):
            continue  # part of a report's title
        if re.search(r"['’]s\s+$", clean[max(0, m.start() - 3):m.start()]):
            continue  # "North Korea's Camp No. 25": a title (of a report, a section), not a designation
        facilities = within(found, doc, sent, ("facility",))
        inside = [f for f in facilities if f.start <= start and end <= f.end]
        number = int(m.group("number"))
        if inside:
            subject, confidence = inside[0].entity, 0.85
        else:
            near = [f for f in facilities if f.entity.endswith(f"-{number}")] or facilities
            if not near:
                continue
            subject, confidence = nearest(near, start).entity, 0.6
        facts: dict[str, Any] = {}
        if not m.group("kind").lower().startswith("camp"):
            facts["officialName"] = doc.text[start:end]
        facts["facilityNumber"] = number
        claim = candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, facts, "camp-designation",
                          confidence)
        if claim:
            out.append(claim)
    return out
