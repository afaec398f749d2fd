"""Reading sentences: the clean text the rules read, sentences, numbers, dates, quotes and hedges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction.mentions import mentions
from rightsgraph.extraction.text import (DATE_RE, about_deaths, figures, hedges_of, number_from_text, parse_date_match,
                                         quote_span, real_date, sentence_of, sentences, violation_parties, untagged)
from rightsgraph.sources.reading import read

from .conftest import DOCS, IMAGINARY, doc_of


@pytest.mark.parametrize("name", ["report.txt", "report.md", "page.html"])
def test_clean_keeps_offsets(name):
    doc = read(DOCS / name)
    assert len(doc.clean) == len(doc.text) == len(doc.offsets)
    for i, ch in enumerate(doc.clean):
        if not ch.isspace():
            j = doc.offsets[i]
            assert doc.text[j] == ch or doc.text[j] == "&", (i, ch)


def test_html_is_cleaned_and_decoded_from_its_declared_charset():
    doc = read(DOCS / "page.html")
    assert "Café talk" in doc.text  # windows-1252, declared by <meta charset>
    for debris in ("<", "99,999", "color: red", "mysql_query", "on line", "&amp;", "&nbsp;"):
        assert debris not in doc.clean, debris
    start = doc.clean.index("estimated 15,000 prisoners")
    a, b = doc.span(start, start + len("estimated 15,000 prisoners"))
    assert doc.text[a:b] == "estimated 15,000 prisoners"


def test_text_debris_is_blanked():
    doc = read(DOCS / "report.txt")
    assert "mysql_connect" not in doc.clean and "==" not in doc.clean and "|" not in doc.clean
    assert "Camps" in doc.clean and "Camp No. 15" in doc.clean


def test_unsupported_suffix_is_refused(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_text("Camp 15")
    with pytest.raises(ValueError, match="x.pdf"):
        read(pdf)


def test_number_from_text():
    assert number_from_text("120,000") == 120000
    assert number_from_text("1.5 million") == 1500000
    assert number_from_text("two million") == 2000000
    assert number_from_text("Seventy-seven") == 77 and number_from_text("several hundred") is None


def test_sentences_keep_abbreviations_and_wrapped_lines_together():
    clean = "Mr. Kim said so. The U.S. agreed\nat once.\n\nA heading\nNext line. Some c. 300 people came."
    assert [clean[a:b] for a, b in sentences(clean)] == [
        "Mr. Kim said so.", "The U.S. agreed\nat once.", "A heading", "Next line.", "Some c. 300 people came."]
    sents = sentences(clean)
    assert sentence_of(sents, [s for s, _ in sents], clean.index("agreed")) == sents[1]


def test_figures_count_people_not_years_or_distances():
    clean = "Camp Alpha held up to 8,000 prisoners from 1990 to 1995 in 40 km of valley; 300 died."
    found = [(form, clean[a:b], figure) for form, a, b, figure in figures(clean, deaths=True)]
    assert found == [("up-to", "up to 8,000", {"high": 8000, "qualifier": "up to"}), ("plain", "300", {"value": 300})]
    assert about_deaths(clean, clean.index("300"), clean.index("300") + 3)


@pytest.mark.parametrize("text, value", [
    ("8 December 2013", "2013-12-08"), ("Dec. 8, 2013", "2013-12-08"), ("December of 2013", "2013-12"), ("2013", 2013)])
def test_dates_as_the_authoring_format_writes_them(text, value):
    assert parse_date_match(DATE_RE.fullmatch(text)) == value


def test_placeholder_and_impossible_dates_are_no_dates():
    assert real_date("2013-12-08") and real_date(2013)
    assert not real_date("1969-12-31") and not real_date("2013-02-30")


def test_a_long_sentence_is_quoted_by_its_clause():
    text = "In the north, " + "where the hills are steep and " * 12 + "the roads are closed, Camp Alpha held 700 prisoners.\n"
    doc = doc_of(text)
    focus = (text.index("Camp Alpha"), text.index("prisoners") + 9)
    start, end = quote_span(doc, (0, len(text) - 1), focus)
    assert end - start < MAX_QUOTE and text[start:end] == "Camp Alpha held 700 prisoners."


def test_hedges_of_a_sentence():
    doc = doc_of("The Lantern Monitor estimates that Camp Alpha held 700 prisoners.\n")
    found = mentions(doc, IMAGINARY)
    assert hedges_of(doc, (0, 65), found) == {"certainty": "estimated", "according_to": "org/lantern-monitor"}
    doc = doc_of("Camp Alpha reportedly held 700 prisoners, according to former guards.\n")
    assert hedges_of(doc, (0, 69), mentions(doc, IMAGINARY)) == {"certainty": "alleged", "attribution": "former guards"}


def test_violation_parties_the_agent_and_the_victims():
    text = "Orchard Believers were abducted by the Coastal Council.\n"
    doc = doc_of(text)
    verb = (text.index("abducted"), text.index("abducted") + 8)
    agent, victims = violation_parties(doc, (0, len(text) - 1), mentions(doc, IMAGINARY), verb)
    assert agent.entity == "org/coastal-council" and [v.entity for v in victims] == ["group/orchard-believers"]


_WORDS = ["Camp Alpha", "held", "up to", "8,000", "prisoners", "Mara Quell", "a former prisoner of", "said", "in 2019",
          "Ostland", "On 3 May 2020,", "the Lantern Monitor", "released the report", "'Long Roads'", ".", ",", "were executed"]
_TAGS = ["<b>", "</b>", "<em>", "</em>", "<a href=\"x.html\">", "</a>", "<br/>", "<!-- note -->", "</p><p>"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_TAGS)), min_size=3, max_size=40))
def test_quotes_never_hold_or_cut_markup(pieces):
    """Property (issue 16, acceptance 4): whatever the inline markup of a page, every proposed quote is text between
    tags, at its exact offsets."""
    from rightsgraph.extraction.propose import propose, propose_entities
    from rightsgraph.sources.reading import Document, clean_text

    from .conftest import IMAGINARY

    html = "<html><body><p>" + " ".join(pieces) + "</p></body></html>"
    doc = Document(Path("p.html"), html, clean_text(html, True), range(len(html)), 0)
    tags = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?-->|<[^>]*>", html, re.S)]
    for item in [*propose(doc, IMAGINARY), *propose_entities(doc, IMAGINARY)]:
        start, end = item["offsets"]
        assert html[start:end] == item["quote"] and "<" not in item["quote"] and ">" not in item["quote"]
        assert not any(a < start < b or a < end < b for a, b in tags)


@given(st.text(alphabet="ab <>/", max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_untagged_keeps_a_tag_free_part_of_the_span(text, i, j):
    start, end = sorted((min(i, len(text)), min(j, len(text))))
    a, b = untagged(text, start, end)
    assert start <= a <= b <= end
    if "<" in text[start:end]:
        assert not re.search(r"<[^<>]*>", text[a:b])
