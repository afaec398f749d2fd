"""The registry of rules: every module of the rules package registers one rule, and a new rule runs by being there."""

from __future__ import annotations

import pkgutil

import pytest

from rightsgraph.extraction import rules
from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.propose import PREDICATES, propose
from rightsgraph.extraction.rules.registry import REGISTRY, rule
from rightsgraph.model import ontology
from rightsgraph import paths

from ..conftest import IMAGINARY, RULE, doc_of
from ...conftest import ROOT


def test_every_module_of_the_package_registers_one_rule():
    modules = sorted(m.name for m in pkgutil.iter_modules(rules.__path__) if m.name != "registry")
    registered = sorted(r.run.__module__.rsplit(".", 1)[1] for r in REGISTRY)
    assert registered == modules
    assert len({r.name for r in REGISTRY}) == len({r.order for r in REGISTRY}) == len(REGISTRY)
    assert [r.order for r in REGISTRY] == sorted(r.order for r in REGISTRY)


def test_the_rules_propose_predicates_of_the_ontology():
    onto = ontology.load(paths.project(ROOT).ontology / "rightsgraph.ttl")
    assert PREDICATES == rules.predicates() and set(PREDICATES) <= set(onto.properties)
    assert all(r.predicates for r in REGISTRY)


def test_the_gate_asks_for_a_word_and_a_kind_of_entity():
    deaths = next(r for r in REGISTRY if r.name == "deaths")
    assert deaths.applies("twelve prisoners died there", {"facility"})
    assert not deaths.applies("twelve prisoners died there", {"person"})  # nothing a death could be counted on
    assert not deaths.applies("twelve prisoners are held there", {"facility"})
    roles = next(r for r in REGISTRY if r.name == "roles")
    assert roles.applies("any sentence", {"person"}) and not roles.applies("any sentence", {"org"})


def test_a_registered_rule_runs_in_its_order():
    @rule("test-zebra", order=55, words=("zebra",), needs=("facility",), predicates=("prisonerCount",))
    def zebra(doc, sent, found, ctx):
        return [candidate(doc, sent, sent, found[0].entity, {"prisonerCount": 1}, "test-zebra", 0.5)]

    try:
        cands = propose(doc_of("A zebra was held at Camp Alpha. No zebra here.\n"), IMAGINARY)
        assert [(c["method"], c["subject"], c["quote"]) for c in cands] == [
            (RULE + "test-zebra", "facility/camp-alpha", "A zebra was held at Camp Alpha.")]
        assert [r.order for r in REGISTRY] == sorted(r.order for r in REGISTRY)
    finally:
        REGISTRY[:] = [r for r in REGISTRY if r.name != "test-zebra"]
    assert propose(doc_of("A zebra was held at Camp Alpha.\n"), IMAGINARY) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "deaths", "order": 999}, "two extraction rules are named"),
    ({"name": "test-x", "order": 30}, "has the order 30"),
    ({"name": "test-x", "order": 999, "document": True, "words": ("x",)}, "cannot have a sentence gate"),
])
def test_a_rule_that_clashes_is_refused(kwargs, message):
    before = list(REGISTRY)
    with pytest.raises(ValueError, match=message):
        rule(predicates=("date",), **kwargs)(lambda doc, found: [])
    assert REGISTRY == before
