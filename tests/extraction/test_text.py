"""Reading sentences: the clean text the rules read, sentences, numbers, dates, quotes and hedges."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction.mentions import mentions
from rightsgraph.extraction.text import (APPOSITIVE_PERSON, DATE_RE, NOT_A_NAME, Gate, about_deaths, appositive_people, figures,
                                         hedges_of, number_from_text, parse_date_match, quote_span, real_date, sentence_of,
                                         sentences, violation_parties, untagged)
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


# --------------------------------------------------------------------------------------------
# Speed-ups that must not change what is read (issue 16's throughput): each against the plain form it replaced
# --------------------------------------------------------------------------------------------

def _gates() -> list[Gate]:
    """Every Gate of the extraction modules (module constants, and those in lists such as the figure patterns)."""
    from rightsgraph.extraction import propose, speakers  # noqa: F401  (imports every rule module)
    from rightsgraph.extraction.rules import REGISTRY

    modules = {sys.modules[r.run.__module__] for r in REGISTRY} | {sys.modules["rightsgraph.extraction.text"]}
    found = []
    for module in modules:
        for value in vars(module).values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                for x in item if isinstance(item, tuple) else (item,):
                    if isinstance(x, Gate):
                        found.append(x)
    return found


GATES = _gates()
_GATE_WORDS = sorted({w for g in GATES for w in (g.words or ())})
# words of the gates in every case, characters case-insensitive patterns take for ASCII letters (İ ı ſ K), digits,
# number words, blanks and punctuation
_PIECES = st.one_of(st.sampled_from(_GATE_WORDS), st.sampled_from(_GATE_WORDS).map(str.upper),
                    st.sampled_from(_GATE_WORDS).map(str.title),
                    st.sampled_from([" ", "  ", "\n", ", ", ". ", "the ", "of ", "12", "1,500", "2019", "seven", "Twenty-one",
                                     "people", "prisoners", "died", "between", "to", "İ", "ı", "ſ", "\u212a", "é", "-", "–"]),
                    st.text(alphabet="abcdeilmnorstuvyST İıſ.,-0123456789", max_size=4))


def test_every_gate_is_found():
    assert len(GATES) >= 12 and any(g.words is None for g in GATES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30))
def test_a_gate_finds_what_its_case_insensitive_pattern_finds(pieces):
    text = "".join(pieces)
    for gate in GATES:
        expected = [(m.span(), m.groups()) for m in gate.pattern.finditer(text)]
        assert [(m.span(), m.groups()) for m in gate.finditer(text)] == expected, (gate.pattern.pattern, text)
        assert (gate.search(text) is None) == (not expected)


def _sentences_as_before(clean: str) -> list[tuple[int, int]]:
    """The sentences as the look-behind patterns and whole-slice abbreviation test found them."""
    end_mark = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
    abbreviation = re.compile(r"(\b(U\.N|U\.S|No|Nos|Mr|Mrs|Ms|Dr|Jr|St|c|ca|e\.g|i\.e|vs|Gen|Prof|approx)\.|\b[A-Z]\.)$")
    block_break = re.compile(r"\n(?![ \t]*[a-z])|(?<=[.!?:])\n|\n(?=[ \t]*\n)")
    out, pos = [], 0
    for brk in [*block_break.finditer(clean), None]:
        base, end = pos, (brk.start() if brk else len(clean))
        pos = brk.end() if brk else len(clean)
        line = clean[base:end]
        if not line.strip():
            continue
        spans, cursor = [], 0
        for m in end_mark.finditer(line):
            if abbreviation.search(line[cursor:m.start()]):
                continue
            spans.append((cursor, m.start()))
            cursor = m.end()
        spans.append((cursor, len(line)))
        for a, b in spans:
            piece = line[a:b]
            if piece.strip():
                out.append((base + a + len(piece) - len(piece.lstrip()), base + b - (len(piece) - len(piece.rstrip()))))
    return out


_PROSE = st.lists(st.sampled_from(["Kim Lee", ", a former prisoner of ", "the ", "Camp 14", ". ", "? ", "! ", "\n", "\n\n", " ",
                                   "Mr. ", "U.S. ", "approx. ", "e.g. ", "J. ", "”", "“", "(", ")", ":", "she said", "Pyon Sun-hwa",
                                   ", 47, ", "a researcher at ", "director of research at the ", "Ms Han", "’s", "-", "x", "9"]),
                  max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE)
def test_sentences_are_those_of_the_look_behind_patterns(text):
    assert sentences(text) == _sentences_as_before(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE)
def test_the_appositions_of_a_sentence_are_those_of_its_text_alone(text):
    before = re.compile(APPOSITIVE_PERSON.pattern.replace("(?P<name>[A-Z](?<![\\w’'-][A-Z])", "(?<![\\w’'-])(?P<name>[A-Z]"))
    assert before.pattern != APPOSITIVE_PERSON.pattern
    assert [m.span() for m in before.finditer(text)] == [m.span() for m in APPOSITIVE_PERSON.finditer(text)]
    for s, e in sentences(text):
        alone = [m for m in before.finditer(text[s:e]) if m.group("name").split()[0].lower() not in NOT_A_NAME]
        assert [(m.span(), m.groupdict()) for m in appositive_people(text, (s, e))] == \
            [(m.span(), m.groupdict()) for m in alone]
