"""The shape of a candidate claim: its quote is the original text at its offsets, and it carries its rule."""

from __future__ import annotations

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction.candidates import candidate, hedged_candidate, method_iri
from rightsgraph.extraction.mentions import mentions

from .conftest import IMAGINARY, RULE, doc_of


def test_a_candidate_quotes_its_sentence_with_offsets_method_and_confidence():
    doc = doc_of("Intro. Camp Alpha held 700 prisoners. End.\n")
    sent = (7, 37)
    c = candidate(doc, sent, (18, 33), "facility/camp-alpha", {"prisonerCount": 700}, "test-rule", 1.5)
    assert c == {"subject": "facility/camp-alpha", "quote": "Camp Alpha held 700 prisoners.",
                 "facts": {"prisonerCount": 700}, "method": RULE + "test-rule", "confidence": 0.99, "offsets": [7, 37]}
    assert method_iri("test-rule") == RULE + "test-rule"


def test_a_repeated_quote_says_which_occurrence_and_a_hedge_which_certainty():
    text = "Camp Alpha held 700 prisoners. Camp Alpha held 700 prisoners, allegedly.\n"
    doc = doc_of(text)
    first = candidate(doc, (0, 30), (0, 30), "facility/camp-alpha", {}, "r", 0.5, certainty="alleged",
                      according_to="facility/camp-alpha", attribution="former guards")
    assert first["certainty"] == "alleged" and first["attribution"] == "former guards"
    assert "according_to" not in first  # a subject is not its own source
    again = candidate(doc, (31, 40), (31, 40), "facility/camp-alpha", {}, "r", 0.01, span=(31, 60))
    assert again["occurrence"] == 2 and again["confidence"] == 0.05


def test_a_quote_too_long_for_the_authoring_format_is_no_candidate():
    long = "Camp Alpha held " + "very many " * (MAX_QUOTE // 10) + "prisoners\n"
    doc = doc_of(long)
    assert candidate(doc, (0, len(long) - 1), (0, 10), "facility/camp-alpha", {}, "r", 0.5, span=(0, len(long) - 1)) is None


def test_a_hedged_candidate_takes_its_certainty_and_source_from_the_sentence():
    text = "According to the Lantern Monitor, Camp Alpha allegedly held 700 prisoners.\n"
    doc = doc_of(text)
    found = mentions(doc, IMAGINARY)
    c = hedged_candidate(doc, (0, len(text) - 1), (45, 60), "facility/camp-alpha", {"prisonerCount": 700}, "r", 0.5,
                         found, certainty="estimated")
    assert c["certainty"] == "alleged"  # "allegedly" is stronger than the rule's "estimated"
    assert c["according_to"] == "org/lantern-monitor"
