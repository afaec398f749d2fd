"""Network pictures of the graph: networkx graphs, offline interactive pages, GraphML and GEXF.

Nodes carry the entity's IRI, label, class and number of claims; each edge is one claim, with
the predicate's label and the claim's source, certainty and quote, so that parallel facts from
different sources stay distinguishable. Pages are built with pyvis's network model and the
vis-network library that pyvis ships, embedded in the page: nothing is loaded from the internet.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from rdflib import URIRef

from rightsgraph.errors import UsageError
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import ID, RG, RGV
from rightsgraph.outputs import describe as entities
from rightsgraph.paths import Paths
from rightsgraph.sparql import queries

#: Certainty, from the weakest to the firmest, for ``min_certainty``.
CERTAINTY_ORDER = ["denied", "alleged", "estimated", "reported", "confirmed"]

#: Colour and shape of each kind of entity, in the legend's order.
STYLE = {
    "facility": ("#c0392b", "diamond", "detention facility"),
    "person": ("#2e86c1", "dot", "person"),
    "org": ("#7d3c98", "square", "organization"),
    "group": ("#ca6f1e", "triangle", "group of people"),
    "document": ("#1e8449", "box", "document"),
    "event": ("#b7950b", "star", "event"),
    "place": ("#566573", "triangleDown", "place"),
    "violation": ("#000000", "hexagon", "violation type"),
}

#: Above this many nodes a page is refused: browsers stall laying it out.
MAX_PAGE_NODES = 2500


def _kind(iri: str) -> str:
    if iri.startswith(str(RGV)):
        return "violation"
    rest = iri[len(str(ID)):] if iri.startswith(str(ID)) else ""
    return rest.split("/", 1)[0] if "/" in rest else "other"


def _most_specific(types: set[str], onto: ontology_mod.Ontology) -> str:
    """The class of ``types`` that has the most ancestors (the direct class)."""
    if not types:
        return ""
    best = max(types, key=lambda t: (len(list(onto.graph.transitive_objects(URIRef(t), None))), t))
    return onto.label(URIRef(best))


def network(target, paths: Paths, focus: str | None = None, hops: int = 2, types: list[str] | None = None,
            source: str | None = None, min_certainty: str | None = None) -> nx.MultiDiGraph:
    """Return the graph (or the part of it around ``focus``) as a networkx MultiDiGraph.

    ``paths`` is the project whose ontology and named queries are used.

    >>> from rightsgraph import release
    >>> p = proj  # this checkout's project (see conftest.py)
    >>> g = network(release.open(p), p, focus="Camp 15", hops=1)
    >>> g.nodes["https://w3id.org/rightsgraph/id/facility/kwanliso-15"]["label"]
    'Yodok political prison camp'
    """
    if min_certainty is not None and min_certainty not in CERTAINTY_ORDER:
        raise UsageError(f"--min-certainty takes one of {', '.join(CERTAINTY_ORDER)}, not {min_certainty!r}")
    if focus is not None:
        return _around(target, paths, focus, hops, types, source, min_certainty)
    return _whole(target, paths, types, source, min_certainty)


def _ontology(paths: Paths) -> ontology_mod.Ontology:
    return ontology_mod.load(paths.ontology / "rightsgraph.ttl")


def _run(target, query: queries.NamedQuery, entity: str | None = None) -> list[tuple]:
    """The rows of the named query ``query`` (bound to ``entity`` if given)."""
    params = {"entity": f"<{entity}>"} if entity is not None else None
    return queries.run(target, query, params).rows


def _queries(paths: Paths, *names: str) -> list[queries.NamedQuery]:
    """The project's named queries ``names`` (its queries/ folder read once)."""
    named = queries.named(paths.queries)
    missing = [n for n in names if n not in named]
    if missing:
        raise UsageError(f"the project's queries/ has no {', '.join(missing)}")
    return [named[n] for n in names]


def _wanted_classes(onto: ontology_mod.Ontology, types: list[str] | None) -> list | None:
    """The classes ``--types`` names, or None for all; an unknown name is a usage error."""
    if not types:
        return None
    wanted = [onto.class_named(t) for t in types]
    if None in wanted:
        import difflib

        known = sorted(str(c).rsplit("#", 1)[-1] for c in onto.classes if str(c).startswith(str(RG._NS)))
        parts = []
        for t in (t for t, w in zip(types, wanted) if w is None):
            close = difflib.get_close_matches(t, known, n=3, cutoff=0.6) or [k for k in known if t.lower() == k.lower()]
            parts.append(f"{t} (did you mean {', '.join(close)}?)" if close else t)
        raise UsageError(f"unknown class in --types: {'; '.join(parts)}")
    return wanted


def _add_nodes(g: nx.MultiDiGraph, rows, node_types: dict[str, set[str]]) -> None:
    """Add the (entity, label, type, claims) rows of network-nodes as nodes, gathering each node's rg: types."""
    for entity, label, rdf_type, claims in rows:
        key = str(entity)
        if key not in g:
            g.add_node(key, iri=key, label=str(label) if label is not None else key.rsplit("/", 1)[-1],
                       kind=_kind(key), claims=int(claims))
        if rdf_type is not None:
            node_types.setdefault(key, set()).add(str(rdf_type))


def _classify(g: nx.MultiDiGraph, key: str, node_types: dict[str, set[str]], onto: ontology_mod.Ontology) -> None:
    """Give a node its class label (a violation type its concept's label)."""
    if g.nodes[key]["kind"] == "violation":
        g.nodes[key]["cls"] = "violation type"
        g.nodes[key]["label"] = onto.label(URIRef(key))
    else:
        g.nodes[key]["cls"] = _most_specific(node_types.get(key, set()), onto)


def _kept(row, source: str | None, floor: int) -> bool:
    """Whether an edge row of network-edges passes the --source and --min-certainty filters."""
    src, certainty = row[4], row[5]
    return not (source and str(src) != source) and CERTAINTY_ORDER.index(str(certainty).lower()) >= floor


def _add_edge(g: nx.MultiDiGraph, row, onto: ontology_mod.Ontology) -> None:
    """One edge per claim and predicate: parallel facts from different sources stay apart."""
    s, p, o, claim, src, certainty, quote = row
    g.add_edge(str(s), str(o), key=f"{claim} {p}", predicate=str(p), label=onto.label(URIRef(str(p))),
               claims=str(claim), sources=str(src), certainty=str(certainty).lower(), quote=str(quote))


def _whole(target, paths: Paths, types: list[str] | None, source: str | None, min_certainty: str | None,
           focus: str | None = None, hops: int = 2) -> nx.MultiDiGraph:
    """The whole network from the named queries network-nodes and network-edges, then filtered (and, with
    ``focus``, cut down to its neighbourhood: the reference the tests hold the walk of ``_around`` to)."""
    onto = _ontology(paths)
    floor = CERTAINTY_ORDER.index(min_certainty) if min_certainty else 0
    wanted = _wanted_classes(onto, types)
    g = nx.MultiDiGraph()
    node_types: dict[str, set[str]] = {}
    nodes_query, edges_query = _queries(paths, "network-nodes", "network-edges")
    _add_nodes(g, _run(target, nodes_query), node_types)
    for key in g.nodes:
        _classify(g, key, node_types, onto)
    for row in _run(target, edges_query):
        if not _kept(row, source, floor):
            continue
        for n in (str(row[0]), str(row[2])):
            if n not in g:  # an entity no record names (should not happen in valid data)
                g.add_node(n, iri=n, label=n.rsplit("/", 1)[-1], kind=_kind(n), claims=0, cls="")
        _add_edge(g, row, onto)
    if wanted is not None:
        keep = [n for n, t in node_types.items() if any(onto.is_a(URIRef(x), w) for x in t for w in wanted)]
        g = g.subgraph(keep).copy()
    if focus is not None:
        center = str(entities.one(target, focus, paths).iri)
        if center not in g:
            raise UsageError(f"{focus!r} is not in the filtered graph")
        near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), center, cutoff=hops)
        g = g.subgraph(near).copy()
        g.graph["focus"] = center
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0 and n != g.graph.get("focus")])
    return g


def _around(target, paths: Paths, focus: str, hops: int, types: list[str] | None, source: str | None,
            min_certainty: str | None) -> nx.MultiDiGraph:
    """The network within ``hops`` of ``focus``, walked out from it a hop at a time (not read whole).

    The same nodes and edges as the whole network cut down to the neighbourhood: each hop asks for
    the edges of the newly reached entities only (named query ``network-edges-of``, with
    ``network-node`` for each entity reached), so the cost follows the neighbourhood's size, not the
    graph's.
    """
    onto = _ontology(paths)
    floor = CERTAINTY_ORDER.index(min_certainty) if min_certainty else 0
    wanted = _wanted_classes(onto, types)
    center = str(entities.one(target, focus, paths).iri)
    node_query, edges_query = _queries(paths, "network-node", "network-edges-of")
    g = nx.MultiDiGraph()
    node_types: dict[str, set[str]] = {}

    def add_nodes(keys: list[str]) -> list[str]:
        """Add the nodes with their attributes; return those that pass the types filter."""
        for key in keys:
            _add_nodes(g, _run(target, node_query, key), node_types)
        kept = []
        for key in keys:
            if key not in g:
                g.add_node(key, iri=key, label=key.rsplit("/", 1)[-1], kind=_kind(key), claims=0)
            _classify(g, key, node_types, onto)
            if wanted is None or any(onto.is_a(URIRef(x), w) for x in node_types.get(key, ()) for w in wanted):
                kept.append(key)
            else:
                g.remove_node(key)
        return kept

    if not add_nodes([center]):
        raise UsageError(f"{focus!r} is not in the filtered graph")
    distance = {center: 0}
    frontier = [center]
    pending: list[tuple] = []  # edges whose far end is not yet known to be in
    for hop in range(hops + 1):
        if not frontier:
            break
        found: list[tuple] = []
        for key in frontier:
            found.extend(_run(target, edges_query, key))
        fresh: list[str] = []
        for row in found:
            if not _kept(row, source, floor):
                continue
            for n in (str(row[0]), str(row[2])):
                if n not in distance and hop < hops and n not in fresh:
                    fresh.append(n)
            pending.append(row)
        kept = add_nodes(fresh) if fresh else []
        for n in kept:
            distance[n] = hop + 1
        frontier = kept
    for row in pending:
        if str(row[0]) in distance and str(row[2]) in distance:
            _add_edge(g, row, onto)
    g.remove_nodes_from([n for n in list(g) if n not in distance])
    g.graph["focus"] = center
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0 and n != center])
    return g


@dataclass
class PageData:
    """What a page shows: vis-network nodes and edges, the legend and the title."""

    nodes: list[dict]
    edges: list[dict]
    legend: list[tuple[str, str, str]]
    title: str


def _tooltip_lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


#: The focus node's fill: a colour no kind of entity uses, so that it stands out at first paint.
FOCUS_COLOUR = "#ffd400"
#: How many nodes carry their label at first paint (the focus and the best connected); the rest show it on
#: hover or when zoomed in.
LABELLED = 30
#: What a page draws by default (the command line's --max-nodes): more than this does not read at first paint.
DRAWN = 100


def capped(g: nx.MultiDiGraph, max_drawn: int | None) -> tuple[nx.MultiDiGraph, int]:
    """The part of ``g`` a page draws: at most ``max_drawn`` nodes, the focus and those nearest it first, then
    the best connected; and how many were left out (shown as one "N more" node).

    >>> g = nx.MultiDiGraph(); _ = g.add_edges_from([(0, i) for i in range(1, 10)]); g.graph["focus"] = 0
    >>> part, more = capped(g, 4); sorted(part), more
    ([0, 1, 2, 3], 6)
    """
    if max_drawn is None or g.number_of_nodes() <= max_drawn:
        return g, 0
    degree = dict(g.degree())
    focus = g.graph.get("focus")
    if focus in g:
        near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus)
    else:
        near = {}
    order = sorted(g, key=lambda n: (near.get(n, 99), -degree.get(n, 0), str(n)))
    part = g.subgraph(order[:max_drawn]).copy()
    return part, g.number_of_nodes() - part.number_of_nodes()


def page_data(g: nx.MultiDiGraph, title: str = "rightsgraph network", left_out: int = 0) -> PageData:
    """Turn a networkx graph into vis-network nodes and edges (plain-text tooltips, claims listed).

    The focus (``g.graph["focus"]``) is drawn larger, in :data:`FOCUS_COLOUR` with a thick border; each node
    has a ``rank`` (0 for the focus, then by degree) by which the page chooses the labels it shows at first
    paint; ``left_out`` nodes not drawn become one "N more" node.
    """
    from pyvis.network import Network

    net = Network(directed=True)
    degree = dict(g.degree())
    focus = g.graph.get("focus")
    ranked = sorted(g, key=lambda n: (n != focus, -degree.get(n, 0), str(n)))
    rank = {n: i for i, n in enumerate(ranked)}
    # pyvis's add_node is quadratic (it scans a list for every node): fill its lists in bulk instead
    net.nodes = []
    for n, a in g.nodes(data=True):
        colour, shape, _ = STYLE.get(a.get("kind"), ("#999999", "dot", "other"))
        touching = [d for *_, d in g.edges(n, data=True)] + [d for *_, d in g.in_edges(n, data=True)]
        sources = sorted({d["sources"] for d in touching})
        quotes = [f"{d['sources']}: “{d['quote']}”" for d in touching[:3]]
        more = f"… and {len(touching) - 3} more (click the node)" if len(touching) > 3 else ""
        net.nodes.append({
            "id": n, "label": a["label"] if rank[n] < LABELLED else "", "color": colour, "shape": shape,
            "size": 10 + 4 * math.sqrt(degree.get(n, 0)),
            "title": _tooltip_lines(a["label"], f"class: {a.get('cls', '')}", f"claims: {a.get('claims', 0)}",
                                    f"sources: {', '.join(sources)}" if sources else "", *quotes, more, n),
            "kind": a.get("kind"), "cls": a.get("cls", ""), "claims": a.get("claims", 0),
            "fullLabel": a["label"], "rank": rank[n],
        })
        if n == focus:
            net.nodes[-1].update({"color": {"background": FOCUS_COLOUR, "border": "#000000"}, "borderWidth": 6,
                                  "size": 40, "focus": True, "font": {"size": 18, "bold": True}})
    if left_out:
        net.nodes.append({"id": "rg:more", "label": f"+{left_out} more", "fullLabel": f"+{left_out} more",
                          "shape": "box", "color": "#eeeeee", "rank": 0, "claims": 0, "kind": None, "cls": "",
                          "title": f"{left_out} more nodes are not drawn: narrow with --focus NAME --hops N, --types or "
                                   "--source, or raise --max-nodes"})
    net.node_ids = [x["id"] for x in net.nodes]
    net.node_map = {x["id"]: x for x in net.nodes}
    net.edges = []
    seen: Counter = Counter()
    for i, (s, o, k, d) in enumerate(g.edges(keys=True, data=True)):
        seen[(s, o)] += 1
        nth = seen[(s, o)]
        net.edges.append({
            "id": f"e{i}", "from": s, "to": o, "label": d["label"], "arrows": "to",
            "smooth": {"enabled": nth > 1, "type": "curvedCW", "roundness": 0.15 * (nth - 1)},
            "title": _tooltip_lines(f"{g.nodes[s]['label']} — {d['label']} — {g.nodes[o]['label']}",
                                    f"source: {d['sources']} ({d['certainty']})", f"“{d['quote']}”", d["claims"]),
            "source": d["sources"], "certainty": d["certainty"], "quote": d["quote"], "claim": d["claims"],
        })
    if left_out and focus in g:
        net.edges.append({"id": "e-more", "from": focus, "to": "rg:more", "dashes": True, "arrows": "",
                          "label": "", "title": "", "source": "", "certainty": "", "quote": "", "claim": ""})
    kinds = {a.get("kind") for _, a in g.nodes(data=True)}
    legend = [(STYLE[k][2], STYLE[k][0], STYLE[k][1]) for k in STYLE if k in kinds]
    if focus in g:
        legend.insert(0, ("focus: " + g.nodes[focus]["label"], FOCUS_COLOUR, "highlighted"))
    return PageData(net.nodes, net.edges, legend, title)


def _script_json(value) -> str:
    """JSON safe to embed in a <script> element: no '</', '<!--' or line separators."""
    text = json.dumps(value, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _vis_library() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{vis_css}</style>
<style>
  body {{ margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; }}
  header {{ padding: 8px 12px; border-bottom: 1px solid #ddd; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }}
  header h1 {{ font-size: 16px; margin: 0; }}
  #legend span {{ margin-right: 10px; white-space: nowrap; }}
  #legend i {{ display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }}
  main {{ display: flex; height: calc(100vh - 52px); }}
  #network {{ flex: 1; }}
  #details {{ width: 340px; overflow: auto; border-left: 1px solid #ddd; padding: 8px 12px; }}
  #details blockquote {{ margin: 4px 0 10px; padding-left: 8px; border-left: 3px solid #bbb; }}
</style>
</head>
<body>
<header>
  <h1>{title}</h1>
  <label>Find: <input id="search" list="names" placeholder="a name"></label>
  <datalist id="names"></datalist>
  <div id="legend"></div>
  <span id="rg-stats" data-nodes="" data-edges="" data-stabilized-ms="" data-labels="" data-label-overlaps="" data-font-px="" data-focus-labelled=""></span>
</header>
<main><div id="network"></div><aside id="details"><p>Click a node or an edge to see its claims.</p></aside></main>
<script type="application/json" id="rg-data">{data}</script>
<script>{vis_js}</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("rg-data").textContent);
  var started = performance.now();
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  window.rgNodes = nodes; window.rgEdges = edges;
  var stats = document.getElementById("rg-stats");
  stats.dataset.nodes = nodes.length; stats.dataset.edges = edges.length;
  stats.textContent = nodes.length + " nodes, " + edges.length + " edges";
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {{
    var span = document.createElement("span"), box = document.createElement("i");
    box.style.background = item[1];
    span.appendChild(box); span.appendChild(document.createTextNode(item[0] + " (" + item[2] + ")"));
    legend.appendChild(span);
  }});
  var names = document.getElementById("names");
  data.nodes.forEach(function (n) {{ var o = document.createElement("option"); o.value = n.fullLabel; names.appendChild(o); }});
  var network = new vis.Network(document.getElementById("network"), {{nodes: nodes, edges: edges}}, {{
    physics: {{ solver: "barnesHut", barnesHut: {{ gravitationalConstant: -8000, springLength: 140 }},
               stabilization: {{ enabled: true, iterations: 200, updateInterval: 50 }} }},
    edges: {{ smooth: false, font: {{ size: 9, align: "middle" }}, color: {{ color: "#999" }} }},
    nodes: {{ font: {{ size: 14, strokeWidth: 4, strokeColor: "#ffffff" }} }},
    interaction: {{ hover: true, tooltipDelay: 150 }}
  }});
  window.rgNetwork = network;
  // Labels: the focus and the best connected nodes carry theirs at first paint, at 14 screen pixels whatever
  // the zoom, and none may overlap another; the rest show theirs on hover or once zoomed in.
  var FONT_PX = 14, LABELLED = {labelled}, ctx2d = document.createElement("canvas").getContext("2d");
  var hovered = null;
  function labelBoxes(scale) {{
    var kept = [], shown = {{}}, order = data.nodes.slice().sort(function (a, b) {{ return a.rank - b.rank; }});
    var positions = network.getPositions();
    ctx2d.font = FONT_PX + "px sans-serif";
    order.forEach(function (n) {{
      if (!(n.rank < LABELLED || n.focus || n.id === "rg:more" || scale > 1.6)) return;
      var p = positions[n.id]; if (!p) return;
      var dom = network.canvasToDOM(p), w = ctx2d.measureText(n.fullLabel).width + 6, h = FONT_PX + 4;
      var r = (n.size || 10) * scale;
      var box = {{ x0: dom.x - w / 2, x1: dom.x + w / 2, y0: dom.y + r, y1: dom.y + r + h }};
      var clash = kept.some(function (k) {{ return box.x0 < k.x1 && k.x0 < box.x1 && box.y0 < k.y1 && k.y0 < box.y1; }});
      if (!clash || n.focus) {{ kept.push(box); shown[n.id] = true; }}
    }});
    return {{ boxes: kept, shown: shown }};
  }}
  function relabel() {{
    var scale = network.getScale(), placed = labelBoxes(scale);
    nodes.update(data.nodes.map(function (n) {{
      var on = placed.shown[n.id] || n.id === hovered;
      var size = (n.focus ? 18 : FONT_PX) / scale;
      return {{ id: n.id, label: on ? n.fullLabel : "", font: {{ size: size, strokeWidth: 4 / scale, strokeColor: "#ffffff",
               bold: !!n.focus }} }};
    }}));
    var overlaps = 0, b = placed.boxes;
    for (var i = 0; i < b.length; i++) for (var j = i + 1; j < b.length; j++)
      if (b[i].x0 < b[j].x1 && b[j].x0 < b[i].x1 && b[i].y0 < b[j].y1 && b[j].y0 < b[i].y1) overlaps++;
    stats.dataset.labels = Object.keys(placed.shown).length; stats.dataset.labelOverlaps = overlaps;
    stats.dataset.fontPx = Math.round(FONT_PX);
    stats.dataset.focusLabelled = data.nodes.some(function (n) {{ return n.focus && placed.shown[n.id]; }}) ? 1 : 0;
  }}
  network.once("stabilizationIterationsDone", function () {{
    network.setOptions({{ physics: false }});
    network.fit();
    relabel();
    stats.dataset.stabilizedMs = Math.round(performance.now() - started);
  }});
  network.on("zoom", relabel);
  network.on("hoverNode", function (p) {{ hovered = p.node; relabel(); }});
  network.on("blurNode", function () {{ hovered = null; relabel(); }});
  var details = document.getElementById("details");
  function line(tag, text) {{ var el = document.createElement(tag); el.textContent = text; details.appendChild(el); }}
  function showNode(id) {{
    var n = nodes.get(id); if (!n) return;
    details.replaceChildren();
    line("h2", n.fullLabel); line("p", n.cls + " · " + n.claims + " claims"); line("p", n.id);
    edges.get({{ filter: function (e) {{ return e.from === id || e.to === id; }} }}).forEach(showEdge);
  }}
  function showEdge(e) {{
    line("h3", nodes.get(e.from).fullLabel + " — " + e.label + " — " + nodes.get(e.to).fullLabel);
    line("p", e.source + " (" + e.certainty + ")"); line("blockquote", e.quote); line("small", e.claim);
  }}
  network.on("click", function (p) {{
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) {{ details.replaceChildren(); showEdge(edges.get(p.edges[0])); }}
  }});
  document.getElementById("search").addEventListener("change", function (ev) {{
    var want = ev.target.value.toLowerCase();
    var hit = data.nodes.find(function (n) {{ return n.fullLabel.toLowerCase() === want; }})
           || data.nodes.find(function (n) {{ return n.fullLabel.toLowerCase().indexOf(want) >= 0; }});
    if (hit) {{ network.selectNodes([hit.id]); network.focus(hit.id, {{ scale: 1.2 }}); showNode(hit.id); }}
  }});
  var pre = decodeURIComponent((location.hash.match(/select=([^&]+)/) || [])[1] || "");
  if (pre) showNode(pre);
}})();
</script>
</body>
</html>
"""


def render(g: nx.MultiDiGraph, title: str = "rightsgraph network", max_nodes: int = MAX_PAGE_NODES,
           max_drawn: int | None = None) -> str:
    """Return the offline HTML page of ``g``; refuse graphs too large to lay out in a browser. With
    ``max_drawn``, draw at most that many nodes (see :func:`capped`) and one "N more" node for the rest."""
    if g.number_of_nodes() > max_nodes and (max_drawn is None or max_drawn > max_nodes):
        raise UsageError(f"the graph has {g.number_of_nodes()} nodes, too many to lay out in a browser "
                         f"(at most {max_nodes}): narrow it with --focus NAME --hops N, --types or --source")
    part, more = capped(g, max_drawn)
    pd = page_data(part, title, more)
    js, css = _vis_library()
    data = {"nodes": pd.nodes, "edges": pd.edges, "legend": pd.legend}
    return _PAGE.format(title=html.escape(title), vis_css=css, vis_js=js, data=_script_json(data), labelled=LABELLED)


def page(g: nx.MultiDiGraph, path: str | Path, title: str = "rightsgraph network", max_drawn: int | None = None) -> Path:
    """Write the offline interactive page of ``g`` to ``path`` (at most ``max_drawn`` nodes drawn)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render(g, title, max_drawn=max_drawn), encoding="utf-8")
    tmp.replace(path)
    return path


def inline(g: nx.MultiDiGraph, height: int = 600, title: str = "rightsgraph network"):
    """Return the page as an IPython HTML object (an iframe), for a notebook cell."""
    from IPython.display import HTML

    return HTML(f'<iframe srcdoc="{html.escape(render(g, title), quote=True)}" '
                f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')


def _flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers, as GraphML and GEXF need."""
    out = nx.MultiDiGraph()
    for n, a in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in a.items() if isinstance(v, (str, int, float))})
    for s, o, k, d in g.edges(keys=True, data=True):
        out.add_edge(s, o, key=k, **{kk: v for kk, v in d.items() if isinstance(v, (str, int, float))})
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``g`` as GraphML (Gephi, Cytoscape, yEd)."""
    nx.write_graphml(_flat(g), str(path))
    return Path(path)


def write_gexf(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``g`` as GEXF (Gephi)."""
    nx.write_gexf(_flat(g), str(path))
    return Path(path)
