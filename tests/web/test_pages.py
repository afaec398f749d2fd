"""The HTML pages for people, on the built graph: entity, search, source, claim and query pages, and escaping."""

from __future__ import annotations

import html
import re

import markupsafe
import pytest
from rdflib import Literal, URIRef

from rightsgraph.store import build
from rightsgraph.outputs import describe as entities
from rightsgraph.web import pages
from rightsgraph import paths
from rightsgraph.sparql import queries
from rightsgraph.store import embedded as store
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import UsageError

from ..conftest import ROOT, script_project

BASE = "https://w3id.org/rightsgraph/"
YODOK = BASE + "id/facility/kwanliso-15"
WIKIPEDIA = "wikipedia-human-rights-in-north-korea"
SCRIPT = "<script>alert(1)</script>"
#: The project the real store is built from: its ontology and named queries.
P = paths.project(ROOT)


def _run(*args, **kwargs):
    """A named query of this checkout's project, run as the pages run it."""
    return queries.run(*args, folder=P.queries, **kwargs)
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def link(iri: str) -> str:
    """What the server passes: the local URL that dereferences an IRI of the graph."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


def srcdocs(page: str) -> list[str]:
    """The documents held in the page's iframes, unescaped."""
    return [html.unescape(m) for m in re.findall(r'srcdoc="([^"]*)"', page)]


def outside_iframes(page: str) -> str:
    """The page with every iframe's srcdoc emptied: what the browser parses as this page's own markup."""
    return re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', page)


def assert_complete(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    for href, text in (("/", "Home"), ("/queries", "Queries"), ("/query", "SPARQL query"), ("/void", "VoID")):
        assert f'<a href="{href}">{text}</a>' in page
    own = outside_iframes(page)
    assert "<script" not in own.lower()  # the pages run no script of their own
    assert not re.search(r"\ssrc=", own) and "<link" not in own  # nothing is loaded, from anywhere


@pytest.fixture(scope="module")
def yodok(real_store) -> str:
    return pages.entity(real_store, YODOK, link, paths=P)


def test_camp_page_shows_names_class_and_prisoner_estimates_with_sources(real_store, yodok):
    assert_complete(yodok)
    page = outside_iframes(yodok)
    assert "<h1>Yodok political prison camp</h1>" in page
    assert "<li>Camp 15</li>" in page and "<li>Kwan-li-so No. 15</li>" in page
    assert "political prison camp (kwan-li-so)" in page
    # columns by name: issue 14 added measure and datedByPublication after the quote
    result = _run(real_store, "camps-with-prisoner-estimates")
    estimates = [dict(zip(result.vars, r)) for r in result.as_strings() if r[0] == YODOK]
    assert any(r["value"] == "46500" and r["source"] == WIKIPEDIA for r in estimates)
    figures = re.findall(r"<tr><td>number of prisoners</td>.*?</tr>", page)
    assert len(figures) == len(estimates)
    for value, source, quote in ((r["value"], r["source"], r["quote"]) for r in estimates):
        row = next(f for f in figures if f'<data value="{value}">' in f and f">{source}</a>" in f)
        assert f'href="/id/source/{source}"' in row
        assert f"<blockquote>{html.escape(quote)}</blockquote>" in page
    assert '<data value="46500">46,500</data>' in page


def test_camp_page_lists_every_claim_with_source_quote_offsets_and_certainty(real_store, yodok):
    page = outside_iframes(yodok)
    _, described = entities.describe(real_store, YODOK, P)
    claims = described["claims"]
    assert len(claims) >= 10 and f"<h2>Claims ({len(claims)})</h2>" in page
    for claim in claims.values():
        assert f'href="{link(claim.iri)}"' in page, claim.iri
        assert f"<blockquote>{html.escape(claim.quote)}</blockquote>" in page
        assert f'href="/id/source/{claim.source}"' in page
    rows = _run(real_store, "entity-claims", {"entity": "facility/kwanliso-15"}).as_strings()
    names = _run(real_store, "entity-claims").vars
    for r in (dict(zip(names, r)) for r in rows):
        assert f'data-start="{r["start"]}" data-end="{r["end"]}"' in page
        assert f'<span class="certainty {r["certainty"].lower()}">' in page
    # attribution, as the source words it or as an entity
    assert "attributed to “detainee testimony”" in page
    # (Yodok's own "according to" claim left with issue 14's review: its headline quote named no camp; kwanliso 16's
    # page keeps one, attributed to the same satellite-image analysis)
    camp16 = outside_iframes(pages.entity(real_store, YODOK.replace("kwanliso-15", "kwanliso-16"), link, paths=P))
    assert 'according to <a href="/id/document/amnesty-north-korea-satellite-images-2013"' in camp16
    # related entities link to their pages
    related = page.split("<h2>Related entities", 1)[1]
    # (the State Security Department left Yodok's page with issue 14's review: "run by the state security
    # department" names no camp, so those claims were removed)
    for iri in ("id/person/kang-chol-hwan", "id/place/south-hamgyong-province", "id/violation/starvation"):
        assert f'href="/{iri}"' in related


def test_camp_page_embeds_the_network_in_a_sandboxed_iframe(yodok):
    assert yodok.count("<iframe") == 1 and 'sandbox="allow-scripts"' in yodok
    (doc,) = srcdocs(yodok)
    assert doc.startswith("<!DOCTYPE html>") and "Yodok political prison camp" in doc and "vis.Network" in doc
    assert "/viz?focus=https%3A%2F%2Fw3id.org%2Frightsgraph%2Fid%2Ffacility%2Fkwanliso-15" in yodok


def test_a_large_neighbourhood_is_linked_not_embedded(real_store, monkeypatch):
    monkeypatch.setattr(pages, "MAX_EMBEDDED_NODES", 3)
    page = pages.entity(real_store, YODOK, link, paths=P)
    assert "<iframe" not in page
    assert 'href="/viz?focus=https%3A%2F%2Fw3id.org%2Frightsgraph%2Fid%2Ffacility%2Fkwanliso-15&amp;hops=1"' in page


def test_unknown_iris_give_none(real_store):
    for iri in (BASE + "id/facility/no-such-camp", BASE + "id/source/no-such-source",
                BASE + "claim/no-such-source/0123456789", BASE + "graph/provenance", "not an iri", "urn:x>y",
                YODOK + "#figure-1"):
        assert pages.entity(real_store, iri, link, paths=P) is None, iri
        assert pages.source(real_store, iri, link, paths=P) is None, iri
        assert pages.claim(real_store, iri, link, paths=P) is None, iri
    # each kind of page answers only for its own kind of IRI
    assert pages.entity(real_store, BASE + f"id/source/{WIKIPEDIA}", link, paths=P) is None
    assert pages.source(real_store, YODOK, link, paths=P) is None
    assert pages.claim(real_store, YODOK, link, paths=P) is None


def test_violation_type_page(real_store):
    page = pages.entity(real_store, BASE + "id/violation/starvation", link, paths=P)
    assert_complete(page)
    assert "<h1>starvation in detention</h1>" in page
    assert 'href="/id/violation/right-to-food"' in page  # the broader concept
    assert 'href="/id/facility/kwanliso-15"' in page  # a claim reporting it at Yodok


def test_search_finds_yodok_and_says_when_nothing_matches(real_store):
    page = pages.search(real_store, "Yodok", link, paths=P)
    assert_complete(page)
    assert '<a href="/id/facility/kwanliso-15"' in page and "Yodok political prison camp" in page
    assert "matched “Yodok”" in page
    page = pages.search(real_store, "camp 15", link, paths=P)
    assert '<a href="/id/facility/kwanliso-15"' in page
    page = pages.search(real_store, "no such name zzz", link, paths=P)
    assert "Nothing found" in page and "no such name zzz" in page and "/id/" not in page
    page = pages.search(real_store, SCRIPT, link, paths=P)
    assert SCRIPT not in page and ESCAPED in page
    assert "Type a name" in pages.search(real_store, "", link, paths=P)


def test_home_page(real_store, built):
    page = pages.home(real_store, link, paths=P)
    assert_complete(page)
    assert f'<data value="{built.claims}">{built.claims:,}</data>' in page
    assert f'<data value="{built.quads}">{built.quads:,}</data>' in page
    assert '<form method="get" action="/search"' in page and 'name="q"' in page
    for name in queries.named(P.queries):
        assert f'<a href="/queries/{name}">{name}</a>' in page
    for source, _, claims in _run(real_store, "stats-claims-per-source").as_strings():
        assert f'<a href="/id/source/{source}">{source}</a>' in page
        assert f'<a href="/queries/claims-by-source?source={source}">{int(claims):,}</a>' in page
    for ext in ("ttl", "trig", "nq", "jsonld"):
        assert f'href="/exports/rightsgraph.{ext}"' in page
    assert 'href="/void"' in page and 'href="/query"' in page


def test_source_page(real_store):
    page = pages.source(real_store, BASE + "id/source/hrw-world-report-2019-north-korea", link, paths=P)
    assert_complete(page)
    assert "<h1>World Report 2019: North Korea (events of 2018)</h1>" in page
    assert "Human Rights Watch" in page and 'href="/id/org/human-rights-watch"' in page
    assert '<a href="https://www.hrw.org/world-report/2019/country-chapters/north-korea"' in page
    assert "595eb3b221ca01b881005c3d36375b100fa031a582a826fa4af7f121bc39bdae" in page
    assert "quote short passages only" in page
    n = next(int(c) for s, _, c in _run(real_store, "stats-claims-per-source").as_strings()
             if s == "hrw-world-report-2019-north-korea")
    assert f"<dd>{n:,} (" in page
    assert 'href="/queries/claims-by-source?source=hrw-world-report-2019-north-korea"' in page


def test_claim_page(real_store):
    rows = [r for r in _run(real_store, "camps-with-prisoner-estimates").as_strings() if r[0] == YODOK]
    described = _run(real_store, "entity-claims", {"entity": "facility/kwanliso-15"})
    names = described.vars
    figure = next(dict(zip(names, r)) for r in described.as_strings()
                  if dict(zip(names, r))["value"] == rows[0][2])
    page = pages.claim(real_store, figure["claim"], link, paths=P)
    assert_complete(page)
    assert f'<data value="{figure["value"]}">' in page
    assert 'href="/id/facility/kwanliso-15"' in page and "Yodok political prison camp" in page
    assert f"<blockquote>{html.escape(figure['quote'])}</blockquote>" in page
    assert f'data-start="{figure["start"]}" data-end="{figure["end"]}"' in page
    assert f'<span class="certainty {figure["certainty"].lower()}">' in page
    assert "curation by hand" in page  # the method
    assert f'href="/id/source/{figure["source"]}"' in page


def test_claim_page_shows_the_review_status_and_the_publication_date_mark(real_store):
    """Issue 14: who reviewed the claim and when, or that it is only curated; a date that is the document's own."""
    base = "https://w3id.org/rightsgraph/claim/"
    reviewed = pages.claim(real_store, base + "wikipedia-human-rights-in-north-korea/fb56799cbc", link, paths=P)
    assert "<dt>review status</dt><dd>reviewed by reviewer-b on 2026-12-07</dd>" in reviewed
    # Donald Trump's title in Amnesty's release of June 8, 2018: dated only by the release
    result = _run(real_store, "claims-by-source", {"source": "amnesty-usa-north-korea"})
    row = next(dict(zip(result.vars, r)) for r in result.as_strings()
               if dict(zip(result.vars, r))["quote"] == "US President Donald Trump"
               and dict(zip(result.vars, r))["predicate"] == "jobTitle")
    status = row["reviewStatus"] + (f" by {row['reviewedBy']} on {row['reviewedOn']}" if row["reviewedBy"] else "")
    page = pages.claim(real_store, row["claim"], link, paths=P)
    assert f"<dt>review status</dt><dd>{status}</dd>" in page
    mark = html.escape("the document's publication date")
    assert f"<dt>as of</dt><dd>2018-06-08 ({mark})</dd>" in page


def test_queries_page_links_every_named_query():
    page = pages.queries_page(link, paths=P)
    assert_complete(page)
    for name, q in queries.named(P.queries).items():
        # the page is a Jinja2 template: markupsafe's escaping (' as &#39;, where html.escape writes &#x27;)
        assert f'<a href="/queries/{name}">{name}</a>: {markupsafe.escape(q.question)}' in page


def test_query_page_renders_a_named_query_as_a_table(real_store):
    result = _run(real_store, "camps-with-prisoner-estimates")
    page = pages.query_result("camps-with-prisoner-estimates", result, None, link, {}, paths=P)
    assert_complete(page)
    assert '<form method="get" action="/query">' in page and '<textarea name="query"' in page
    assert "SELECT DISTINCT ?facility ?label" in page  # the text box holds the query
    assert '<table class="results">' in page
    assert "".join(f"<th>{v}</th>" for v in result.vars) in page
    assert page.count("<tr>") == len(result.rows) + 1
    assert f"{len(result.rows)} rows" in page
    assert '<a href="/id/facility/kwanliso-15"' in page  # IRIs of the graph are links
    assert "Yodok political prison camp" in page


def test_query_page_binds_parameters_in_the_text_box(real_store):
    params = {"source": "hrw-world-report-2019-north-korea"}
    result = _run(real_store, "claims-by-source", params)
    page = pages.query_result("claims-by-source", result, None, link, params, paths=P)
    # the bound parameter, and the query's second parameter (?status, issue 14) at its default
    assert 'VALUES (?source ?status) { (&quot;hrw-world-report-2019-north-korea&quot; &quot;any&quot;) }' in page
    assert '<form method="get" action="/queries/claims-by-source">' in page
    assert 'name="source"' in page and 'value="hrw-world-report-2019-north-korea"' in page
    assert f"{len(result.rows):,} rows" in page


def test_query_page_shows_the_error_of_a_bad_query(real_store):
    text = "SELECT ?x WHERE { ?x <oops"
    with pytest.raises(UsageError) as err:
        _run(real_store, text)
    page = pages.query_result(text, None, str(err.value), link, paths=P)
    assert_complete(page)
    assert 'class="error"' in page and html.escape(str(err.value)) in page and "syntax error" in page
    assert "<table" not in page
    assert "SELECT ?x WHERE { ?x &lt;oops</textarea>" in page  # the query, kept for editing


def test_query_page_escapes_values_and_errors():
    result = queries.Result(["x", "y"], [(Literal(SCRIPT), URIRef("https://example.org/<x>")), (None, URIRef(YODOK))])
    page = pages.query_result(f"SELECT ?x WHERE {{ BIND('{SCRIPT}' AS ?x) }}", result, None, link, paths=P)
    assert SCRIPT not in page and page.count(ESCAPED) == 2
    assert "<a href=\"https://example.org" not in page  # outside IRIs are text, not links
    page = pages.query_result("SELECT", None, f"error near {SCRIPT}", link, paths=P)
    assert SCRIPT not in page and ESCAPED in page


# -- a quote holding a script element --------------------------------------------------------------

@pytest.fixture(scope="module")
def script_root(tmp_path_factory):
    return script_project(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def script_store(script_root):
    report = build.build(paths.project(script_root), Corpus(script_root / "corpus"))
    return store.open(report.store)


def test_a_script_in_a_quote_is_escaped_on_every_page(script_store, script_root):
    SP = paths.project(script_root)
    guard = BASE + "id/person/a-guard"
    page = pages.entity(script_store, guard, link, paths=SP)
    assert_complete(page)
    own = outside_iframes(page)
    assert f"<blockquote>A guard wrote {ESCAPED} on the wall of Camp 99.</blockquote>" in own
    assert SCRIPT not in own and SCRIPT not in page
    # the network view holds the quote too, as data its script shows as text
    (doc,) = srcdocs(page)
    assert SCRIPT not in doc and doc.count("</script>") == 3
    assert "<script" not in own.lower()
    # the camp's page shows the same claim, from the other end
    camp = pages.entity(script_store, BASE + "id/facility/camp-99", link, paths=SP)
    assert ESCAPED in outside_iframes(camp) and SCRIPT not in camp
    # the claim's own page
    rows = _run(script_store, "entity-claims", {"entity": "person/a-guard"})
    claim = next(str(r[0]) for r in rows.rows if SCRIPT in str(r[rows.vars.index("quote")]))
    page = pages.claim(script_store, claim, link, paths=SP)
    assert ESCAPED in page and SCRIPT not in page
    # and the query page showing it
    result = _run(script_store, "claims-by-source", {"source": "test-camp-report"})
    page = pages.query_result("claims-by-source", result, None, link, {"source": "test-camp-report"}, paths=SP)
    assert ESCAPED in page and SCRIPT not in page


def test_template_pages_escape_by_default(real_store):
    """search and queries are Jinja2 templates with autoescaping: a value is escaped without being asked to."""
    page = pages.search(real_store, SCRIPT, link, paths=P)
    assert SCRIPT not in page and ESCAPED in page and page.startswith("<!DOCTYPE html>")
    page = pages.search(real_store, "Camp 15", link, paths=P)
    assert '<a href="/id/facility/kwanliso-15" title="' + YODOK + '">' in page
    listed = pages.queries_page(link, paths=P)
    assert '<a href="/queries/coi-members">coi-members</a>' in listed and "&#39;" in listed


def test_claim_and_entity_pages_show_each_claims_trusty_uri(real_store, yodok):
    """Issue 17: every claim on a page carries the trusty URI of its nanopublication (the export's)."""
    from rightsgraph.outputs import nanopub

    claims = re.findall(r'<article class="claim" id="([^"]+)">', yodok)
    uris = re.findall(r'<code class="trusty"[^>]*>(https://w3id.org/rightsgraph/np/RA[\w-]{43})</code>', yodok)
    assert claims and len(uris) == len(claims)
    first = "https://w3id.org/rightsgraph/" + claims[0]
    assert uris[0] == nanopub.trusty_uri(real_store, first, P)
    page = pages.claim(real_store, first, link, paths=P)
    assert f">{uris[0]}</code>" in page
