"""SHACL over the built graph, and SHACL findings traced back to the YAML that caused them."""

from __future__ import annotations

import pytest
from rdflib import Graph

from rightsgraph.store import build
from rightsgraph.model import ontology
from rightsgraph import paths
from rightsgraph.validate import shacl as validation
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError
from rightsgraph.sparql.results import from_ox

from ..conftest import ROOT


def test_pyshacl_reports_the_built_graph_conforms(real_store):
    union = Graph()
    for q in real_store:
        union.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    assert validation.shacl(union, validation.shapes_graph(ROOT / "ontology" / "shapes.ttl"),
                            ontology.load(ROOT / "ontology" / "rightsgraph.ttl").graph) == []


def test_shacl_finding_names_the_claim_file_and_line(mini):
    events = mini / "graph" / "entities" / "all.yaml"
    events.write_text(events.read_text(encoding="utf-8") + """
- id: event/test-vote
  type: Vote
  label: Test vote
  source: test-camp-report
  quote: "Camp Report"
""", encoding="utf-8")
    claims_file = mini / "graph" / "claims" / "report.yaml"
    claims_file.write_text(claims_file.read_text(encoding="utf-8") + """
  - subject: event/test-vote
    quote: "Camp Report"
    facts:
      votesFor: -3
""", encoding="utf-8")
    line = claims_file.read_text(encoding="utf-8").splitlines().index("      votesFor: -3") + 1
    with pytest.raises(DataError) as info:
        build.load_checked_graph(paths.project(mini), Corpus(mini / "corpus"))
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 1
    assert problems[0].startswith(f"graph/claims/report.yaml:{line}: Vote-counts: Votes in favour are a non-negative integer.")
