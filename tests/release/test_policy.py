"""The policy on the fictional testimony fixture: what is withheld, the text scan, and random access levels."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsgraph import paths
from rightsgraph.errors import DataError
from rightsgraph.model import ontology
from rightsgraph.release import policy, publish
from rightsgraph.sources.corpus import Corpus
from rightsgraph.store import build, embedded
from tests.release.conftest import TESTIMONY, internal_only
from tests.conftest import copy_project


def test_public_release_withholds_the_witness_and_the_interview(built_testimony):
    root, report = built_testimony
    rel = report.releases["public"]
    assert rel.withheld == {"claims": 5, "entities": 2, "sources": 1}
    for path in rel.exports.values():
        text = path.read_text(encoding="utf-8")
        for needle in internal_only(root):
            assert needle not in text, (path.name, needle)
        assert "Witness A" in text  # the pseudonym is published
    onto = ontology.load(root / "ontology" / "rightsgraph.ttl")
    assert publish.leaks(embedded.open(rel.store), root / "queries", onto.audiences["public"]) == []


def test_internal_store_keeps_everything(built_testimony):
    root, report = built_testimony
    text = "\n".join(str(q) for q in embedded.open(report.store))
    for needle in internal_only(root)[:4]:
        assert needle in text


@pytest.mark.parametrize("variant, line, says", [("names-witness", 6, "'Little Magpie'"),
                                                 ("points-at-witness", 13, "id/person/pak-sun-ok")])
def test_a_public_claim_naming_the_witness_stops_the_build(testimony, variant, line, says):
    shutil.copy(TESTIMONY / "variants" / f"{variant}.yaml", testimony / "graph" / "claims" / "bulletin.yaml")
    with pytest.raises(DataError) as err:
        build.build(paths.project(testimony), Corpus(testimony / "corpus"))
    [problem] = err.value.problems
    assert (problem.file, problem.line) == ("graph/claims/bulletin.yaml", line)
    assert says in problem.message
    assert not (testimony / "build" / "store").exists()  # nothing was written


def test_the_scan_folds_names_on_word_boundaries():
    aud = ontology.Audience("public", None, frozenset())
    withheld = policy.Withheld(aud, entities={"x"}, names={"little magpie": "Little Magpie", "ri": "Ri"})
    import pyoxigraph as ox

    g, s, p = ox.NamedNode("urn:g"), ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    texts = ["the LITTLE-magpie said", "Ri's cousin", "a riot", "Little Magpies"]
    found = [m.text for m in policy.scan([ox.Quad(s, p, ox.Literal(t), g) for t in texts], withheld)]
    assert found == ["the LITTLE-magpie said", "Ri's cousin"]


LEVELS = ["public", "partners", "restricted"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_access_levels_never_leak(tmp_path_factory, data):
    """Random levels over the fixture's claims and entities: every release passes the leak query and the
    scan, or the build stops (a visible claim that names or points at a withheld entity)."""
    root = copy_project(tmp_path_factory.mktemp("prop") / "p", "testimony")
    names = {}
    for rel in ["graph/entities/all.yaml", "graph/claims/interview.yaml", "graph/claims/bulletin.yaml"]:
        doc = yaml.safe_load((root / rel).read_text())
        items = doc if isinstance(doc, list) else doc["claims"]
        for item in items:
            item["access"] = data.draw(st.sampled_from(LEVELS))
            if "label" in item:
                names[item["id"]] = (item["access"], [item["label"], *item.get("aliases", [])])
        (root / rel).write_text(yaml.safe_dump(doc, sort_keys=False))
    try:
        report = build.build(paths.project(root), shacl=False, audiences=("public", "partners"))
    except DataError as err:
        assert all("withholds" in p.message or "names" in p.message for p in err.problems)
        return
    onto = ontology.load(root / "ontology" / "rightsgraph.ttl")
    for name, rel in report.releases.items():
        release = embedded.open(rel.store)
        assert publish.leaks(release, root / "queries", onto.audiences[name]) == []
        sees = {str(level).rsplit("#", 1)[1].lower() for level in onto.audiences[name].sees}
        hidden = [n for level, ns in names.values() if level not in sees for n in ns]
        text = "\n".join(p.read_text(encoding="utf-8") for p in rel.exports.values())
        for n in hidden:
            if not any(n in ns and level in sees for level, ns in names.values()):
                assert n not in text, (name, n)
