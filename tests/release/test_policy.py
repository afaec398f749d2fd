"""The policy on the fictional testimony fixture: what is withheld, the text scan, and random access levels."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
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
    assert rel.withheld == {"claims": 7, "entities": 3, "sources": 1}
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


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_access_levels_never_leak(tmp_path_factory, data):
    """Random levels over the fixture's claims and entities. When the build stops, it is only because a
    visible claim names or points at a withheld entity, and each problem's file:line is a claim: the test
    then does what a curator would (restricts that claim) and builds again. Every release it ends with
    passes the leak query and the string scan, and holds no withheld claim, entity or source IRI."""
    root = copy_project(tmp_path_factory.mktemp("prop") / "p", "testimony")
    files = ["graph/entities/all.yaml", "graph/claims/interview.yaml", "graph/claims/bulletin.yaml"]
    docs = {rel: yaml.safe_load((root / rel).read_text()) for rel in files}

    def items(rel):
        return docs[rel] if isinstance(docs[rel], list) else docs[rel]["claims"]

    def write():
        for rel, doc in docs.items():
            (root / rel).write_text(yaml.safe_dump(doc, sort_keys=False))

    for rel in files:
        for item in items(rel):
            item["access"] = data.draw(st.sampled_from(LEVELS))
    write()
    stops = 0
    for _ in range(len(files) * 10):
        try:
            report = build.build(paths.project(root), shacl=False, audiences=("public", "partners"))
            break
        except DataError as err:
            stops += 1
            for problem in err.problems:
                assert "withholds" in problem.message or "names" in problem.message, problem
                assert problem.file in docs, problem
                # the item that starts last at or before the problem's line (safe_dump starts each with "- ")
                lines = (root / problem.file).read_text().splitlines()
                starts = [i + 1 for i, line in enumerate(lines) if line.startswith("- ")]
                index = len([s for s in starts if s <= problem.line]) - 1
                assert index >= 0, problem
                items(problem.file)[index]["access"] = "restricted"
            write()
    else:
        pytest.fail("restricting the claims the build named never let it through")
    event(f"built after {stops} stop(s)")
    names = {item["id"]: (item["access"], [item["label"], *item.get("aliases", [])])
             for rel in files for item in items(rel) if "label" in item}
    onto = ontology.load(root / "ontology" / "rightsgraph.ttl")
    internal = embedded.open(report.store)
    for name, rel in report.releases.items():
        release = embedded.open(rel.store)
        assert publish.leaks(release, root / "queries", onto.audiences[name]) == []
        withheld = policy.decide(internal, onto, name)
        assert rel.withheld == withheld.counts()
        assert publish.mentions(release, withheld) == []  # the string scan over every literal of the release
        gone = withheld.claims | withheld.entities | withheld.sources
        assert not [q for q in release if {q.subject.value, q.object.value, q.graph_name.value} & gone]
        sees = {str(level).rsplit("#", 1)[1].lower() for level in onto.audiences[name].sees}
        hidden = [n for level, ns in names.values() if level not in sees for n in ns]
        text = "\n".join(p.read_text(encoding="utf-8") for p in rel.exports.values())
        for n in hidden:
            if not any(n in ns and level in sees for level, ns in names.values()):
                assert n not in text, (name, n)
