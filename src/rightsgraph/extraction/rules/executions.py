"""Executions: public executions (and executions not said to be public) as violations."""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import violation_parties
from rightsgraph.sources.reading import Document


_EXECUTE = re.compile(r"\b(?P<public>public(?:ly)?\s+(?:and\s+\w+\s+)?)?(?:executed|executions?|execute)\b", re.IGNORECASE)


@rule("executions", order=90, words=("execut",), predicates=("violation",))
def rule_executions(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Executions: "X were publicly executed", "public executions of X", "Y resumed public executions" give a violation
    of type public-execution (right-to-life when not said to be public) on the agent, or the place."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _EXECUTE.finditer(clean):
        public = bool(m.group("public")) or bool(re.search(r"\bin\s+public\b", clean, re.IGNORECASE))
        verb = doc.span(sent[0] + m.start(), sent[0] + m.end())
        agent, victims = violation_parties(doc, sent, found, verb)
        violation: dict[str, Any] = {"type": "violation/public-execution" if public else "violation/right-to-life"}
        if victims:
            violation["victims"] = [v.entity for v in victims]
        if agent is not None:
            violation["perpetrators"] = [ctx.agent(agent)]
            subject, confidence = ctx.agent(agent), 0.55
        else:
            subject, confidence = ctx.focus, 0.45  # the country the document is about
        if subject is None:
            continue
        if not public:
            confidence -= 0.1
        claim = hedged_candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, {"violation": violation},
                                 "execution", confidence, found)
        if claim:
            out.append(claim)
        break
    return out
