"""Everything about an entity, gathered once (``describe.about``) and shown three ways: the text of
``rightsgraph describe``, the entity page, and the entity's RDF on the server. They show the same facts."""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from rightsgraph import paths
from rightsgraph.errors import UsageError
from rightsgraph.model import ontology
from rightsgraph.namespaces import BASE, OA, PROVENANCE_GRAPH, RG
from rightsgraph.outputs import describe
from rightsgraph.web import pages

from ..conftest import ROOT, run_cli

P = paths.project(ROOT)
ENTITIES = ["facility/kwanliso-15", "person/kang-chol-hwan", "org/state-security-department", "person/kim-jong-un",
            "group/political-prisoners"]


def link(iri: str) -> str:
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else iri


def rdf_facts(data: dict) -> set[tuple]:
    """(source, quote, direction, predicate IRI) of every fact the entity's RDF (TriG) holds about it."""
    ds = Dataset()
    ds.parse(data=describe.rdf(data, "trig", P), format="trig")
    iri = URIRef(data["iri"])
    prov = ds.graph(URIRef(PROVENANCE_GRAPH))
    facts = set()
    for g in ds.graphs():
        name = str(g.identifier)
        if name in (str(PROVENANCE_GRAPH), "urn:x-rdflib:default") or not len(g):
            continue
        claim = g.identifier
        source = str(prov.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))).rsplit("/", 1)[1]
        selectors = prov.objects(prov.value(claim, RG.evidence), OA.hasSelector)
        quote = next(str(q) for s in selectors for q in prov.objects(s, OA.exact))
        for s, p, o in g:
            if s == iri:
                facts.add((source, quote, "out", str(p)))
            elif o == iri and not str(s).startswith(name + "#"):
                facts.add((source, quote, "in", str(p)))
            elif o == iri:  # named in a violation report: the fact is the one pointing at the report
                for other, pred in g.subject_predicates(s):
                    facts.add((source, quote, f"in:{str(p).rsplit('#', 1)[1]}", str(pred)))
    return facts


def text_facts(data: dict, predicates: set[str]) -> set[tuple]:
    """The same, read back from the text of ``rightsgraph describe``."""
    by_name = {describe._local(p): p for p in predicates}
    match = describe.Match(URIRef(data["iri"]), data["label"], data["label"])
    facts = set()
    for block in describe.text(match, data).split("\n\n")[1:]:
        head, *evidence = block.splitlines()  # a name stated by several claims: its evidence, each pair, under it
        pred = re.match(r"  (.+?): ", head).group(1)
        role = re.fullmatch(r"← (\S+) \((\w+)\)", pred)
        if role:
            direction, name = f"in:{role.group(2)}", role.group(1)
        elif pred.startswith("← "):
            direction, name = "in", pred[2:]
        else:
            direction, name = "out", pred
        for source, quote in zip(evidence[0::2], evidence[1::2]):
            facts.add((source.split("source: ", 1)[1], quote.split('quote:  "', 1)[1][:-1], direction, by_name[name]))
    return facts


def by_label(facts: set[tuple]) -> set[tuple]:
    """Facts with the predicate as the page names it (two predicates may share a name: skos:altLabel and
    rg:alsoKnownAs are both "also known as")."""
    onto = ontology.load(P.ontology / "rightsgraph.ttl")
    return {(s, q, d, pages._predicate_name(onto, p)) for s, q, d, p in facts}


def html_facts(data: dict) -> set[tuple]:
    """The same, read back from the entity page (each claim's article: its fact lines and its quote),
    with the predicate as the page names it."""
    page = pages.entity(None, data["iri"], link, paths=P, data={**data})
    facts = set()
    for article in re.findall(r'<article class="claim".*?</article>', page, re.S):
        quote = html.unescape(re.search(r"<blockquote>(.*?)</blockquote>", article, re.S).group(1))
        source = re.search(r'· source <a href="/id/source/([^"]+)"', article).group(1)
        for line in re.findall(r"<li>(.*?)</li>", re.search(r'<ul class="facts">(.*?)</ul>\n<p class="meta">', article, re.S).group(1)):
            label = html.unescape(re.search(r'<span class="pred">(.*?)</span>', line).group(1))
            if line.startswith('<span class="pred">'):
                direction = "out"
            elif '</span> <strong>' in line:
                direction = "in"
            else:
                role = re.search(r"among the (victims|perpetrators)\)</span>$", line)
                direction = f"in:{role.group(1)}" if role else "in:violationType"
            facts.add((source, quote, direction, label))
    return facts


@pytest.fixture(scope="module")
def network_free():
    """The entity page's network view is drawn from the store; the facts compared here do not need it."""
    original = pages._network_html
    pages._network_html = lambda *args: ""
    yield
    pages._network_html = original


@pytest.mark.parametrize("entity", ENTITIES)
def test_text_page_and_rdf_show_the_same_facts(real_store, entity, network_free):
    data = describe.about(real_store, BASE + "id/" + entity, P)
    rdf = rdf_facts(data)
    predicates = {f[3] for f in rdf}
    assert len(data["claims"]) >= 3 and len(rdf) >= 5
    assert text_facts(data, predicates) == rdf
    assert html_facts(data) == by_label(rdf)
    # and every claim of the dict is in each: the same claim graphs, the same quotes
    assert {c.quote for c in data["claims"].values()} == {f[1] for f in rdf}


def test_the_rdf_is_the_claim_graphs_that_mention_the_entity_with_their_provenance(real_store):
    iri = BASE + "id/person/kang-chol-hwan"
    data = describe.about(real_store, iri, P)
    node = ox.NamedNode(iri)
    graphs = {q.graph_name for q in real_store.quads_for_pattern(node, None, None)} | {
        q.graph_name for q in real_store.quads_for_pattern(None, None, node)}
    graphs.discard(ox.NamedNode(PROVENANCE_GRAPH))
    expected = {q for g in graphs for q in real_store.quads_for_pattern(None, None, None, g)}
    got = {ox.Quad(*(describe.store.to_ox(t) for t in q)) for q in data["quads"]}
    assert {q for q in got if q.graph_name != ox.NamedNode(PROVENANCE_GRAPH)} == expected
    provenance = {q.subject.value.split("#")[0] for q in got if q.graph_name == ox.NamedNode(PROVENANCE_GRAPH)}
    assert provenance == {g.value for g in graphs}
    # N-Triples: the triples alone
    triples = {q.triple for q in ox.parse(describe.rdf(data, "ntriples", P), format=ox.RdfFormat.N_TRIPLES)}
    assert triples == {q.triple for q in got}


def test_a_source_a_claim_and_a_violation_type(real_store):
    source = describe.about(real_store, BASE + "id/source/nkhr-the-situation", P)
    assert source["quads"] and not source["claims"] and source["label"] is None
    claim = min(g.value for g in real_store.named_graphs() if "/claim/" in g.value)
    about_claim = describe.about(real_store, claim, P)
    assert {str(q[3]) for q in about_claim["quads"]} == {claim, str(PROVENANCE_GRAPH)}
    starvation = describe.about(real_store, BASE + "id/violation/starvation", P)
    assert starvation["concept"] and starvation["label"] and starvation["claims"]
    assert all(f.direction == "in:violationType" for c in starvation["claims"].values() for f in c.facts.values())
    nothing = describe.about(real_store, BASE + "id/facility/no-such-camp", P)
    assert nothing["label"] is None and not nothing["claims"] and not nothing["quads"]
    with pytest.raises(UsageError):
        describe.about(real_store, "not an iri with spaces", P)


def test_the_describe_command_prints_the_text_renderer(built):
    out = run_cli("--root", str(ROOT), "describe", "Kang Chol-hwan", "--store", str(built.store))
    assert out.returncode == 0, out.stderr
    match = describe.Match(URIRef(BASE + "id/person/kang-chol-hwan"), "Kang Chol-hwan", "Kang Chol-hwan")
    from rightsgraph.store import embedded as store

    data = describe.about(store.open(built.store), match.iri, P, quads=False)
    assert out.stdout == describe.text(match, data) + "\n"
    assert out.stderr.strip().endswith(f"{len(describe.statements(data))} statement(s) from {len(data['claims'])} claim(s).")
    csv = run_cli("describe", "Kang Chol-hwan", "--store", str(built.store), "--format", "csv")
    assert csv.stdout.splitlines()[0] == ",".join(describe.ROW_VARS)
    assert len(csv.stdout.splitlines()) == len(describe.rows(data).rows) + 1
