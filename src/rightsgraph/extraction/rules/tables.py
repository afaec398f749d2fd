"""Tables: the prisoner count or the area of each camp in a table of camps."""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.sources.reading import Document


_PRISONERS_HEADER = re.compile(r"^\s*(?:prisoners|inmates|detainees|population|number of prisoners)\s*$", re.IGNORECASE)
_AREA_HEADER = re.compile(r"^\s*(?:size|area)\s*$", re.IGNORECASE)
_AREA_CELL = re.compile(r"^\s*(?P<n>\d+(?:[.,]\d+)?)\s*km(?:\^\{2\}|²|2|\s*sq)")
_COUNT_CELL = re.compile(r"^\s*(?P<q>(?:c\.|ca\.|about|approx\.)\s*)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?P<plus>\+)?\s*$")


@rule("tables", order=100, document=True, predicates=("prisonerCount", "areaKm2"))
def doc_rule_tables(doc: Document, found: list[Mention]) -> list[dict]:
    """Pipe tables: in a table whose header has a "Prisoners" or "Size" column, each row naming a camp gives its
    prisonerCount or areaKm2 (in km²), the row being the quote."""
    out = []
    lines = doc.text.split("\n")
    pos = 0
    header: list[str] | None = None
    for line in lines:
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.count("|") >= 3):
            header = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            continue
        a = start + line.index(stripped[1:].lstrip()) if stripped[1:].strip() else start
        b = start + len(line.rstrip().rstrip("|").rstrip())
        row = [m for m in found if a <= m.start and m.end <= b and m.kind == "facility"]
        if not row:
            continue
        facts: dict[str, Any] = {}
        for name, cell in zip(header, cells):
            if _PRISONERS_HEADER.match(name):
                m = _COUNT_CELL.match(cell)
                if m:
                    n = int(m.group("n").replace(",", ""))
                    if m.group("plus"):
                        facts["prisonerCount"] = {"low": n, "qualifier": "+"}
                    elif m.group("q"):
                        facts["prisonerCount"] = {"value": n, "qualifier": m.group("q").strip()}
                    else:
                        facts["prisonerCount"] = n
            elif _AREA_HEADER.match(name):
                m = _AREA_CELL.match(cell)
                if m:
                    number = m.group("n").replace(",", ".")
                    value = float(number)
                    facts["areaKm2"] = int(value) if value.is_integer() and "." not in number else value
        if facts:
            claim = candidate(doc, (a, b), (a, b), row[0].entity, facts, "table-row", 0.8, span=(a, b))
            if claim:
                out.append(claim)
    return out
