"""The kind-aware name check: a folded name on two entities of any kinds, unless declared with a reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from rightsgraph import paths
from rightsgraph.claims import homonyms
from rightsgraph.claims import loader as claims
from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.records import Entity, Evidence, Origin
from rightsgraph.errors import DataError
from rightsgraph.sources.corpus import Corpus

from ..conftest import ROOT

GOVERNMENT = """
- id: org/government-of-test-province
  type: Government
  label: Government of Test Province
  aliases: [test province]
  source: test-camp-report
  quote: "Test Province"
"""


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        claims.load(paths.project(root), Corpus(root / "corpus"))
    return [str(p) for p in info.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_invalid_a_name_shared_across_kinds_is_reported_with_both_places(mini):
    f = mini / "graph" / "entities" / "all.yaml"
    f.write_text(f.read_text(encoding="utf-8") + GOVERNMENT, encoding="utf-8")
    out = problems(mini)
    assert len(out) == 1
    place, gov = line_of(f, "label: Test Province"), line_of(f, "aliases: [test province]")
    assert out[0].startswith(f"graph/entities/all.yaml:{gov}: ")
    assert f"org/government-of-test-province (graph/entities/all.yaml:{gov})" in out[0]
    assert f"place/test-province (graph/entities/all.yaml:{place})" in out[0]
    assert "an org and a place" in out[0] and "'test province'" in out[0] and "graph/homonyms.yaml" in out[0]


def test_valid_a_declared_homonym_passes(mini):
    f = mini / "graph" / "entities" / "all.yaml"
    f.write_text(f.read_text(encoding="utf-8") + GOVERNMENT, encoding="utf-8")
    (mini / "graph" / "homonyms.yaml").write_text(
        "- name: Test Province\n  entities: [place/test-province, org/government-of-test-province]\n"
        "  reason: the report names the province and its government alike\n", encoding="utf-8")
    collection = claims.load(paths.project(mini), Corpus(mini / "corpus"))
    assert "org/government-of-test-province" in collection.entities


def test_invalid_same_kind_duplicates_are_still_reported(mini):
    f = mini / "graph" / "entities" / "all.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n- id: facility/camp-99-bis\n  type: PoliticalPrisonCamp\n"
                 "  label: Kwanliso 99\n  source: test-camp-report\n  quote: Camp 99\n", encoding="utf-8")
    out = "\n".join(problems(mini))
    assert "of one kind, share the name 'Kwanliso 99': one entity or two?" in out


@pytest.mark.parametrize("text, message", [
    ("- name: Test Province\n  entities: [place/test-province, org/nope]\n  reason: x\n", "unknown entity 'org/nope'"),
    ("- name: Test Province\n  entities: [place/test-province, person/jane-doe]\n  reason: x\n",
     "person/jane-doe does not carry the name"),
    ("- name: Test Province\n  entities: [place/test-province, person/jane-doe]\n", "say why the name is shared"),
    ("- name: Test Province\n  entities: [place/test-province]\n  reason: x\n", "list the two or more entities"),
    ("- name: Test Province\n  entities: [place/test-province, person/jane-doe]\n  reason: x\n  why: y\n",
     "unknown field(s) why"),
])
def test_invalid_declarations_are_reported(mini, text, message):
    (mini / "graph" / "homonyms.yaml").write_text(text, encoding="utf-8")
    out = "\n".join(problems(mini))
    assert re.search(r"graph/homonyms\.yaml:[12]: ", out) and message in out


def test_valid_the_real_graph_declares_every_homonym_it_keeps():
    p = paths.project(ROOT)
    collection = claims.load(p)
    declared = homonyms.read(p.graph / homonyms.HOMONYMS_FILE, "graph/homonyms.yaml", [])
    shared = homonyms.shared_names(collection.entities)
    assert {h.folded for h in declared} == set(shared)
    assert all(h.reason for h in declared)
    assert set(shared[normalize_name("China")]) == {"place/china", "org/government-of-china"}


def _entity(ident: str, label: str, aliases: list[str]) -> Entity:
    return Entity(id=ident, type=URIRef("urn:x"), label=label, aliases=aliases, origin=Origin("e.yaml", 1),
                  evidence=Evidence("s", label))


NAMES = st.sampled_from(["China", "china", "CHINA!", "Russia", "US", "U.S.", "Kaechon camp", "Kaechon-camp", "CEDAW"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["place", "org", "document", "facility", "group"]),
                          st.lists(NAMES, min_size=1, max_size=3, unique=True)), min_size=1, max_size=6))
def test_property_every_undeclared_shared_name_is_reported_and_declaring_it_silences_it(records):
    """Whatever the kinds: a folded name on k entities gives one problem per pair until declared."""
    entities = {}
    for i, (kind, names) in enumerate(records):
        e = _entity(f"{kind}/e{i}", names[0], names[1:])
        entities[e.id] = e
    carriers: dict[str, set[str]] = {}
    for e in entities.values():
        for name in [e.label, *e.aliases]:
            carriers.setdefault(normalize_name(name), set()).add(e.id)
    expected_pairs = sum(len(ids) * (len(ids) - 1) // 2 for ids in carriers.values())
    found: list = []
    homonyms.check(entities, [], found)
    assert len(found) == expected_pairs
    declared = [homonyms.Homonym(name, frozenset(ids), "because", "h.yaml", 1)
                for name, ids in carriers.items() if len(ids) > 1]
    silenced: list = []
    homonyms.check(entities, declared, silenced)
    assert silenced == []
