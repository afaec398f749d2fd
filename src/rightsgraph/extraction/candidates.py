"""The shape of a candidate claim: the authoring format of ``graph/claims/*.yaml`` (subject, quote, facts,
certainty, according_to or attribution, occurrence) plus ``method`` (the rule's activity IRI), ``confidence``
and ``offsets`` (of the quote in the original text). Every rule builds its candidates here.
"""

from __future__ import annotations

from typing import Any

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.text import hedges_of, quote_span, untagged
from rightsgraph.namespaces import ACTIVITY
from rightsgraph.sources.reading import Document


def method_iri(rule: str) -> str:
    """The activity IRI of an extraction rule."""
    return str(ACTIVITY[f"rule/{rule}"])


def candidate(doc: Document, sent: tuple[int, int], focus: tuple[int, int], subject: str, facts: dict,
              rule: str, confidence: float, certainty: str = "reported", span: tuple[int, int] | None = None,
              **extra: Any) -> dict | None:
    """A candidate claim in the authoring format, its quote the original text of the sentence (or of ``span``)."""
    start, end = span if span is not None else quote_span(doc, sent, focus)
    start, end = untagged(doc.text, start, end, doc.span(*focus))  # a quote is text between tags
    quote = doc.text[start:end]
    if not quote.strip() or len(quote) >= MAX_QUOTE:
        return None
    claim: dict[str, Any] = {"subject": subject, "quote": quote, "facts": facts}
    if certainty != "reported":
        claim["certainty"] = certainty
    for key in ("according_to", "attribution", "note"):
        if extra.get(key) and extra.get(key) != subject:
            claim[key] = extra[key]
    occurrence = doc.text.count(quote, 0, start) + 1
    if occurrence > 1:
        claim["occurrence"] = occurrence
    claim["method"] = method_iri(rule)
    claim["confidence"] = round(max(0.05, min(confidence, 0.99)), 2)
    claim["offsets"] = [start, end]
    return claim


def hedged_candidate(doc: Document, sent: tuple[int, int], focus: tuple[int, int], subject: str, facts: dict, rule: str,
                     confidence: float, found: list[Mention], certainty: str | None = None, **extra: Any) -> dict | None:
    """A candidate claim whose certainty and attribution come from the hedges of its sentence."""
    hedges = hedges_of(doc, sent, found, exclude=subject)
    if certainty and hedges.get("certainty") != "alleged":
        hedges["certainty"] = certainty
    return candidate(doc, sent, focus, subject, facts, rule, confidence, hedges.pop("certainty", "reported"),
                     **{**hedges, **extra})
