"""The build is atomic: a failed build leaves the previous store and exports untouched."""

from __future__ import annotations

import hashlib

import pytest

from rightsgraph.store import build
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
    assert set(report.exports) == {"turtle", "trig", "nquads", "jsonld"}
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
