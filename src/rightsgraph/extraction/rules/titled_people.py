"""New people introduced with their role before the name: "the Network's director, Petra Lindqvist-Han" gives jobTitle
"director" and worksFor the organisation whose name ends in "Network"; "The chair, Senator Abigail Thornquist" gives
jobTitle "Senator" (a title that is a job; "the chair" alone says of what only elsewhere).

The people are those of :func:`rightsgraph.extraction.speakers.introductions` introduced ``title-first``; the id is
``person/<slug>``, the one the review file proposes for the same name.
"""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, slug
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.speakers import JOB_HONORIFICS, introductions
from rightsgraph.extraction.text import sentence_of, sentences
from rightsgraph.sources.reading import Document


def owner_org(doc: Document, found: list[Mention], word: str) -> str | None:
    """The organisation a possessive head word stands for ("the Network's"): a known organisation whose name ends in
    the word, else the first capitalized name in the document that ends in it."""
    known = [m.entity for m in found if m.kind == "org" and m.text.split()[-1:] == [word]]
    if known:
        return known[0]
    m = re.search(rf"\b((?:[A-Z][\w’'-]*[ \t]+){{1,5}}){re.escape(word)}\b", doc.clean)
    if m is None:
        return None
    return "org/" + slug(re.sub(r"^(?:The|A)\s+", "", m.group(1)) + word)


@rule("titled-people", order=54, document=True, predicates=("jobTitle", "worksFor"))
def rule_titled_people(doc: Document, found: list[Mention]) -> list[dict]:
    """A new person's role written before the name: jobTitle, and worksFor the organisation of a possessive."""
    sents = sentences(doc.clean)
    starts = [s for s, _ in sents]
    out = []
    for intro in introductions(doc, found):
        if intro.how != "title-first" or intro.start is None:
            continue
        facts: dict = {}
        if intro.honorific in JOB_HONORIFICS:
            facts["jobTitle"] = intro.honorific
        elif intro.owner:
            org = owner_org(doc, found, intro.owner)
            if org is None:
                continue
            facts = {"jobTitle": intro.title, "worksFor": org}
        else:
            continue
        sent = sentence_of(sents, starts, intro.at)
        span = doc.span(intro.start, intro.at + len(intro.name))
        claim = candidate(doc, sent, (intro.start, intro.at + len(intro.name)), intro.person, facts, "titled-person", 0.6,
                          span=span)
        if claim:
            out.append(claim)
    return out
