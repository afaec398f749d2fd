"""Prisoner figures: each form of a figure, its subject, and the hedges around it."""

from __future__ import annotations

import pytest

from rightsgraph.extraction.propose import propose
from rightsgraph.sources.reading import read

from ..conftest import bare, bare_facts, IMAGINARY, doc_of, find, one


def test_prisoner_figures(proposed):
    txt = proposed["report.txt"]
    up_to = find(txt, "prisoner-figure-up-to")
    assert up_to["subject"] == "facility/kwanliso-15"
    assert bare(up_to["facts"]["prisonerCount"]) == {"high": 50000, "qualifier": "up to"}
    about = find(txt, "prisoner-figure-approximate")
    assert bare(about["facts"]["prisonerCount"]) == {"value": 3100, "qualifier": "about"}
    assert about["certainty"] == "estimated"
    between = find(txt, "prisoner-figure-between")
    assert bare(between["facts"]["prisonerCount"]) == {"low": 40000, "high": 45000}
    assert between["attribution"] == "the Test Survey Group"
    rng = find(txt, "prisoner-figure-range")
    assert rng["subject"] == "facility/kwanliso-15"  # named as "Yodok's"
    assert bare(rng["facts"]["prisonerCount"]) == {"low": 30000, "high": 35000}
    more = find(txt, "prisoner-figure-at-least")
    assert more["subject"] == "facility/kwanliso-16"
    assert bare(more["facts"]["prisonerCount"]) == {"low": 2000, "qualifier": "more than"}
    assert "certainty" not in more
    estimated = find(proposed["page.html"], "prisoner-figure-approximate")
    assert bare(estimated["facts"]["prisonerCount"]) == {"value": 15000, "qualifier": "an estimated"}
    assert estimated["subject"] == "facility/kwanliso-14"


def test_numbers_that_count_no_people_are_left_alone(entities, tmp_path):
    f = tmp_path / "n.txt"
    f.write_text("Camp 15 covers about 378 km of valley. There were around twelve prison camps, "
                 "and Camp 16 held prisoners from 1990 to 1995.\n", encoding="utf-8")
    assert [c for c in propose(read(f), entities) if "prisonerCount" in c["facts"]] == []


@pytest.mark.parametrize("rule, subject, figure", [
    ("prisoner-figure-up-to", "facility/camp-alpha", {"high": 8000, "qualifier": "up to"}),
    ("prisoner-figure-approximate", "facility/camp-beta", {"value": 1200, "qualifier": "about"}),
    ("prisoner-figure-between", "facility/camp-gamma", {"low": 2500, "high": 3000}),
    ("prisoner-figure-range", "facility/camp-delta", {"low": 600, "high": 900}),
    ("prisoner-figure-at-least", "facility/camp-epsilon", {"low": 400, "qualifier": "more than"}),
])
def test_each_figure_form(imaginary, rule, subject, figure):
    assert bare_facts(one(imaginary["figures.txt"], rule, subject)["facts"]) == {"prisonerCount": figure}


def test_figures_of_a_group_held(imaginary):
    held = one(imaginary["figures.txt"], "prisoner-figure-plain", "group/orchard-believers")
    assert bare_facts(held["facts"]) == {"prisonerCount": {"value": 5000}} and held["certainty"] == "estimated"


def test_hedges_are_kept_never_dropped(imaginary):
    cands = imaginary["figures.txt"]
    assert one(cands, "prisoner-figure-approximate")["certainty"] == "estimated"           # "about"
    assert one(cands, "prisoner-figure-between")["according_to"] == "org/lantern-monitor"  # "according to the ..."
    alleged = one(cands, "prisoner-figure-plain", "facility/camp-alpha")                    # "allegedly"
    assert bare_facts(alleged["facts"]) == {"prisonerCount": {"value": 9500}} and alleged["certainty"] == "alleged"
    assert "certainty" not in one(cands, "prisoner-figure-up-to")
    unknown = propose(doc_of("Camp Alpha held 700 prisoners, according to former guards.\n"), IMAGINARY)
    assert unknown[0]["attribution"] == "former guards"


def test_numbers_that_count_no_people_or_are_years_give_nothing(imaginary):
    quotes = {c["quote"] for c in imaginary["figures.txt"]}
    assert not any("40 km" in q or "1990 to 1995" in q for q in quotes)
