"""Reading field values: dates and numbers as the source gives them, and a claim's stable key."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import XSD

from rightsgraph.claims.reader import claim_key, parse_date, parse_number


@pytest.mark.parametrize("value, datatype", [(2013, XSD.gYear), ("2013-12", XSD.gYearMonth),
                                              ("2013-12-08", XSD.date), (dt.date(2013, 12, 8), XSD.date)])
def test_a_date_keeps_the_precision_the_source_gives(value, datatype):
    assert parse_date(value).datatype == datatype


@pytest.mark.parametrize("value", ["2013-02-30", "2013-13", "December 2013", "13"])
def test_what_is_not_a_date_is_refused_with_the_forms_that_are(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)


def test_numbers_are_copied_exactly_and_separators_are_refused():
    assert str(parse_number(46500)) == "46500" and parse_number(46500).datatype == XSD.integer
    assert str(parse_number(67.7)) == "67.7" and parse_number(67.7).datatype == XSD.decimal
    for bad in ("46,500", True, "about 5"):
        with pytest.raises(ValueError):
            parse_number(bad)
    with pytest.raises(ValueError, match="whole number"):
        parse_number(2.5, integer=True)


def test_a_claims_key_depends_on_subject_and_facts_not_on_their_order():
    a = claim_key("facility/kwanliso-15", {"prisonerCount": 46500, "areaKm2": 378})
    assert a == claim_key("facility/kwanliso-15", {"areaKm2": 378, "prisonerCount": 46500})
    assert a != claim_key("facility/kwanliso-16", {"prisonerCount": 46500, "areaKm2": 378})
    assert len(a) == 10


def test_misspelt_predicates_types_and_entities_get_a_suggestion():
    """Issue 15: "did you mean" for predicates, classes and entity ids in graph/."""
    from rightsgraph.claims import reader

    assert reader._did_you_mean("heldAd", ["heldAt", "locatedIn"]) == "; did you mean heldAt?"
    assert reader._did_you_mean("facility/kwanliso-51", {"facility/kwanliso-15": 1}) == \
        "; did you mean facility/kwanliso-15?"


def test_validate_suggests_the_predicate_a_misspelling_meant(mini):
    from ..conftest import run_cli

    claims = mini / "graph" / "claims" / "report.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("heldAt:", "heldAd:"), encoding="utf-8")
    out = run_cli("--root", str(mini), "validate", "--corpus", str(mini / "corpus"))
    assert out.returncode == 1 and "unknown predicate 'heldAd': not a property of the ontology; did you mean heldAt?" in out.stderr
