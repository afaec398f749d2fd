"""Listings of reports: a title with a date line above or below it gives the report's publication date."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.text import DATE, parse_date_match, real_date
from rightsgraph.sources.reading import Document


_LISTING_DATE = re.compile(rf"^[ \t]*{DATE}[ \t]*(?:[•·|–—-][ \t]*[A-Z][\w ]{{0,30}})?[ \t]*$")


def _lines_around(clean: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of the three lines after and the two lines before the line holding ``[start, end)``."""
    line_start = clean.rfind("\n", 0, start) + 1
    line_end = clean.find("\n", end)
    line_end = len(clean) if line_end < 0 else line_end
    after, pos = [], line_end
    while len(after) < 3 and pos < len(clean):
        nxt = clean.find("\n", pos + 1)
        nxt = len(clean) if nxt < 0 else nxt
        after.append((pos + 1, nxt))
        pos = nxt
    before, pos = [], line_start - 1
    while len(before) < 3 and pos > 0:
        prev = clean.rfind("\n", 0, pos) + 1
        before.append((prev, pos))
        pos = prev - 1
    return after, before


@rule("listing-dates", order=110, document=True, predicates=("published",))
def doc_rule_listing_dates(doc: Document, found: list[Mention]) -> list[dict]:
    """Listings of reports: a line that is a document's title with a line that is only a date (perhaps with a
    "• Report" tag) right below it (after an author line or two) or, set apart by blank lines, right above it, gives
    the document's publication date; placeholder dates (the Unix epoch) are skipped."""
    out = []
    clean = doc.clean
    for men in found:
        if men.inner or men.kind != "document":
            continue
        line_start = clean.rfind("\n", 0, men.start) + 1
        line_end = clean.find("\n", men.end)
        line_end = len(clean) if line_end < 0 else line_end
        if clean[line_start:men.start].strip() or clean[men.end:line_end].strip(" \t?!.:"):
            continue  # the title is not the whole line
        after, before = _lines_around(clean, men.start, men.end)
        candidates = []
        for a, b in after:  # below the title, before any blank line
            if not clean[a:b].strip():
                break
            candidates.append((a, b))
        nonblank = [(a, b) for a, b in before if clean[a:b].strip()]
        if nonblank and before.index(nonblank[0]) <= 1:  # above the title, at most one blank line between
            a, b = nonblank[0]
            i = before.index(nonblank[0])
            if i + 1 >= len(before) or not clean[before[i + 1][0]:before[i + 1][1]].strip():
                candidates.append((a, b))
        for a, b in candidates:
            m = _LISTING_DATE.match(clean[a:b])
            if not m:
                continue
            date = parse_date_match(m)
            a2 = a + (b - a - len(clean[a:b].lstrip()))
            b2 = a + len(clean[a:b].rstrip())
            if real_date(date):
                claim = candidate(doc, (a2, b2), (a2, b2), men.entity, {"published": date}, "listing-date", 0.75,
                                  span=doc.span(a2, b2))
                if claim:
                    out.append(claim)
            break
    return out
