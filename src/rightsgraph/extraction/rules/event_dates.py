"""Event dates: the date, or the start and end, of an event named in a sentence with a date."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention, within
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import DATE_RE, MONTH, parse_date_match, real_date
from rightsgraph.sources.reading import Document


_SPAN = re.compile(rf"\b(?:from|between)\s+(?P<a>{MONTH}\s+\d{{4}}|{MONTH}|(?:1[89]|20)\d\d)\s+(?:to|and|until|through)\s+"
                   rf"(?P<b>{MONTH}\s+\d{{4}}|(?:1[89]|20)\d\d)\b")


@rule("event-dates", order=70, needs=("event",), predicates=("date", "startDate", "endDate"))
def rule_event_dates(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Event dates: an event named in a sentence with one date ("On June 16, 2009, ...") gets that date; "from X to Y"
    gives its startDate and endDate."""
    events = [m for m in within(found, doc, sent, ("event",), inner=False)]
    if len({m.entity for m in events}) != 1:
        return []
    event = events[0]
    clean = doc.clean[sent[0]:sent[1]]
    span = _SPAN.search(clean)
    if span:
        a, b = span.group("a"), span.group("b")
        year = re.search(r"\d{4}", b).group(0)
        start = DATE_RE.fullmatch(a if re.search(r"\d{4}", a) else f"{a} {year}")
        end = DATE_RE.fullmatch(b)
        if start and end:
            facts = {"startDate": parse_date_match(start), "endDate": parse_date_match(end)}
            if all(real_date(v) for v in facts.values()):
                claim = hedged_candidate(doc, sent, (sent[0] + span.start(), sent[0] + span.end()), event.entity, facts,
                                         "event-span", 0.5, found)
                return [claim] if claim else []
        return []
    dates = [m for m in DATE_RE.finditer(clean)]
    if len(dates) != 1 or re.search(r"\b(?:since|until|till|by|before|after|from|as\s+of)\s*$", clean[:dates[0].start()],
                                    re.IGNORECASE):
        return []
    date = parse_date_match(dates[0])
    if not real_date(date):
        return []
    claim = hedged_candidate(doc, sent, (sent[0] + dates[0].start(), sent[0] + dates[0].end()), event.entity, {"date": date},
                             "event-date", 0.5, found)
    return [claim] if claim else []
