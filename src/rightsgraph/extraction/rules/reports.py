"""Reports released on a date, with their title in quotes: "On 2 June 2020, Human Rights Watch released the report
'...'", "In March 2021 we published \"...\"", "X today released its report “...”" (the date of the dateline), and the
counts they document ("which documents 341 cases of forced labour", "interviews with nine former prisoners").

The report is ``document/<slug of the title>``, the id :func:`rightsgraph.extraction.propose.propose_entities` gives
the Report it proposes for the same title (:func:`releases`). A count is a ``figure`` (``peopleCount`` for people
interviewed) with its measure and, as its date, the date of publication (``dated_by: publication``).
"""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, slug, within
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import DATE, number_from_text, parse_date_match, real_date
from rightsgraph.sources.reading import Document

_NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?|two|three|four"
        r"|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
#: "On DATE, WHO released the report 'TITLE'", "In DATE WHO published "TITLE"", "WHO today released its report “TITLE”".
RELEASE = re.compile(
    rf"(?:\b(?:On|on|In|in)\s+{DATE},?\s+(?P<who>[^.;:\"“‘']{{0,90}}?)|(?P<today_who>\b[A-Z][^.;:\"“‘']{{0,90}}?)\s+today)"
    r"\s+(?:has\s+|have\s+)?(?:published|released|issued|launched)\s+(?:(?:its|their|the|a|an|a\s+new)\s+)?"
    r"(?:(?:annual|new|final|latest)\s+)?(?:(?:report|study|book|briefing|paper|survey)\s*,?\s*)?"
    r"(?P<title>\"[^\"\n]{3,200}\"|“[^”\n]{3,200}”|‘[^’\n]{3,200}’|'[^'\n]{3,200}'(?![\w]))")
#: "which documents 341 cases of ...", "documenting 87 cases", "based on interviews with nine former prisoners".
_COUNT = re.compile(
    rf"\b(?:which\s+|that\s+)?(?:documents|documented|documenting|records|recorded|recording)\s+(?P<cases>{_NUM})\s+cases\b"
    rf"(?P<period>[^.;]{{0,80}}?\bbetween\s+(?:1[89]|20)\d\d\s+and\s+(?:1[89]|20)\d\d)?"
    rf"|\binterviews?\s+with\s+(?P<people>{_NUM})\s+(?:former\s+)?(?:prisoners|escapees|defectors|witnesses|refugees|survivors"
    rf"|people|women|men)\b")
_DATELINE = re.compile(rf"^[ \t]*(?:[A-Z][\w .'-]{{1,40}},[ \t]+)?{DATE}\.?[ \t]*(?:[-–—]|$)", re.MULTILINE)


def _title_span(m: re.Match) -> tuple[int, int]:
    """The clean span of a release's title, without its quotation marks."""
    return m.start("title") + 1, m.end("title") - 1


def dateline(doc: Document) -> str | int | None:
    """The date a document gives itself on a line of its own near the top ("Seoul, 14 March 2021."), if any."""
    m = _DATELINE.search(doc.clean, 0, 1500)
    if m is None:
        return None
    date = parse_date_match(m)
    return date if real_date(date) else None


def releases(doc: Document, start: int = 0, end: int | None = None) -> list[tuple[re.Match, str | int]]:
    """The report releases of a document (or of its clean span ``[start, end)``) with their date: (the match in the
    clean text, the date)."""
    out = []
    for m in RELEASE.finditer(doc.clean, start, len(doc.clean) if end is None else end):
        date = parse_date_match(m) if m.group("today_who") is None else dateline(doc)
        if date is not None and real_date(date):
            out.append((m, date))
    return out


def _count(number: str) -> int | None:
    """A count written in digits or words."""
    value = number_from_text(number)
    return int(value) if isinstance(value, (int, float)) and value == int(value) and value > 1 else None


@rule("report-release", order=41, words=("publish", "release", "issue", "launch"), predicates=("publisher", "published",
                                                                                             "figure", "peopleCount"))
def rule_reports(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """A report released on a date with its title in quotes: its publisher (an organisation named before the verb),
    its date, and the counts of cases or interviews the same sentence says it documents."""
    out = []
    s, e = doc.span(*sent)
    for m, date in releases(doc, *sent):
        a, b = _title_span(m)
        title = " ".join(doc.clean[a:b].split())
        subject = f"document/{slug(title)}"
        who_group = "who" if m.group("today_who") is None else "today_who"
        wa, wb = doc.span(m.start(who_group), m.end(who_group)) if m.group(who_group) else (s, s)
        publishers = [x for x in within(found, doc, sent, ("org",), inner=False) if wa <= x.start and x.end <= wb]
        facts: dict[str, Any] = {"published": date}
        if publishers:
            facts = {"publisher": publishers[-1].entity, **facts}
        else:
            new_org = re.search(r"(?:[A-Z][\w’'-]*[ \t]+){1,5}(?:Initiative|Project|Network|Institute|Watch|Centre|Center"
                                r"|Foundation|Coalition|Alliance|Committee|Group)\b", doc.clean[m.start(who_group):m.end(who_group)]
                                ) if m.group(who_group) else None
            if new_org:
                name = re.sub(r"^The\s+", "", new_org.group())
                facts = {"publisher": f"org/{slug(name)}", **facts}
        # the quote: from the date (or the publisher) to the end of the title, all of it text between tags
        start = doc.span(m.start(), m.start() + 1)[0]
        end = doc.span(m.end() - 1, m.end())[1]
        if "<" in doc.text[start:end]:  # the title sits inside markup: the quote stops before the first tag
            end = start + len(doc.text[start:end].split("<", 1)[0].rstrip(" \t\n,"))
        claim = candidate(doc, sent, (m.start(), m.end()), subject, facts, "report-release", 0.7, span=(start, end))
        if claim:
            out.append(claim)
        for c in _COUNT.finditer(doc.clean, m.end(), sent[1]):
            people = c.group("people") is not None
            value = _count(c.group("people") if people else c.group("cases"))
            if value is None:
                continue
            figure: dict[str, Any] = {"value": value, "measure": "people-interviewed" if people else "cases-documented"}
            if c.group("period"):
                figure["period"] = re.search(r"between.*", c.group("period")).group()
            figure.update({"as_of": date, "dated_by": "publication"})
            cs, ce = doc.span(c.start(), c.end())
            count = candidate(doc, sent, (c.start(), c.end()), subject, {"peopleCount" if people else "figure": figure},
                              "report-count", 0.65, span=(cs, ce))
            if count:
                out.append(count)
    return out


def report_records(doc: Document) -> list[tuple[str, str, tuple[int, int]]]:
    """The reports the releases of a document name: (id, title, clean span of the release up to the title's end)."""
    out = []
    for m, _ in releases(doc):
        a, b = _title_span(m)
        title = " ".join(doc.clean[a:b].split())
        out.append((f"document/{slug(title)}", title, (a, b)))
    return out

