"""Releases: the real graph's public release is the internal store; internal use says so; the manifest."""

from __future__ import annotations

import json

from rightsgraph import paths
from rightsgraph.model import ontology
from rightsgraph.release import publish
from rightsgraph.store import embedded
from tests.conftest import ROOT


def test_real_graph_public_release_holds_exactly_the_internal_quads(built):
    rel = built.releases["public"]
    assert rel.withheld == {"claims": 0, "entities": 0, "sources": 0}
    internal = set(embedded.open(built.store))
    release = set(embedded.open(rel.store))
    assert len(internal) == len(release) == built.quads == rel.quads
    assert internal == release  # the release adds nothing: which audience it is for is in its manifest
    onto = ontology.load(ROOT / "ontology" / "rightsgraph.ttl")
    assert publish.leaks(embedded.open(rel.store), ROOT / "queries", onto.audiences["public"]) == []


def test_manifest_holds_the_sha256_of_every_export(built):
    rel = built.releases["public"]
    manifest = json.loads((rel.folder / "manifest.json").read_text())
    assert manifest["audience"] == "public" and manifest["withheld"]["claims"] == 0
    for fmt, entry in manifest["exports"].items():
        assert publish.sha256(rel.folder / entry["file"]) == entry["sha256"]
        assert publish.sha256(built.exports[fmt]) == entry["sha256"]  # build/exports is the public release's


def test_internal_audience_opens_the_internal_store_and_says_so(built_testimony, capsys):
    root, report = built_testimony
    store = publish.open(paths.project(root), "internal")
    assert len(store) == report.quads
    assert "INTERNAL store" in capsys.readouterr().err
    assert len(publish.open(paths.project(root))) < report.quads
