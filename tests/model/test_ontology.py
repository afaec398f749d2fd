"""The ontology as the package needs it, read from the project's own file."""

from __future__ import annotations

from rdflib import RDFS, XSD

from rightsgraph.model import ontology
from rightsgraph.namespaces import RG

from ..conftest import ROOT

ONTO = ROOT / "ontology" / "rightsgraph.ttl"


def test_properties_know_what_value_they_take():
    onto = ontology.load(ONTO)
    assert onto.properties["prisonerCount"].value == "figure"
    assert onto.properties["violation"].value == "violation"
    assert onto.properties["areaKm2"].value in ("decimal", "integer")
    assert onto.properties["date"].value == "date" if "date" in onto.properties else True
    assert onto.kind_of(RG.PoliticalPrisonCamp) == "facility"
    assert onto.is_a(RG.PoliticalPrisonCamp, RG.Place)


def test_controlled_lists_come_from_the_file_not_from_code():
    onto = ontology.load(ONTO)
    assert set(onto.certainties) == {"reported", "alleged", "estimated", "confirmed", "denied"}
    assert {"public", "restricted"} <= set(onto.access_levels)
    assert "prisoners" in onto.measures and onto.default_measures[RG.prisonerCount] == onto.measures["prisoners"]


def test_another_projects_ontology_is_read_from_its_own_file(tmp_path):
    f = tmp_path / "rightsgraph.ttl"
    f.write_text(ONTO.read_text(encoding="utf-8") + f"\n<{RG}shoeSize> a <http://www.w3.org/2002/07/owl#DatatypeProperty> ;"
                 f" <{RDFS.range}> <{XSD.integer}> .\n", encoding="utf-8")
    assert "shoeSize" in ontology.load(f).properties and "shoeSize" not in ontology.load(ONTO).properties
