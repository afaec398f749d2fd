"""Mentions: known entities found by their names, whatever the case, hyphens, markup or possessives."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rightsgraph.extraction.mentions import Matcher, mentions
from rightsgraph.sources.reading import read

from .conftest import DOCS, IMAGINARY, doc_of, entity


def test_camp_variants_and_possessives_resolve_to_the_real_entity(entities):
    doc = read(DOCS / "report.txt")
    found = mentions(doc, entities)
    by_text = {m.text: m.entity for m in found}
    for name in ("Camp 15", "kwanliso 15", "Kwan-li-so No. 15", "Yodok", "Yodok camp", "Camp No. 15"):
        assert by_text.get(name) == "facility/kwanliso-15", name
    assert by_text["Camp 16"] == "facility/kwanliso-16"
    assert "Yodok's" in doc.text[found[3].start:found[3].end + 2]
    for m in found:
        assert doc.text[m.start:m.end] == m.text


def test_mentions_tolerate_case_hyphens_markup_and_possessives(entities):
    md = read(DOCS / "report.md")
    found = {m.entity: m.text for m in mentions(md, entities)}
    assert found["person/kim-jong-un"] == "Kim Jong Un"  # from "Kim Jong Un's"
    assert found["org/ministry-of-peoples-security"] == "Ministry of People's Security"
    page = read(DOCS / "page.html")
    texts = [(m.entity, m.text) for m in mentions(page, entities)]
    assert ("facility/kwanliso-14", "Camp&nbsp;14") in texts
    assert all("15" not in t for _, t in texts)  # the script and style mention Camp 15: not text


def test_longest_match_wins_and_no_partial_numbers():
    ents = [SimpleNamespace(id="facility/a", label="Camp 1", aliases=[], type="x"),
            SimpleNamespace(id="facility/b", label="Camp 1 annex", aliases=["KWAN-LI-SO 1"], type="x")]
    m = Matcher(ents)
    text = "Camp 1 Annex, camp 10, Camp 1, kwan li so no. 1."
    assert [(e, text[s:t]) for e, s, t in m.find(text)] == [
        ("facility/b", "Camp 1 Annex"), ("facility/a", "Camp 1"), ("facility/b", "kwan li so no. 1")]


def test_shared_names_are_not_guessed():
    ents = [SimpleNamespace(id="person/a", label="Kim", aliases=[], type="x"),
            SimpleNamespace(id="person/b", label="Kim", aliases=[], type="x")]
    assert Matcher(ents).find("Kim said") == []


@pytest.fixture(scope="module")
def variants() -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in mentions(read(DOCS / "variants.txt"), IMAGINARY)]


@pytest.mark.parametrize("text", ["KWAN-LI-SO NO. 31", "kwanliso 31", "Camp 31", "Stonehaven",
                                  "Stonehaven Political Prison Camp"])
def test_case_hyphens_romanization_possessive_and_label_case(variants, text):
    assert ("facility/kwanliso-31", text) in variants  # "Stonehaven" from "Stonehaven's"


def test_html_entity_left_in_plain_text_is_a_space(variants):
    assert ("facility/kwanliso-31", "Kwan-li-so&nbsp;No. 31") in variants


def test_name_split_by_a_line_break_hyphenated_or_plural(variants):
    assert ("org/harbor-institute", "Harbor\nInstitute") in variants
    assert ("org/lantern-monitor", "Lantern-Monitor") in variants
    assert ("org/harvest-committee", "Harvest committees") in variants


def test_acronym_in_brackets_and_label_without_the_and_brackets(variants):
    assert ("org/valley-rights-network", "VRN") in variants  # "(VRN)" after the name, then "the VRN"
    assert ("org/north-star-commission", "the North Star Commission") in variants


def test_country_or_government_by_context(variants):
    assert variants[-2:] == [("org/government-of-ostland", "Ostland"), ("place/ostland", "Ostland")]


def test_markup_between_words():
    found = [(m.entity, m.text) for m in mentions(read(DOCS / "variants.html"), IMAGINARY)]
    assert found == [("org/harbor-institute", "Harbor</b> Institute"), ("org/lantern-monitor", "Lantern</i>\nMonitor")]


def test_names_inside_longer_names_are_inner_mentions():
    ents = [entity("org/a", "NGO", "Ostland Rights Office"), entity("place/ostland", "Country", "Ostland")]
    found = mentions(doc_of("The Ostland Rights Office opened.\n"), ents)
    assert [(m.entity, m.text, m.inner) for m in found] == [
        ("org/a", "Ostland Rights Office", False), ("place/ostland", "Ostland", True)]


def test_lower_case_words_are_not_capitalized_names():
    ents = [entity("document/taken", "Book", "Taken"), entity("org/asa", "Company", "ASA")]
    assert mentions(doc_of("Records were taken as a rule. Taken is a book. ASA wrote.\n"), ents) and \
        [m.text for m in mentions(doc_of("Records were taken as a rule. Taken is a book. ASA wrote.\n"), ents)] == \
        ["Taken", "ASA"]
