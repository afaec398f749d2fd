"""The HTML pages of the server, for people: home, search, entity, source and claim pages, and queries.

Every function returns a complete HTML document as a string. The data comes through the library
(named queries, :mod:`rightsgraph.outputs.describe`, :mod:`rightsgraph.outputs.visuals`), never through SPARQL
written here. Every piece of data is escaped with :func:`html.escape`: quotes come from sources and
may hold markup. The pages run no script of their own; the one exception is the network view of an
entity page, a page of :func:`rightsgraph.outputs.visuals.render` held, escaped, in the ``srcdoc`` of a
sandboxed ``<iframe>``. Nothing is loaded from the internet.

``link`` is the callable the server passes: it turns an IRI into the local URL that dereferences
it (``https://w3id.org/rightsgraph/id/facility/kwanliso-15`` -> ``/id/facility/kwanliso-15``).
Every link to an entity, a claim or a source goes through it. ``paths`` is the project whose
ontology and named queries the pages read.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Callable

import jinja2
import markupsafe
from rdflib import RDF, RDFS, SDO, SKOS, BNode, Literal, URIRef

from rightsgraph.errors import UsageError
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import BASE, ID, RG, curie, source_iri
from rightsgraph.outputs import describe as entities
from rightsgraph.outputs import exports as exports_mod
from rightsgraph.outputs import visuals
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries

Link = Callable[[str], str]

#: An entity's network view is embedded when it has at most this many nodes, else linked to /viz.
MAX_EMBEDDED_NODES = 150
#: A query page shows at most this many rows (and says how many there are).
MAX_TABLE_ROWS = 10000
_FIGURE_PARTS = entities.FIGURE_PARTS
#: Qualifiers that read well before the number ("up to 120,000"); the others follow it in brackets.
_PREFIX_QUALIFIERS = {"about", "approximately", "around", "at least", "c.", "more than", "over", "roughly",
                      "some", "up to", "anywhere from", "only", "much higher than", "nearly", "almost", "under"}
#: Names for the few predicates outside the ontology.
_PREDICATE_NAMES = {str(RDF.type): "class", str(RDFS.label): "label", str(SKOS.altLabel): "also known as",
                    str(SDO.description): "description"}
_IRI_RE = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|^`\\]*$", re.IGNORECASE)

_CSS = """
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 8px 16px;
         border-bottom: 1px solid #ddd; background: #f7f7f5; }
header nav a { margin-right: 14px; font-weight: 600; }
header form { margin-left: auto; }
main { max-width: 1100px; margin: 0 auto; padding: 8px 16px 32px; }
footer { max-width: 1100px; margin: 0 auto; padding: 8px 16px 24px; color: #666; font-size: 13px; }
a { color: #1f5fa8; text-decoration: none; } a:hover { text-decoration: underline; }
h1 { font-size: 26px; margin: 16px 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #eee; }
.meta, .offsets, .iri { color: #555; font-size: 13px; } .iri { word-break: break-all; }
code, .mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; word-break: break-all; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f0; }
td.num, th.num { text-align: right; }
blockquote { margin: 6px 0; padding: 4px 10px; border-left: 4px solid #b9b9b0; background: #fafaf7; white-space: pre-wrap; }
.claim { border: 1px solid #e3e3dd; border-radius: 4px; padding: 8px 12px; margin: 10px 0; }
.claim ul.facts { margin: 0 0 4px; padding-left: 18px; }
.pred { color: #555; }
.certainty { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eef; font-size: 13px; }
.certainty.alleged, .certainty.denied { background: #fde9d9; } .certainty.estimated { background: #fff3c4; }
.certainty.confirmed { background: #ddf2dd; }
.aliases li, .related li { display: inline-block; margin: 0 14px 4px 0; }
.aliases, .related { padding-left: 0; list-style: none; }
.error { color: #8a1c1c; background: #fdecec; border: 1px solid #f3c2c2; padding: 8px 12px; white-space: pre-wrap; }
textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; }
iframe.network { width: 100%; height: 560px; border: 1px solid #ddd; }
dl.record { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.record dt { font-weight: 600; } dl.record dd { margin: 0; }
"""


def _e(value) -> str:
    """Escape any value for HTML text or a double-quoted attribute ('' for None)."""
    return html.escape("" if value is None else str(value), quote=True)


#: The page templates (web/templates/), with autoescaping on: a value is escaped unless marked safe.
_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("rightsgraph.web", "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _render(template: str, title: str, **values) -> str:
    """A complete page from ``template`` (which extends layout.html: header, footer, the style sheet)."""
    return _TEMPLATES.get_template(template).render(title=title, css=markupsafe.Markup(_CSS), **values)


def _layout(title: str, body: str) -> str:
    """A complete page around ``body``, HTML that its builder escaped (the pages not yet moved to templates)."""
    return _render("layout.html", title, body=markupsafe.Markup(body))


def _a(href: str, text, title: str | None = None) -> str:
    extra = f' title="{_e(title)}"' if title else ""
    return f'<a href="{_e(href)}"{extra}>{_e(text)}</a>'


def _is_ours(iri) -> bool:
    return isinstance(iri, str) and iri.startswith(BASE)


def _entity_link(link: Link, iri, label=None) -> str:
    """A link to an entity (or a plain name when the IRI is not the graph's)."""
    iri = str(iri)
    text = label if label not in (None, "") else _short(iri)
    if _is_ours(iri):
        return _a(link(iri), text, iri)
    return _e(text)


def _short(iri: str) -> str:
    """A short, readable form of an IRI: a CURIE, or the part after the base."""
    c = curie(iri)
    if c != iri:
        return c
    return iri[len(BASE):] if iri.startswith(BASE) else iri


def _valid_iri(iri) -> bool:
    return isinstance(iri, str) and bool(_IRI_RE.match(iri))


def _query_url(name: str, params: dict[str, str] | None = None) -> str:
    url = "/queries/" + urllib.parse.quote(name, safe="")
    return url + ("?" + urllib.parse.urlencode(params) if params else "")


def _external(url: str) -> str:
    """A link to an outside address, only for http(s) (never javascript: or data:)."""
    if re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return _e(url)


def _number(term) -> str:
    """A number as HTML: grouped digits for people, the exact value in a <data> element."""
    text = str(term)
    shown = text
    if re.fullmatch(r"-?\d+", text):
        shown = f"{int(text):,}"
    elif re.fullmatch(r"-?\d+\.\d+", text):
        whole, frac = text.split(".")
        shown = f"{int(whole):,}.{frac}"
    return f'<data value="{_e(text)}">{_e(shown)}</data>'


def _figure_html(parts: dict) -> str:
    """A figure as people read it: "46,500", "80,000–120,000", "up to 120,000", "3,000+", with unit, period and as-of."""
    get = lambda k: None if parts.get(k) in (None, "") else str(parts[k])  # noqa: E731
    value, low, high, qualifier = get("value"), get("low"), get("high"), get("qualifier")
    if value is not None:
        core = _number(value)
    elif low is not None and high is not None:
        core = f"{_number(low)}–{_number(high)}"
    elif low is not None:
        core = _number(low)
    elif high is not None:
        core = _number(high)
    else:
        core = ""
    stated = get("statedAs")
    if stated:
        words = f"“{_e(stated)}”"
        core = words if not core else f"{core} (stated as {words})"
    suffix = ""
    if qualifier == "+":
        core += "+"
    elif qualifier and qualifier.lower() in _PREFIX_QUALIFIERS:
        core = f"{_e(qualifier)} {core}"
    elif qualifier:
        suffix = f" ({_e(qualifier)})"
    if get("unit"):
        core += " " + _e(get("unit"))
    core += suffix
    if get("period"):
        core += ", " + _e(get("period"))
    if get("asOf"):
        core += f' <span class="meta">(as of {_e(get("asOf"))})</span>'
    return core


def _predicate_name(onto: ontology_mod.Ontology, predicate: str) -> str:
    if predicate in _PREDICATE_NAMES:
        return _PREDICATE_NAMES[predicate]
    if predicate.startswith(str(RG._NS)):
        return onto.label(URIRef(predicate))
    return _short(predicate)


def _concept_label(onto: ontology_mod.Ontology, iri: str) -> str:
    return onto.label(URIRef(iri))


def _class_label(onto: ontology_mod.Ontology, iri: str) -> str:
    return onto.label(URIRef(iri)) if iri.startswith(str(RG._NS)) else _short(iri)


def _direct_class(onto: ontology_mod.Ontology, types: set[str]) -> str | None:
    """The most specific of ``types`` among the ontology's classes (the one with most ancestors)."""
    ours = [t for t in types if t.startswith(str(RG._NS))]
    if not ours:
        return None
    return max(ours, key=lambda t: (len(list(onto.graph.transitive_objects(URIRef(t), RDFS.subClassOf))), t))


def _certainty(text) -> str:
    word = str(text or "").lower()
    return f'<span class="certainty {_e(word)}">{_e(word)}</span>' if word else ""


def _offsets(start, end) -> str:
    if start in (None, "") or end in (None, ""):
        return ""
    return (f'<span class="offsets" data-start="{_e(start)}" data-end="{_e(end)}">'
            f"characters {_e(start)}–{_e(end)} of the source text</span>")


def _rows(result: queries.Result) -> list[dict]:
    return [dict(zip(result.vars, row)) for row in result.rows]


def _run(target, paths: Paths, name: str, params: dict | None = None) -> queries.Result:
    """Run the project's named query ``name``."""
    return queries.run(target, queries.resolve(name, paths.queries), params)


def _ontology(paths: Paths) -> ontology_mod.Ontology:
    return ontology_mod.load(paths.ontology / "rightsgraph.ttl")


def _str(value) -> str:
    return "" if value is None else str(value)


# -- home, search, the list of queries ---------------------------------------------------------

def home(target, link: Link, *, paths: Paths) -> str:
    """The home page: what the dataset is, its size, its sources, a search form, the queries and the exports."""
    totals = _rows(_run(target, paths, "stats-totals"))
    t = totals[0] if totals else {}
    counts = "".join(f'<tr><th>{_e(name)}</th><td class="num">{_number(t[key]) if t.get(key) is not None else "0"}</td></tr>'
                     for key, name in (("entities", "entities"), ("claims", "claims"), ("sources", "sources"),
                                       ("quads", "quads (facts and provenance)")))
    sources = []
    for r in _rows(_run(target, paths, "stats-claims-per-source")):
        sid = _str(r["source"])
        n = int(str(r["claims"]))
        claims_link = _a(_query_url("claims-by-source", {"source": sid}), f"{n:,}")
        sources.append(f"<tr><td>{_a(link(str(source_iri(sid))), sid)}</td><td>{_e(r['title'])}</td>"
                       f'<td class="num">{claims_link}</td></tr>')
    named = queries.named(paths.queries)
    query_items = "".join(f"<li>{_a(_query_url(n), n)}: {_e(q.question)}</li>" for n, q in named.items())
    exports = "".join(f"<li>{_a('/exports/' + f.filename, f.filename)}: {_e(f.description)}</li>"
                      for f in exports_mod.FORMATS.values())
    body = f"""<h1>rightsgraph</h1>
<p>A knowledge graph of North Korean human-rights documentation: which camps, who was held there, who reported it,
when, and on what evidence. Every fact is a claim in its own named graph, with the source document, the verbatim
passage that supports it and where that passage sits in the source, who asserts it and how certain the source is.
Sources that disagree keep their own figures side by side.</p>
<form method="get" action="/search" role="search">
<label for="home-q">Find an entity by any of its names:</label>
<input id="home-q" type="search" name="q" placeholder="Yodok, Camp 15, Kim Jong Un …"> <button type="submit">Find</button>
</form>
<h2>Size</h2>
<table class="counts">{counts}</table>
<h2>Sources</h2>
<table><thead><tr><th>source</th><th>title</th><th class="num">claims</th></tr></thead>
<tbody>{''.join(sources)}</tbody></table>
<h2>Questions the graph answers</h2>
<p>Named queries, one competency question each ({_a('/queries', 'all queries')}); queries whose name ends in
<code>-violation</code> are data-quality checks that must return no rows.</p>
<ul class="queries">{query_items}</ul>
<h2>Query and download</h2>
<ul>
<li>{_a('/query', 'Write a SPARQL query')} (a query for rows, on the union of all graphs), or use the SPARQL 1.1
endpoint at <code>/sparql</code>.</li>
<li>{_a('/void', 'VoID description')} of the dataset.</li>
{exports}
</ul>"""
    return _layout("Home", body)


def search(target, q: str, link: Link, *, paths: Paths) -> str:
    """Entities whose label or alias matches ``q``, each linked, with the name that matched."""
    q = (q or "").strip()
    found = []
    for m in (entities.find(target, q, paths) if q else []):
        iri = str(m.iri)
        label = m.label if m.label not in (None, "") else _short(iri)
        found.append({"iri": iri, "href": link(iri) if _is_ours(iri) else None, "label": label, "matched": m.matched,
                      "kind": iri[len(str(ID)):].split("/", 1)[0] if iri.startswith(str(ID)) else ""})
    return _render("search.html", f"Search: {q}" if q else "Search", q=q, found=found)


def queries_page(link: Link, *, paths: Paths) -> str:
    """The named queries with their questions and parameters, each linking to /queries/<name>."""
    named = [{"name": name, "url": _query_url(name), "question": q.question,
              "params": [{"name": p, "default": v, "help": q.param_help.get(p)} for p, v in q.params.items()]}
             for name, q in queries.named(paths.queries).items()]
    return _render("queries.html", "Queries", named=named)


# -- entity pages --------------------------------------------------------------------------------

def _is_figure(f: entities.Fact) -> bool:
    return any(p in f.parts for p in ("value", "low", "high", "statedAs")) or "#figure-" in _str(f.other)


def _violation_html(onto, link: Link, types, victims: dict, perpetrators: dict) -> str:
    out = ", ".join(_entity_link(link, t, _concept_label(onto, t)) for t in sorted(types)) or "violation"
    if victims:
        out += "; victims: " + ", ".join(_entity_link(link, v, lbl) for v, lbl in sorted(victims.items(), key=lambda kv: kv[1]))
    if perpetrators:
        out += "; perpetrators: " + ", ".join(_entity_link(link, v, lbl)
                                                for v, lbl in sorted(perpetrators.items(), key=lambda kv: kv[1]))
    return out


def _value_html(onto, link: Link, f: entities.Fact) -> str:
    """The value of an outgoing fact: a figure, a violation report, an entity, a class or a literal."""
    if _is_figure(f):
        return _figure_html(f.parts)
    if f.violation_type:
        return _violation_html(onto, link, f.violation_type, f.victims, f.perpetrators)
    other = f.other
    if f.predicate == str(RDF.type):
        return _e(_class_label(onto, str(other)))
    if isinstance(other, URIRef):
        if str(other) in {str(v) for v in onto.violation_types}:
            return _entity_link(link, other, _concept_label(onto, str(other)))
        return _entity_link(link, other, f.other_label)
    html_value = _e(other)
    if f.parts.get("asOf") is not None:
        html_value += f' <span class="meta">(as of {_e(f.parts["asOf"])})</span>'
    return html_value


def _fact_lines(onto, link: Link, c: entities.Claim, label: str) -> list[str]:
    """The facts of one claim about the entity, folded per direction and predicate."""
    out_values: dict[str, list[str]] = {}
    lines: list[str] = []
    for f in c.facts.values():
        pred = _predicate_name(onto, f.predicate)
        if f.direction == "out":
            value = _value_html(onto, link, f)
            values = out_values.setdefault(pred, [])
            if value not in values:
                values.append(value)
        elif f.direction == "in":
            lines.append(f'{_entity_link(link, f.other, f.other_label)} <span class="pred">{_e(pred)}</span> '
                         f"<strong>{_e(label)}</strong>")
        else:  # named in a violation report: in:victims, in:perpetrators, in:violationType
            role = {"victims": "among the victims", "perpetrators": "among the perpetrators"}.get(
                f.direction.split(":", 1)[1], "")
            report = _violation_html(onto, link, f.violation_type, f.victims, f.perpetrators)
            note = f' <span class="meta">({_e(label)} {_e(role)})</span>' if role else ""
            lines.append(f'{_entity_link(link, f.other, f.other_label)} <span class="pred">{_e(pred)}</span>: '
                         f"{report}{note}")
    head = [f'<span class="pred">{_e(pred)}</span>: {"; ".join(values)}' for pred, values in out_values.items()]
    return head + lines


def _claim_html(onto, link: Link, c: entities.Claim, label: str) -> str:
    facts = "".join(f"<li>{line}</li>" for line in _fact_lines(onto, link, c, label))
    who = ""
    if c.attributed_to:
        who = f" · according to {_entity_link(link, c.attributed_to, c.attributed_label)}"
    if c.attribution:
        who += f" · attributed to “{_e(c.attribution)}”"
    anchor = c.iri[len(BASE):] if c.iri.startswith(BASE) else c.iri
    return f"""<article class="claim" id="{_e(anchor)}">
<ul class="facts">{facts}</ul>
<p class="meta">{_certainty(c.certainty)}{who} · source {_entity_link(link, c.source_iri, c.source)} · {_a(link(c.iri), 'claim')}</p>
<blockquote>{_e(c.quote)}</blockquote>
<p>{_offsets(c.start, c.end)}</p>
</article>"""


def _network_html(target, iri: str, label: str, paths: Paths) -> str:
    """The network around the entity, embedded (escaped, sandboxed) or, if large, linked to /viz."""
    viz = "/viz?" + urllib.parse.urlencode({"focus": iri, "hops": 1})
    try:
        g = visuals.network(target, paths, focus=iri, hops=1)
    except UsageError as exc:
        return f'<p class="meta">No network view: {_e(exc)}</p>'
    n = g.number_of_nodes()
    if n > MAX_EMBEDDED_NODES:
        return (f"<p>The entities one step away make {n:,} nodes, too many to show here: "
                f"{_a(viz, 'open the network view')}.</p>")
    doc = visuals.render(g, f"rightsgraph: around {label}")
    return (f'<p class="meta">{_e(label)} and the {n - 1} entities one step away; {_a(viz, "open it full size")}. '
            f"Click a node or an edge to see its claims.</p>\n"
            f'<iframe class="network" title="Network around {_e(label)}" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(doc, quote=True)}"></iframe>')


def entity(target, iri: str, link: Link, *, paths: Paths, data: dict | None = None) -> str | None:
    """The page of an entity (or a violation type): names, class, every claim with its evidence, neighbours.

    The HTML renderer of :func:`rightsgraph.outputs.describe.about` (``data``, gathered here if not
    given). Returns None if ``iri`` is not an entity of the graph.
    """
    iri = str(iri)
    if not _valid_iri(iri) or "#" in iri:
        return None
    onto = _ontology(paths)
    if data is None:
        try:
            data = entities.about(target, iri, paths)
        except UsageError:
            return None
    concept = data["concept"]
    label = data["label"]
    if label is None:  # neither a label nor a violation type: not an entity of the graph
        return None
    aliases = data["aliases"]
    types = set(data["types"])
    descriptions = data["descriptions"]
    direct = _direct_class(onto, types)
    if concept:
        cls_html = "violation type (a concept of the scheme of violation types)"
    elif direct:
        others = sorted({_class_label(onto, t) for t in types if t.startswith(str(RG._NS)) and t != direct})
        cls_html = f'<span title="{_e(direct)}">{_e(_class_label(onto, direct))}</span>'
        if others:
            cls_html += f' <span class="meta">(also: {_e(", ".join(others))})</span>'
    else:
        cls_html = _e(", ".join(sorted(_short(t) for t in types))) or "—"

    claims = data["claims"]
    ordered = sorted(claims.values(), key=lambda c: (
        0 if any(k[0] == "out" and k[1] == str(RDFS.label) for k in c.facts) else
        1 if any(k[0] == "out" for k in c.facts) else 2,
        min(_predicate_name(onto, k[1]) for k in c.facts), c.source, int(c.start) if c.start.isdigit() else 0, c.iri))

    # figures, source by source
    figure_rows = []
    for c in ordered:
        for f in c.facts.values():
            if f.direction == "out" and _is_figure(f):
                figure_rows.append((_predicate_name(onto, f.predicate), c, f))
    figure_rows.sort(key=lambda t: (t[0], t[1].source, int(t[1].start) if t[1].start.isdigit() else 0))
    figures_html = ""
    if figure_rows:
        trs = "".join(
            f"<tr><td>{_e(measure)}</td><td>{_figure_html(f.parts)}</td><td>{_certainty(c.certainty)}</td>"
            f"<td>{_entity_link(link, c.source_iri, c.source)}</td><td>{_a(link(c.iri), 'claim')}</td></tr>"
            for measure, c, f in figure_rows)
        figures_html = (f"<h2>Figures</h2>\n<p class=\"meta\">Each source's figure on its own line: sources that "
                        f"disagree are not averaged.</p>\n<table><thead><tr><th>measure</th><th>figure</th>"
                        f"<th>certainty</th><th>source</th><th></th></tr></thead><tbody>{trs}</tbody></table>")

    # related entities
    related: dict[str, str] = {}
    violation_iris = {str(v) for v in onto.violation_types}

    def relate(other, other_label):
        o = _str(other)
        if not o or o == iri or not o.startswith(str(ID)) or "#" in o:
            return
        if o in violation_iris:
            related.setdefault(o, _concept_label(onto, o))
        else:
            related.setdefault(o, _str(other_label) or _short(o))

    for c in claims.values():
        if c.attributed_to:
            relate(c.attributed_to, c.attributed_label)
        for f in c.facts.values():
            if f.predicate != str(RDF.type):
                relate(f.other, f.other_label)
            for t in f.violation_type:
                relate(t, None)
            for v, lbl in {**f.victims, **f.perpetrators}.items():
                relate(v, lbl)
    related_html = "".join(f"<li>{_entity_link(link, o, lbl)}</li>"
                           for o, lbl in sorted(related.items(), key=lambda kv: kv[1].lower()))

    concept_html = ""
    if concept:
        g = onto.graph
        definition = g.value(URIRef(iri), SKOS.definition)
        broader = sorted(str(b) for b in g.objects(URIRef(iri), SKOS.broader))
        narrower = sorted(str(n) for n in g.subjects(SKOS.broader, URIRef(iri)))
        if definition:
            concept_html += f"<p>{_e(definition)}</p>"
        if broader:
            concept_html += "<p>Broader: " + ", ".join(_entity_link(link, b, _concept_label(onto, b)) for b in broader) + "</p>"
        if narrower:
            concept_html += "<p>Narrower: " + ", ".join(_entity_link(link, n, _concept_label(onto, n)) for n in narrower) + "</p>"

    if concept:
        network = ('<p class="meta">The network view centres on entities; violation types appear in it as '
                   "hexagons, on the pages of the entities above.</p>")
    else:
        network = _network_html(target, iri, label, paths)
    sources = sorted({c.source for c in claims.values()})
    claims_html = "\n".join(_claim_html(onto, link, c, label) for c in ordered)
    alias_html = ("<ul class=\"aliases\">" + "".join(f"<li>{_e(a)}</li>" for a in aliases) + "</ul>") if aliases else "<p>—</p>"
    body = f"""<h1>{_e(label)}</h1>
<p class="iri">{_e(iri)}</p>
{''.join(f'<p>{_e(d)}</p>' for d in descriptions)}
{concept_html}
<dl class="record">
<dt>class</dt><dd>{cls_html}</dd>
<dt>claims</dt><dd>{len(claims)} from {len(sources)} source{'s' if len(sources) != 1 else ''}</dd>
</dl>
<h2>Also known as</h2>
{alias_html}
{figures_html}
<h2>Claims ({len(claims)})</h2>
<p class="meta">Every claim that mentions {_e(label)}, with how certain the source is, who it credits, the source
document and the verbatim passage the claim rests on.</p>
{claims_html or '<p>No claim mentions it.</p>'}
<h2>Related entities ({len(related)})</h2>
{('<ul class="related">' + related_html + '</ul>') if related else '<p>None.</p>'}
<h2>Network</h2>
{network}"""
    return _layout(label, body)


# -- source and claim pages ----------------------------------------------------------------------

def source(target, iri: str, link: Link, *, paths: Paths) -> str | None:
    """The record of a source document: title, publisher, URL, sha256, licence and how many claims rest on it."""
    iri = str(iri)
    prefix = str(source_iri(""))
    if not _valid_iri(iri) or not iri.startswith(prefix):
        return None
    sid = iri[len(prefix):]
    if not sid or "/" in sid:
        return None
    rows = [r for r in _rows(_run(target, paths, "source-record", {"source": sid})) if str(r["record"]) == iri]
    if not rows:
        return None
    r = rows[0]
    claims = int(str(r["claims"])) if r.get("claims") is not None else 0
    publisher = _e(r["publisher"])
    if r.get("publisherEntity") is not None:
        publisher += " (" + _entity_link(link, r["publisherEntity"], r.get("publisherLabel")) + ")"
    query = _query_url("claims-by-source", {"source": sid})
    extra = ""
    if r.get("latestYear") is not None:
        extra = f"<dt>latest year covered</dt><dd>{_e(r['latestYear'])}</dd>"
    body = f"""<h1>{_e(r['title'])}</h1>
<p class="iri">{_e(iri)}</p>
<dl class="record">
<dt>source id</dt><dd><code>{_e(sid)}</code></dd>
<dt>title</dt><dd>{_e(r['title'])}</dd>
<dt>publisher</dt><dd>{publisher}</dd>
<dt>URL</dt><dd>{_external(_str(r['url']))}</dd>
<dt>sha256</dt><dd><code>{_e(r['sha256'])}</code></dd>
<dt>licence</dt><dd>{_e(r.get('license')) or '—'}</dd>
{extra}
<dt>claims</dt><dd>{claims:,} ({_a(query, 'list them with their quotes')})</dd>
</dl>
<p class="meta">The text itself belongs to its publisher and is not served here; each claim keeps a short verbatim
quote and its character offsets into the text whose sha256 is given above.</p>"""
    return _layout(_str(r["title"]), body)


def claim(target, iri: str, link: Link, *, paths: Paths) -> str | None:
    """One claim graph: its facts, source, quote, offsets, certainty, attribution and method."""
    iri = str(iri)
    if not _valid_iri(iri) or "#" in iri:
        return None
    try:
        rows = _rows(_run(target, paths, "claim-facts", {"claim": f"<{iri}>"}))
    except UsageError:
        return None
    if not rows:
        return None
    onto = _ontology(paths)
    local = iri + "#"
    nodes: dict[str, dict[str, list]] = {}
    facts: dict[tuple[str, str], list] = {}
    labels: dict[str, str] = {}
    for r in rows:
        s, p, o = str(r["subject"]), str(r["predicate"]), r["object"]
        if r.get("subjectLabel") is not None:
            labels.setdefault(s, str(r["subjectLabel"]))
        if isinstance(o, URIRef) and r.get("objectLabel") is not None:
            labels.setdefault(str(o), str(r["objectLabel"]))
        if s.startswith(local):
            nodes.setdefault(s, {}).setdefault(p, []).append(o)
        else:
            values = facts.setdefault((s, p), [])
            if o not in values:
                values.append(o)

    def node_html(node: str) -> str:
        props = nodes.get(node, {})
        name = lambda term: str(term).rsplit("#", 1)[-1]  # noqa: E731
        flat = {name(k): v for k, v in props.items()}
        if "violationType" in flat:
            return _violation_html(onto, link, {str(t) for t in flat["violationType"]},
                                   {str(v): labels.get(str(v), "") for v in flat.get("victims", [])},
                                   {str(v): labels.get(str(v), "") for v in flat.get("perpetrators", [])})
        return _figure_html({k: v[0] for k, v in flat.items() if k in _FIGURE_PARTS})

    violation_iris = {str(v) for v in onto.violation_types}

    def value_html(p: str, o) -> str:
        if isinstance(o, URIRef) and str(o).startswith(local):
            return node_html(str(o))
        if p == str(RDF.type):
            return _e(_class_label(onto, str(o)))
        if isinstance(o, URIRef):
            if str(o) in violation_iris:
                return _entity_link(link, o, _concept_label(onto, str(o)))
            return _entity_link(link, o, labels.get(str(o)))
        return _e(o)

    order = {str(RDF.type): 0, str(RDFS.label): 1, str(SKOS.altLabel): 2}
    by_subject: dict[str, list[str]] = {}
    for (s, p), values in sorted(facts.items(), key=lambda kv: (labels.get(kv[0][0], kv[0][0]), order.get(kv[0][1], 3),
                                                                _predicate_name(onto, kv[0][1]))):
        shown = "; ".join(value_html(p, o) for o in values)
        by_subject.setdefault(s, []).append(f'<li><span class="pred">{_e(_predicate_name(onto, p))}</span>: {shown}</li>')
    lines = [f"<li>{_entity_link(link, s, labels.get(s))}<ul>{''.join(items)}</ul></li>" for s, items in by_subject.items()]
    r = rows[0]
    key = iri.rsplit("/", 1)[-1]
    method = _e(r.get("methodLabel") or _short(_str(r.get("method"))))
    record = [("certainty", _certainty(r["certainty"])),
              ("access", _e(_str(r.get("access")).lower()))]
    if r.get("attributedTo") is not None:
        record.append(("according to", _entity_link(link, r["attributedTo"], r.get("attributedLabel"))))
    if r.get("attribution") is not None:
        record.append(("attributed to", f"“{_e(r['attribution'])}”"))
    if r.get("pointInTime") is not None:
        by_publication = _str(r.get("datedByPublication")) == "true"  # issue 14: the date is the document's own
        record.append(("as of", _e(_str(r["pointInTime"]) + (" (the document's publication date)" if by_publication else ""))))
    record.append(("method", method))
    # issue 14: the review status (curated, or reviewed by whom and when), from claim-facts
    review = _str(r.get("reviewStatus")) or "curated"
    if r.get("reviewedBy") is not None:
        review += f" by {_str(r['reviewedBy'])} on {_str(r.get('reviewedOn'))}"
    record.append(("review status", _e(review)))
    if r.get("note") is not None:
        record.append(("curator's note", _e(r["note"])))
    record.append(("source", f"{_entity_link(link, r['sourceIri'], r['source'])} "
                             f"({_a(_query_url('claims-by-source', {'source': _str(r['source'])}), 'all its claims')})"))
    record.append(("offsets", _offsets(r["start"], r["end"])))
    record_html = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in record)
    subjects = sorted({s for s, _ in facts}, key=lambda s: labels.get(s, s))
    about = ", ".join(_entity_link(link, s, labels.get(s)) for s in subjects)
    body = f"""<h1>Claim {_e(key)}</h1>
<p class="iri">{_e(iri)}</p>
<p>About {about}, from {_entity_link(link, r['sourceIri'], r['source'])}.</p>
<h2>What it says</h2>
<ul class="facts">{''.join(lines)}</ul>
<h2>Evidence</h2>
<blockquote>{_e(r['quote'])}</blockquote>
<dl class="record">{record_html}</dl>"""
    return _layout(f"Claim {key}", body)


# -- query pages ---------------------------------------------------------------------------------

def _cell(term, link: Link) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        if _is_ours(iri):
            return _a(link(iri), _short(iri), iri)
        return f'<span class="iri">{_e(_short(iri))}</span>'
    if isinstance(term, BNode):
        return _e(f"_:{term}")
    if isinstance(term, Literal):
        text = _e(term)
        if term.language:
            text += f'<span class="meta">@{_e(term.language)}</span>'
        return text
    return _e(term)


def _table(result: queries.Result, link: Link) -> str:
    total = len(result.rows)
    head = "".join(f"<th>{_e(v)}</th>" for v in result.vars)
    body = "".join("<tr>" + "".join(f"<td>{_cell(t, link)}</td>" for t in row) + "</tr>"
                   for row in result.rows[:MAX_TABLE_ROWS])
    count = f'<p class="rowcount">{total:,} row{"" if total == 1 else "s"}'
    if total > MAX_TABLE_ROWS:
        count += f" (the first {MAX_TABLE_ROWS:,} are shown; the SPARQL endpoint /sparql gives all of them)"
    count += "</p>"
    return f"{count}\n<table class=\"results\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def query_result(name_or_text: str, result: queries.Result | None, error: str | None, link: Link,
                 params: dict | None = None, *, paths: Paths) -> str:
    """A query page: a form to edit and run the query, and its result as a table, its row count or its error.

    For a named query the page also shows its question and a form for its parameters; the text box
    holds the SPARQL that ran, parameters bound.
    """
    params = {str(k): str(v) for k, v in (params or {}).items()}
    text = name_or_text or ""
    named = queries.named(paths.queries).get(text) if text and "\n" not in text and len(text) < 200 else None
    parts = []
    if named is not None:
        title = named.name
        parts.append(f"<h1>{_e(named.name)}</h1>\n<p>{_e(named.question)}</p>")
        try:
            shown = queries.with_values(named.text, queries.bind(named, params))
        except UsageError:
            shown = named.text
        if named.params:
            fields = "".join(
                f'<p><label for="param-{_e(p)}"><code>{_e(p)}</code></label> '
                f'<input id="param-{_e(p)}" name="{_e(p)}" size="60" value="{_e(params.get(p, str(default)))}"> '
                f'<span class="meta">{_e(named.param_help.get(p, ""))}</span></p>'
                for p, default in named.params.items())
            parts.append(f'<form method="get" action="{_e(_query_url(named.name))}">{fields}'
                         f'<button type="submit">Run with these parameters</button></form>')
    else:
        title = "SPARQL query"
        shown = text
        parts.append("<h1>SPARQL query</h1>\n<p>A SPARQL query returning rows (or a yes/no answer), on the union of "
                     f"all graphs; the name of a {_a('/queries', 'named query')} works too.</p>")
    rows = max(6, min(30, shown.count("\n") + 2))
    parts.append(f'<form method="get" action="/query">\n<textarea name="query" rows="{rows}" cols="100" '
                 f'spellcheck="false" aria-label="SPARQL query">{_e(shown)}</textarea>\n'
                 f'<p><button type="submit">Run query</button></p>\n</form>')
    if error:
        parts.append(f'<h2>Error</h2>\n<p class="error" role="alert">{_e(error)}</p>')
    elif result is not None:
        parts.append(f"<h2>Result</h2>\n{_table(result, link)}")
    elif not text:
        parts.append("<p>Write a query above and run it.</p>")
    return _layout(title, "\n".join(parts))
