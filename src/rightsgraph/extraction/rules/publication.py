"""Publications: who published a report, and when."""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, slug, within
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import DATE, parse_date_match, real_date
from rightsgraph.sources.reading import Document


PUBLICATION = re.compile(
    r"\b(?:published|released|issued|launched)\s+(?:(?:its|their|the|a|an|a\s+new)\s+)?(?:annual\s+|new\s+|final\s+)?"
    r"(?:report|study|book|white\s+paper|survey)\s*,?\s*(?P<title>[\"“][^\"”]{3,200}[\"”]|[A-Z][^,;]{2,150}?)\s*,?\s+"
    rf"(?:on|in)\s+{DATE}\b")
_DATED_DOCUMENT = re.compile(rf"[\s,]*(?:(?:was|is|were)\s+)?(?:first\s+)?(?:published|released|issued|updated|launched)"
                             rf"\s+(?:on|in)\s+{DATE}\b|[\s”\"’]*\((?P<y5>(?:1[89]|20)\d\d)\)", re.IGNORECASE)


@rule("publication", order=40, words=("publish", "release", "issue", "launch", "update", "("),
      predicates=("publisher", "published"))
def rule_publication(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Publication dates: "X published/released the report Y on DATE" gives Y's publisher and date; "Y, updated on DATE" its date."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in PUBLICATION.finditer(clean):
        date = parse_date_match(m)
        if not real_date(date):
            continue
        verb_at = doc.span(sent[0] + m.start(), sent[0] + m.start() + 1)[0]
        publishers = [x for x in within(found, doc, sent, ("org", "person"), inner=False) if x.end <= verb_at]
        title_start, title_end = doc.span(sent[0] + m.start("title"), sent[0] + m.end("title"))
        titled = [x for x in within(found, doc, sent, ("document",)) if title_start <= x.start and x.end <= title_end]
        facts: dict[str, Any] = {"published": date}
        confidence = 0.8
        note = None
        if publishers:
            facts = {"publisher": publishers[-1].entity, **facts}
        else:
            confidence -= 0.15
        if titled:
            subject = titled[0].entity
        else:
            title = doc.text[title_start:title_end].strip("\"“” ")
            subject = f"document/{slug(title)}"
            note = f"new entity: a Report titled {title!r}"
            confidence -= 0.2
        claim = candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, facts, "publication",
                          confidence, note=note)
        if claim:
            out.append(claim)
    if not out:
        for d in within(found, doc, sent, ("document",), inner=False):
            m = _DATED_DOCUMENT.match(doc.clean, d.end, min(len(doc.clean), d.end + 120))
            if not m:
                after = re.match(r"\s+by\s+[^,.;]{3,60}", doc.clean[d.end:d.end + 80])
                m = _DATED_DOCUMENT.match(doc.clean, d.end + after.end(), d.end + after.end() + 120) if after else None
            if m:
                date = parse_date_match(m)
                if real_date(date):
                    claim = candidate(doc, sent, (d.start, m.end()), d.entity, {"published": date}, "publication-date", 0.7)
                    if claim:
                        out.append(claim)
    return out
