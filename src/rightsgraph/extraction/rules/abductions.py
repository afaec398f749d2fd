"""Abductions: who abducted whom, as a violation of type enforced-disappearance."""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import violation_parties
from rightsgraph.sources.reading import Document


_ABDUCT = re.compile(r"\b(?:abduct(?:ed|ing|s)?|kidnapp?(?:ed|ing|s)?)\b", re.IGNORECASE)


@rule("abductions", order=80, words=("abduct", "kidnap"), needs=("org", "place", "person"),
      predicates=("violation",))
def rule_abductions(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Abductions: "X were abducted by Y", "Y has abducted X" give Y a violation of type enforced-disappearance (only
    when X, the victims, are named)."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _ABDUCT.finditer(clean):
        verb = doc.span(sent[0] + m.start(), sent[0] + m.end())
        agent, victims = violation_parties(doc, sent, found, verb)
        if agent is None or not victims:
            continue  # who was abducted is not named: the curated claim is about the victims or an event
        violation: dict[str, Any] = {"type": "violation/enforced-disappearance"}
        if victims:
            violation["victims"] = [v.entity for v in victims]
        violation["perpetrators"] = [ctx.agent(agent)]
        claim = hedged_candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), ctx.agent(agent),
                                 {"violation": violation}, "abduction", 0.55, found)
        if claim:
            out.append(claim)
        break
    return out
