"""The build is atomic: a failed build leaves the previous store and exports untouched."""

from __future__ import annotations

import hashlib

import pytest

from rightsgraph.store import build
from rightsgraph.outputs import exports
from rightsgraph import paths
from rightsgraph.store import embedded as store
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError


def digest_tree(folder):
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_build_writes_store_exports_and_anchors(mini):
    report = build.build(paths.project(mini), Corpus(mini / "corpus"))
    assert report.claims == 9 and report.entities == 4
    assert set(report.exports) == set(exports.FORMATS)  # every format of the one registry (nanopub included)
    assert {"turtle", "trig", "nquads", "jsonld", "nanopub"} <= set(report.exports)
    assert (mini / "graph" / "anchors.tsv").exists() and report.anchors_written
    st = store.open(report.store)
    assert len(st) == report.quads
    assert len(list(st.named_graphs())) == 10  # 9 claims and the provenance graph


def test_failed_build_leaves_previous_store_and_exports(mini):
    p = paths.project(mini)
    build.build(p, Corpus(mini / "corpus"))
    before_store, before_exports = digest_tree(p.store), digest_tree(p.exports)
    anchors_before = (mini / "graph" / "anchors.tsv").read_text()
    claims_file = mini / "graph" / "claims" / "report.yaml"
    claims_file.write_text(claims_file.read_text().replace("20,000 prisoners.", "20,000 prisoners!"))
    with pytest.raises(DataError):
        build.build(p, Corpus(mini / "corpus"))
    assert digest_tree(p.store) == before_store
    assert digest_tree(p.exports) == before_exports
    assert (mini / "graph" / "anchors.tsv").read_text() == anchors_before
    assert not list(p.build.glob(".staging-*"))


def test_a_second_build_replaces_the_store(mini):
    p = paths.project(mini)
    first = build.build(p, Corpus(mini / "corpus"))
    claims_file = mini / "graph" / "claims" / "report.yaml"
    claims_file.write_text(claims_file.read_text().replace(
        "      endDate: 2003\n", "      endDate: 2003\n    certainty: alleged\n"))
    second = build.build(p, Corpus(mini / "corpus"))
    assert second.quads == first.quads
    st = store.open(p.store)
    res = st.query("SELECT (COUNT(*) AS ?n) WHERE { ?g <https://w3id.org/rightsgraph/ontology#certainty> <https://w3id.org/rightsgraph/ontology#Alleged> }",
                   use_default_graph_as_union=True)
    assert int(next(iter(res))["n"].value) == 2


def test_review_status_and_what_figures_count_reach_the_graph(mini):
    """Every claim has a review status; a figure has its measure, and its dating mark or undated reason."""
    from rightsgraph.validate import invariants
    from rightsgraph.namespaces import PROVENANCE_GRAPH, RG, RGM

    f = mini / "graph" / "claims" / "report.yaml"
    text = f.read_text(encoding="utf-8")
    text = text.replace("prisonerCount: 20000\n    certainty: estimated",
                        'prisonerCount: {value: 20000, measure: political-prisoners, as_of: 2014, dated_by: publication}\n'
                        '    certainty: estimated\n    reviewed: {by: reviewer-a, on: "2026-12-07"}')
    text = text.replace("facilityNumber: 99", "facilityNumber: 99\n      peopleCount: {value: 300, measure: detainees, undated: no date given}")
    f.write_text(text, encoding="utf-8")
    report = build.build(paths.project(mini), Corpus(mini / "corpus"))
    st = store.open(report.store)

    def rows(query: str) -> list[tuple[str, ...]]:
        prologue = f"PREFIX rg: <{RG._NS}>\nPREFIX rgm: <{RGM}>\n"
        return sorted(tuple(t.value if t is not None else "" for t in r)
                      for r in st.query(prologue + query, use_default_graph_as_union=True))

    statuses = rows(f"SELECT ?c ?s ?by ?on WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?c a rg:Claim ; rg:reviewStatus ?s "
                    "OPTIONAL { ?c rg:reviewedBy ?by } OPTIONAL { ?c rg:reviewedOn ?on } } }")
    assert len(statuses) == report.claims == 9
    assert [s[1:] for s in statuses if s[1] == str(RG.Reviewed)] == [(str(RG.Reviewed), "reviewer-a", "2026-12-07")]
    assert sum(s[1] == str(RG.Curated) and s[2:] == ("", "") for s in statuses) == 8
    on = rows(f"SELECT (DATATYPE(?on) AS ?t) WHERE {{ ?c rg:reviewedOn ?on }}")
    assert on == [("http://www.w3.org/2001/XMLSchema#date",)]
    figures = rows("SELECT ?p ?m ?pub ?why WHERE { ?s ?p ?f . ?f a rg:Figure OPTIONAL { ?f rg:measure ?m } "
                   "OPTIONAL { ?f rg:datedByPublication ?pub } OPTIONAL { ?f rg:undatedReason ?why } }")
    assert figures == [
        (str(RG.peopleCount), str(RGM.detainees), "", "no date given"),
        (str(RG.prisonerCount), str(RGM["political-prisoners"]), "true", ""),
        (str(RG.prisonerCount), str(RGM.prisoners), "", ""),  # the property's default measure
    ]
    assert invariants.check_claim_provenance(st) == (9, [])  # the counted provenance invariants of dumps still hold
