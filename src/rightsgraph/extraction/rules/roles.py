"""Roles: the title a person holds in an organization or a country."""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.sources.reading import Document


_TITLE_WORD = (r"(?:official|officer|director|head|chief|chair(?:man|woman|person)?|co-chair|president|secretary|minister"
               r"|member|spokes(?:man|woman|person)|adviser|advisor|researcher|investigator|rapporteur|commissioner"
               r"|representative|guard|agent|leader|founder|deputy|ambassador|envoy|staff\s+member|employee|analyst"
               r"|lawyer|judge|manager|fellow|professor|editor|correspondent|coordinator|general|governor|premier)")
_ROLE = re.compile(rf"^\s*,\s+(?P<article>(?:a|an|the)\s+)?(?P<title>(?:[\w’'-]+\s+){{0,5}}?{_TITLE_WORD})"
                   rf"(?P<tail>(?:\s+(?:for|of)\s+[A-Z][\w’' -]{{1,40}}?)?)\s+(?P<prep>in|of|at|for|with|to)\s+(?:the\s+)?$",
                   re.IGNORECASE)
_ROLE_AFTER = re.compile(rf"^\s*,\s+(?P<title>(?:[A-Z][\w’'-]*\s+){{0,4}}{_TITLE_WORD})\b", re.IGNORECASE)
_PRE_TITLE_INSIDE = re.compile(rf"(?P<title>(?:’s|'s)?\s+(?:[A-Z][\w’'-]*\s+){{0,4}}?{_TITLE_WORD})\s+", re.IGNORECASE)
_PRE_TITLE = re.compile(rf"^(?:’s|'s)?\s+(?P<title>(?:[A-Z][\w’'-]*\s+){{0,4}}?{_TITLE_WORD}s?)\s+$", re.IGNORECASE)
_LEADER = re.compile(r"\b(?:head|leader|president|prime\s+minister|premier|ruler|chairman\s+of\s+the\s+state)\b", re.IGNORECASE)
_CHAIR = re.compile(r"\b(?:chair|chairman|chairwoman|chairperson|co-chair)\b", re.IGNORECASE)


def _role_predicate(title: str, org: Mention) -> str:
    """The predicate a title gives: chairOf, leaderOf, memberOf or worksFor."""
    if _CHAIR.search(title) and org.kind == "org":
        return "chairOf"
    if re.fullmatch(r"(?i)(?:\w+\s+)?members?", title.strip()):
        return ""  # "a member of Y": the membership rule's
    if re.search(r"\bmembers?\b", title, re.IGNORECASE) and org.kind == "org":
        return "memberOf"
    if _LEADER.search(title) and not re.search(r"\b(?:vice|deputy|assistant)\b", title, re.IGNORECASE):
        return "leaderOf"
    return "worksFor" if org.kind == "org" else ""


def _straight(text: str) -> str:
    """Text on one line with straight apostrophes."""
    return " ".join(text.replace("’", "'").split())


def _role_after(doc: Document, sent: tuple[int, int], person: Mention, orgs: list[Mention]) -> dict | None:
    """A role named after a person: "X, a senior official in the Y", "X, Director of the Y", "X, Y Fellow"."""
    after = [o for o in orgs if o.start > person.end and o.start - person.end < 120]
    if not after:
        return None
    org = after[0]
    m = _ROLE.match(doc.clean[person.end:org.start])
    if m:
        title = _straight(doc.text[person.end + m.start("title"):person.end + m.end("title")] +
                          doc.text[person.end + m.start("tail"):person.end + m.end("tail")])
        predicate = _role_predicate(title, org)
        if not predicate:
            return None
        if m.group("article") or title[:1].islower():  # "a senior official" means something only with its organization
            title = _straight(doc.text[person.end + m.start("title"):org.end])
        return candidate(doc, sent, (person.start, org.end), person.entity, {predicate: org.entity, "jobTitle": title},
                         "role", 0.75)
    m = _ROLE_AFTER.match(doc.clean[person.end:org.end + 40])  # the organization inside the title
    if m and org.kind == "org" and person.end + m.start("title") <= org.start < person.end + m.end("title"):
        title = _straight(doc.text[person.end + m.start("title"):person.end + m.end("title")])
        predicate = _role_predicate(title, org)
        facts = {predicate: org.entity, "jobTitle": title} if predicate else {"jobTitle": title}
        return candidate(doc, sent, (person.start, org.end), person.entity, facts, "role", 0.6)
    return None


def _role_before(doc: Document, sent: tuple[int, int], person: Mention, orgs: list[Mention],
                 people: list[Mention]) -> dict | None:
    """A role named before a person: "Y's Field Researcher X", "Y President X" (Y perhaps inside X's own name)."""
    before = [o for o in orgs if o.end <= person.start and person.start - o.end < 60 and not o.inner
              and not any(o.end <= p.start < person.start for p in people)]
    inside = [o for o in orgs if o.inner and o.start == person.start]
    for org in before[-1:] or inside[:1]:
        pattern = _PRE_TITLE_INSIDE if org.inner else _PRE_TITLE
        m = pattern.match(doc.clean[org.end:person.end if org.inner else person.start])
        if not m:
            continue
        title_start, title_end = org.end + m.start("title"), org.end + m.end("title")
        title = _straight(doc.text[title_start:title_end])
        predicate = _role_predicate(title, org)
        if not predicate:
            continue
        if not doc.clean[org.end:title_start].strip():  # "US President": the title names the country
            title = _straight(doc.text[org.start:title_end])
        return candidate(doc, sent, (org.start, person.end), person.entity, {predicate: org.entity, "jobTitle": title},
                         "role-before-name", 0.6)
    return None


@rule("roles", order=50, needs=("person",), predicates=("worksFor", "memberOf", "chairOf", "leaderOf", "jobTitle"))
def rule_roles(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Roles: "X, a senior official in the Y", "X, Secretary General of Y", "Y's Researcher X", "Y President X" give a
    jobTitle and worksFor (chairOf, leaderOf or memberOf, as the title says)."""
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e]
    people = [m for m in local if m.kind == "person" and not m.inner]
    orgs = [m for m in local if m.kind == "org" or (m.kind == "place" and (
        not m.inner or any(p.start == m.start for p in people)))]
    out = []
    for person in people:
        claim = _role_after(doc, sent, person, orgs) or _role_before(doc, sent, person, orgs, people)
        if claim:
            out.append(claim)
    return out
