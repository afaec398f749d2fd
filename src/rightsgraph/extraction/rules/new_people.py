"""New people introduced by an apposition: "X, a former prisoner of Camp 14" (heldAt), "X, a senior official in the
Ministry of ...", "X, director of research at the ... Initiative" (jobTitle, worksFor or memberOf).

The person is one the graph does not know yet (a known person's roles are the roles rule's): its id is the one
:func:`rightsgraph.extraction.propose.propose_entities` gives the name, ``person/<slug>``.
"""

from __future__ import annotations

import re

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention, slug
from rightsgraph.extraction.rules.registry import Context, rule
from rightsgraph.extraction.text import appositive_people
from rightsgraph.sources.reading import Document

_HELD = re.compile(r"\b(?:prisoner|inmate|detainee|survivor)\b", re.IGNORECASE)
_MEMBER = re.compile(r"\bmember\b", re.IGNORECASE)
_CHAIR = re.compile(r"^(?:(?:joint|co-?|vice|deputy)[ \t-]*)?chair(?:man|woman|person)?\b", re.IGNORECASE)
#: A name the graph does not know, after the preposition: capitalized words (small linking words allowed).
_NEW_ORG_NAME = re.compile(r"[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|for|on|and)[ \t]+)?[A-Z][\w’'-]*){1,6}")
_ORG_HEAD = re.compile(r"\b(?:Initiative|Project|Committee|Commission|Ministry|Department|Association|Council|Agency|Bureau"
                       r"|Network|Watch|Institute|Foundation|Center|Centre|Coalition|Alliance|Organi[sz]ation|Office|Society"
                       r"|Union|Federation|League|University|Group|Service)\b")


@rule("new-person-apposition", order=53, words=(",",), predicates=("heldAt", "jobTitle", "worksFor", "memberOf", "chairOf"))
def rule_new_people(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """A new person's role in an apposition: a prisoner "of"/"at" a known facility gives heldAt; another title
    followed by an organization (known, or a capitalized name with an organization's head word) gives jobTitle
    and worksFor (memberOf for a member)."""
    appositions = appositive_people(doc.clean, sent)
    if not appositions:
        return []
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in appositions:
        name_at = sent[0] + m.start("name")
        after_at = sent[0] + m.end()
        start, _ = doc.span(name_at, name_at + 1)
        known = [x for x in found if x.start <= start < x.end]
        if known:
            continue  # a known person: the roles rule's
        person = f"person/{slug(m.group('name'))}"
        target_at = doc.span(after_at, after_at + 1)[0]
        target = next((x for x in found if x.start == target_at and not x.inner), None)
        title = " ".join(m.group("title").split())
        if _HELD.search(title):
            if target is not None and target.kind == "facility":
                claim = candidate(doc, sent, (name_at, after_at), person, {"heldAt": target.entity}, "new-person-held", 0.7,
                                  span=(start, target.end))
                if claim:
                    out.append(claim)
            continue
        if target is not None and target.kind == "org":
            org, end = target.entity, target.end
        else:
            n = _NEW_ORG_NAME.match(clean, m.end())
            if n is None or not _ORG_HEAD.search(n.group()):
                continue
            org, end = f"org/{slug(n.group())}", doc.span(sent[0] + n.start(), sent[0] + n.end())[1]
        if m.group("prep") in ("in",) or (m.group("prep") == "of" and not _MEMBER.search(title)) and \
                not re.search(r"\bof\b", title):
            title_text = " ".join(doc.text[doc.span(sent[0] + m.start("title"), sent[0] + m.start("title") + 1)[0]:end].split())
            if m.group("prep") == "in" or _CHAIR.search(title):
                title = title_text.replace("’", "'")  # "senior official in the Ministry of ...": the title names it
        predicate = "memberOf" if _MEMBER.search(title) else "chairOf" if _CHAIR.search(title) else "worksFor"
        claim = candidate(doc, sent, (name_at, after_at), person, {"jobTitle": title, predicate: org}, "new-person-role",
                          0.65, span=(start, end))
        if claim:
            out.append(claim)
    return out
