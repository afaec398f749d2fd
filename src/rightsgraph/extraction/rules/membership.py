"""Membership: a person or an organization that is a member of an organization."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import hedged_candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.sources.reading import Document


_MEMBER = re.compile(r"^\s*(?:,\s+(?:a|an|one)\s+(?:\w+\s+){0,2}?members?\s+of|,?\s+(?:(?:has|had)\s+)?(?:joined|(?:is|was|became)"
                     r"\s+(?:a|an)\s+(?:\w+\s+){0,2}?members?\s+of))\s+(?:the\s+)?$", re.IGNORECASE)
_MEMBERS_LIST = re.compile(r"^\s*(?:(?:of|from)\s+[A-Z][\w’' -]{1,30}?)?,?\s+as\s+(?:the\s+)?(?:\w+\s+){0,2}?members\s+of"
                           r"\s+(?:the\s+)?$", re.IGNORECASE)


@rule("membership", order=60, words=("member", "joined"), needs=("person", "org"), predicates=("memberOf",))
def rule_membership(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Membership: "X, a member of Y", "X joined Y", "X is a member of Y", "X, Y and Z as members of W" give memberOf."""
    out = []
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e and not m.inner]
    members = [m for m in local if m.kind in ("person", "org")]
    orgs = [m for m in local if m.kind == "org"]
    for i, who in enumerate(members):
        nxt = [o for o in orgs if o.start > who.end and o.start - who.end < 80]
        if not nxt:
            continue
        org = nxt[0]
        if org.entity == who.entity:
            continue
        between = doc.clean[who.end:org.start]
        if _MEMBER.match(between):
            claim = hedged_candidate(doc, sent, (who.start, org.end), who.entity, {"memberOf": org.entity}, "membership",
                                     0.7, found)
            if claim:
                out.append(claim)
            continue
        m = _MEMBERS_LIST.search(between)
        if m and who.kind == "person":
            # a list of people before "as members of": every person since the last clause break
            listed = [p for p in members[:i + 1] if p.kind == "person" and p.start >= s and
                      not re.search(r"[;:.]", doc.clean[p.end:who.start])]
            for p in listed:
                claim = hedged_candidate(doc, sent, (p.start, org.end), p.entity, {"memberOf": org.entity}, "membership-list",
                                         0.65, found)
                if claim:
                    out.append(claim)
    return out
