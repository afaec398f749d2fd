"""Audits of the authored claims: a reproducible random sample to read against the sources, and its tally.

A team keeps measuring its own quality by drawing claims at random, having someone who neither
curated nor reviewed them read each one against its source passage, and counting the verdicts:

- :func:`draw` picks ``n`` claims with a seed (the same graph, seed and filters give the same claims,
  in the same order), optionally of one source or with one predicate;
- :func:`items` gives each claim's facts in words, its quote inside the source text around it
  (±300 characters of the corpus) and its review status;
- :func:`write_html` writes the sheet to read (a Jinja2 template, autoescaped) and
  :func:`write_yaml` the file to fill in: one ``verdict`` (right, minor, wrong) and ``note`` per claim;
- :func:`tally` counts a filled-in file into rates with 95% Wilson score intervals.

It lives in ``claims`` because it reads the claims as authored (with their file and line, so a
finding leads straight to the record to fix) rather than the built store.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from rightsgraph.claims.records import Claim, Collection, Figure, Violation
from rightsgraph.claims.yamlfile import read_yaml
from rightsgraph.errors import UsageError
from rightsgraph.sources.corpus import Corpus

#: Characters of source text shown on each side of a quote.
CONTEXT = 300
#: The verdicts a reader gives, in the order the sheet offers them.
VERDICTS = ("right", "minor", "wrong")
_VERDICT_WORDS = {"right": "right", "fully right": "right", "minor": "minor", "minor problem": "minor",
                  "wrong": "wrong"}
#: z for a two-sided 95% interval.
Z95 = 1.959963984540054


@dataclass
class Item:
    """One sampled claim as the reader sees it."""

    number: int
    claim: str
    key: str
    source: str
    file: str
    line: int
    subject: str
    facts: list[str]
    quote: str
    before: str = ""
    after: str = ""
    start: int | None = None
    end: int | None = None
    review: str = "curated"
    provenance: list[str] = field(default_factory=list)


def _predicates(claim: Claim) -> set[str]:
    if claim.entity is not None:
        return {"type", "label"} | ({"altLabel"} if claim.entity.aliases else set())
    return {f.predicate.name for f in claim.facts}


def draw(collection: Collection, n: int, seed: int, source: str | None = None,
         predicate: str | None = None) -> list[Claim]:
    """``n`` claims (all of them if fewer qualify) drawn with ``seed``; entity records count as claims.

    The population is ordered by claim IRI before drawing, so the draw does not depend on the order
    of files or records, only on what the graph holds.
    """
    if n < 1:
        raise UsageError("--sample must be at least 1")
    population = [c for c in collection.claims
                  if (source is None or c.source == source) and (predicate is None or predicate in _predicates(c))]
    if not population:
        what = " and ".join(x for x in (f"source {source!r}" if source else "", f"predicate {predicate!r}" if predicate else "") if x)
        raise UsageError(f"no claim to sample with {what}")
    population.sort(key=lambda c: str(c.iri))
    return random.Random(seed).sample(population, min(n, len(population)))


def _name(ref: str, collection: Collection) -> str:
    e = collection.entities.get(ref)
    return f"{e.label} ({ref})" if e is not None else ref


def _figure(fig: Figure) -> str:
    if fig.stated_as is not None:
        number = f'"{fig.stated_as}"'
    elif fig.value is not None:
        number = str(fig.value)
    else:
        number = "–".join(str(x) if x is not None else "?" for x in (fig.low, fig.high))
    parts = [" ".join(x for x in (fig.qualifier, number, fig.unit) if x)]
    if fig.measure is not None:
        parts.append(f"measure {str(fig.measure).rsplit('/', 1)[-1]}")
    if fig.period:
        parts.append(f"period {fig.period}")
    if fig.as_of is not None:
        parts.append(f"as of {fig.as_of}")
    if fig.dated_by_publication:
        parts.append("dated by the document's publication")
    if fig.undated:
        parts.append(f"undated: {fig.undated}")
    return "; ".join(parts)


def _value(value: Any, collection: Collection) -> str:
    if isinstance(value, Figure):
        return _figure(value)
    if isinstance(value, Violation):
        text = str(value.type).rsplit("/", 1)[-1]
        for role, refs in (("victims", value.victims), ("perpetrators", value.perpetrators)):
            if refs:
                text += f"; {role}: " + ", ".join(_name(_ref(r), collection) for r in refs)
        return text
    ref = _ref(value)
    return _name(ref, collection) if ref in collection.entities else str(value)


def _ref(value: Any) -> str:
    """An entity IRI as its id (``facility/kwanliso-15``); anything else as it is."""
    text = str(value)
    marker = "/id/"
    if marker in text:
        return text.split(marker, 1)[1]
    return text


def facts_in_words(claim: Claim, collection: Collection) -> list[str]:
    """The claim's facts, one line each: ``predicate: value`` with entity labels and figure details."""
    if claim.entity is not None:
        e = claim.entity
        lines = [f"type: {str(e.type).rsplit('#', 1)[-1]}", f"label: {e.label}"]
        lines += [f"altLabel: {a}" for a in e.aliases]
        if e.description:
            lines.append(f"description: {e.description}")
        return lines
    return [f"{f.predicate.name}: {_value(f.value, collection)}" for f in claim.facts]


def items(claims: list[Claim], collection: Collection, corpus: Corpus | None) -> list[Item]:
    """The sampled claims as the reader sees them, with ±:data:`CONTEXT` characters of source text."""
    out = []
    for number, c in enumerate(claims, 1):
        ev = c.evidence
        it = Item(number=number, claim=str(c.iri), key=c.key, source=c.source, file=c.origin.file, line=c.origin.line,
                  subject=_name(c.subject, collection), facts=facts_in_words(c, collection), quote=ev.quote,
                  start=ev.start, end=ev.end, review=c.review_status)
        if c.reviewed_by:
            it.review += f" by {c.reviewed_by} on {c.reviewed_on}"
        it.provenance = [f"certainty: {c.certainty}"]
        if c.according_to:
            it.provenance.append(f"according to: {_name(c.according_to, collection)}")
        if c.attribution:
            it.provenance.append(f"attribution: {c.attribution}")
        if c.as_of is not None:
            it.provenance.append(f"as of: {c.as_of}" + (" (the document's publication date)" if c.dated_by_publication else ""))
        if c.note:
            it.provenance.append(f"curator's note: {c.note}")
        record = collection.sources.get(c.source)
        text = corpus.text(record) if corpus is not None and record is not None else None
        if text is not None and ev.start is not None and ev.end is not None and text[ev.start:ev.end] == ev.quote:
            it.before = text[max(0, ev.start - CONTEXT):ev.start]
            it.after = text[ev.end:ev.end + CONTEXT]
        out.append(it)
    return out


def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("rightsgraph.claims", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True)
    return env.get_template("audit.html.j2")


def write_html(path: Path, sheet: list[Item], meta: dict) -> Path:
    """Write the reading sheet: each claim, its quote highlighted in its context, and verdict boxes."""
    path.write_text(_template().render(items=sheet, meta=meta, verdicts=VERDICTS, context=CONTEXT), encoding="utf-8")
    return path


def write_yaml(path: Path, sheet: list[Item], meta: dict) -> Path:
    """Write the file a reader fills in: ``verdict`` (right, minor, wrong) and ``note`` per claim."""
    doc = {
        "audit": {**meta, "instructions": "Read each claim against its source passage and context (the HTML sheet). "
                                          "verdict: right (fully right), minor (a minor problem), or wrong; "
                                          "note: what is wrong, in plain words. auditor: your name."},
        "auditor": "",
        "claims": [{"n": it.number, "claim": it.claim, "where": f"{it.file}:{it.line}", "quote": it.quote,
                    "facts": it.facts, "verdict": "", "note": ""} for it in sheet],
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return path


def meta(n: int, seed: int, source: str | None, predicate: str | None, drawn: int, population_note: str = "") -> dict:
    """What the audit was drawn from, so anyone can draw it again."""
    return {"sample": n, "seed": seed, "source": source, "predicate": predicate, "drawn": drawn,
            "drawn_on": date.today().isoformat(),
            "command": " ".join(["rightsgraph audit", f"--sample {n}", f"--seed {seed}"]
                                + ([f"--source {source}"] if source else []) + ([f"--predicate {predicate}"] if predicate else [])),
            **({"note": population_note} if population_note else {})}


# -- tally ---------------------------------------------------------------------------------------

def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``k`` successes in ``n`` trials.

    >>> [round(x, 4) for x in wilson(0, 100)]
    [0.0, 0.037]
    >>> [round(x, 4) for x in wilson(3, 100)]
    [0.0103, 0.0845]
    """
    if n == 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    # at k = 0 or k = n the bound is 0 or 1 exactly; floating point may miss it by an ulp
    return (0.0 if k == 0 else low), (1.0 if k == n else high)


@dataclass
class Tally:
    """The verdicts of a filled-in audit and the rates they give."""

    counts: dict[str, int]
    unfilled: list[int]
    auditor: str = ""

    @property
    def judged(self) -> int:
        return sum(self.counts.values())

    def rate(self, *verdicts: str) -> tuple[int, float, float, float]:
        """(count, rate, low, high) of the claims given any of ``verdicts``, over the judged ones."""
        k = sum(self.counts[v] for v in verdicts)
        n = self.judged
        low, high = wilson(k, n)
        return k, (k / n if n else 0.0), low, high

    def lines(self) -> list[str]:
        rows = [("fully right", ("right",)), ("minor problem", ("minor",)), ("wrong", ("wrong",)),
                ("any problem (minor or wrong)", ("minor", "wrong"))]
        out = [f"{self.judged} claims judged" + (f" by {self.auditor}" if self.auditor else "")
               + (f"; {len(self.unfilled)} without a verdict (left out): {', '.join(map(str, self.unfilled))}"
                  if self.unfilled else "")]
        for label, verdicts in rows:
            k, r, low, high = self.rate(*verdicts)
            out.append(f"{label:30} {k:4d}  {100 * r:5.1f}%  (95% CI {100 * low:5.1f}% – {100 * high:5.1f}%, Wilson)")
        return out


def tally(path: Path) -> Tally:
    """Count the verdicts of a filled-in audit file; unknown verdicts are a usage error naming the claim."""
    data = read_yaml(path, str(path))
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise UsageError(f"{path}: not an audit file (expected 'claims:' as written by rightsgraph audit)")
    counts = {v: 0 for v in VERDICTS}
    unfilled = []
    for i, entry in enumerate(data["claims"], 1):
        number = entry.get("n", i) if isinstance(entry, dict) else i
        raw = str(entry.get("verdict") or "").strip().lower() if isinstance(entry, dict) else ""
        if not raw:
            unfilled.append(number)
            continue
        verdict = _VERDICT_WORDS.get(raw)
        if verdict is None:
            raise UsageError(f"{path}: claim {number}: verdict {raw!r} is not one of right, minor, wrong")
        counts[verdict] += 1
    return Tally(counts, unfilled, str(data.get("auditor") or ""))
