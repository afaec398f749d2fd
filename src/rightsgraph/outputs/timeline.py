"""A timeline of dated events, as a PNG and as an HTML page where every point names its claims."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from rightsgraph.model import ontology as ontology_mod
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries


@dataclass
class Event:
    """A dated event, with the claims and sources that date it."""

    iri: str
    label: str
    date: str
    year: float
    kind: str
    claims: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def decimal_year(date: str) -> float:
    """Place an xsd:date, gYearMonth or gYear on a continuous year axis (a year or month at its middle).

    >>> decimal_year("2013"), decimal_year("2013-07"), round(decimal_year("2013-12-13"), 3)
    (2013.5, 2013.54, 2013.948)
    """
    parts = date.split("-")
    if len(parts) == 1:
        return int(parts[0]) + 0.5
    if len(parts) == 2:
        return round(int(parts[0]) + (int(parts[1]) - 0.5) / 12, 2)
    day = dt.date.fromisoformat(date)
    start = dt.date(day.year, 1, 1)
    return day.year + (day - start).days / (366 if day.year % 4 == 0 else 365)


def events(target, paths: Paths) -> list[Event]:
    """Return the dated events in date order (the project's named query ``timeline-events``, its ontology's classes).

    >>> from rightsgraph import release
    >>> p = proj  # this checkout's project (see conftest.py)
    >>> evs = events(release.open(p), p)
    >>> evs == sorted(evs, key=lambda e: (e.year, e.label)) and len(evs) > 10
    True
    """
    onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    found: dict[tuple[str, str], Event] = {}
    types: dict[str, set[str]] = {}
    named = queries.resolve("timeline-events", paths.queries)
    for event, label, date, rdf_type, claim, source in queries.run(target, named).rows:
        key = (str(event), str(date))
        ev = found.get(key)
        if ev is None:
            ev = found[key] = Event(str(event), str(label), str(date), decimal_year(str(date)), "")
        types.setdefault(str(event), set()).add(str(rdf_type))
        if str(claim) not in ev.claims:
            ev.claims.append(str(claim))
        if str(source) not in ev.sources:
            ev.sources.append(str(source))
    for ev in found.values():
        ts = types.get(ev.iri, set())
        best = max(ts, key=lambda t: (len(list(onto.graph.transitive_objects(URIRef(t), None))), t)) if ts else ""
        ev.kind = onto.label(URIRef(best)) if best else "event"
    return sorted(found.values(), key=lambda e: (e.year, e.label))


def figure(evs: list[Event], title: str = "Dated events by kind"):
    """Return a matplotlib Figure: one row per kind of event, one point per dated event."""
    import matplotlib.pyplot as plt  # headless, matplotlib picks a non-interactive backend itself

    kinds = sorted({e.kind for e in evs})
    per_column = 20
    columns = max(1, -(-len(evs) // per_column))
    key_rows = min(len(evs), per_column)
    chart_h = 0.45 * len(kinds) + 1.6
    fig = plt.figure(figsize=(12, chart_h + 0.19 * key_rows + 0.6))
    ax = fig.add_axes((0.2, 1 - (chart_h - 0.5) / fig.get_figheight(), 0.77, (chart_h - 1.1) / fig.get_figheight()))
    cmap = plt.get_cmap("tab20")
    for i, kind in enumerate(kinds):
        xs = [e.year for e in evs if e.kind == kind]
        ax.scatter(xs, [i] * len(xs), s=40, color=cmap(i % 20), edgecolor="black", linewidth=0.4, zorder=3)
    # every point carries its number; the key below names it (numbers alternate above and below the row)
    for n, e in enumerate(evs, 1):
        row = kinds.index(e.kind)
        ax.annotate(str(n), (e.year, row), xytext=(0, 7 if n % 2 else -12), textcoords="offset points",
                    ha="center", fontsize=7, zorder=4)
    ax.set_yticks(range(len(kinds)))
    ax.set_yticklabels(kinds)
    ax.set_ylim(-0.7, len(kinds) - 0.3)
    ax.set_xlabel("year")
    ax.set_title(title)
    ax.grid(axis="x", color="#ddd", zorder=0)
    width = 1 / columns
    for c in range(columns):
        chunk = evs[c * per_column:(c + 1) * per_column]
        text = "\n".join(f"{c * per_column + i + 1:>3}  {e.date}  {_short(e.label, int(120 / columns))}"
                         for i, e in enumerate(chunk))
        fig.text(0.02 + c * width, (0.19 * key_rows + 0.3) / fig.get_figheight(), text, fontsize=7,
                 family="monospace", va="top")
    return fig


def _short(text: str, n: int) -> str:
    """``text`` cut to ``n`` characters at a word boundary, with an ellipsis when cut.

    >>> _short("Closure of Onsong prison camp", 20)
    'Closure of Onsong…'
    """
    if len(text) <= n:
        return text
    cut = text[:n - 1].rsplit(" ", 1)[0]
    return cut + "…"


def png(evs: list[Event], path: str | Path) -> Path:
    """Write the timeline figure as a PNG."""
    import matplotlib.pyplot as plt

    fig = figure(evs)
    fig.savefig(path, dpi=110)  # the format follows the suffix: .png, .svg or .pdf
    plt.close(fig)
    return Path(path)


def page(evs: list[Event], path: str | Path, title: str = "rightsgraph timeline") -> Path:
    """Write an HTML timeline: an SVG whose points name their event, and a table of events with their claims."""
    kinds = sorted({e.kind for e in evs})
    lo = min((e.year for e in evs), default=2000.0)
    hi = max((e.year for e in evs), default=2001.0)
    width, left, row = 1100, 190, 34
    height = row * len(kinds) + 50
    x = lambda year: left + (year - lo) / max(hi - lo, 1) * (width - left - 20)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, kind in enumerate(kinds):
        parts.append(f'<text x="{left - 8}" y="{30 + i * row + 4}" text-anchor="end" font-size="12">{html.escape(kind)}</text>')
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{30 + i * row}" y2="{30 + i * row}" stroke="#eee"/>')
    for year in range(int(lo), int(hi) + 1, max(1, (int(hi) - int(lo)) // 12 or 1)):
        parts.append(f'<text x="{x(year):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{year}</text>')
    for n, e in enumerate(evs):
        tip = f"{e.date} · {e.label} ({e.kind}) · sources: {', '.join(e.sources)}"
        cy = 30 + kinds.index(e.kind) * row
        parts.append(f'<a href="#ev{n}"><circle cx="{x(e.year):.1f}" cy="{cy}" r="5" '
                     f'fill="#b03a2e" fill-opacity="0.75"><title>{html.escape(tip)}</title></circle>'
                     f'<text x="{x(e.year):.1f}" y="{cy - 7 if n % 2 == 0 else cy + 15}" font-size="9" '
                     f'text-anchor="middle">{n + 1}</text></a>')
    parts.append("</svg>")
    rows = []
    for n, e in enumerate(evs):
        claims = "<br>".join(f'<a href="{html.escape(c)}">{html.escape(c)}</a>' for c in e.claims)
        rows.append(f'<tr id="ev{n}"><td>{n + 1}</td><td>{html.escape(e.date)}</td><td><a href="{html.escape(e.iri)}">{html.escape(e.label)}</a></td>'
                    f"<td>{html.escape(e.kind)}</td><td>{html.escape(', '.join(e.sources))}</td><td>{claims}</td></tr>")
    doc = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
           "<style>body{font:14px/1.4 system-ui,sans-serif;margin:16px}table{border-collapse:collapse}"
           "td,th{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}"
           "tr:target{background:#fdebd0}</style></head><body>"
           f"<h1>{html.escape(title)}</h1><p>{len(evs)} dated events. Each point links to its row; each row lists the claims that date the event.</p>"
           + "".join(parts)
           + "<table><tr><th>#</th><th>date</th><th>event</th><th>kind</th><th>sources</th><th>claims</th></tr>"
           + "".join(rows) + "</table></body></html>")
    path = Path(path)
    path.write_text(doc, encoding="utf-8")
    return path
