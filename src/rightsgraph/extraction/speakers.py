"""Who a document introduces and who speaks in a sentence: people the graph does not know yet, introduced by an
apposition ("X, a former prisoner of Camp 14"), a title before the name ("the Network's director, X") or in the
first person ("My name is X."), and the person a sentence's words belong to ("she told investigators", "said X",
"according to Dr. X", "I ..." in a testimony).

The rules of :mod:`rightsgraph.extraction.rules` use these for ``according_to`` and for the place a witness
speaks of. Offsets are in the clean text (``Document.clean``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rightsgraph.extraction.mentions import Mention, slug
from rightsgraph.extraction.text import NOT_A_NAME, ROLE_NOUN, appositive_people
from rightsgraph.sources.reading import Document

#: A person's name: two or three capitalized words, hyphenated parts allowed ("Son Mi-yeong", "Ferreira-Lund").
NAME = r"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?){1,2}"
#: Titles written before a name that are a person's job ("Senator X"); "Dr." and "Ms." are not.
JOB_HONORIFICS = ("Senator", "Ambassador", "Minister", "Judge", "Professor", "General")
_HONORIFIC = r"(?:(?:Senator|Ambassador|Minister|Judge|Professor|General|Dr|Mr|Mrs|Ms|Prof)\.?[ \t]+)"
_MY_NAME = re.compile(rf"\b[Mm]y[ \t]+name[ \t]+is[ \t]+(?P<name>{NAME})\b")
#: "the Network's director, Petra Lindqvist-Han", "The chair, Senator Abigail Thornquist": a role before the name.
_TITLE_FIRST = re.compile(
    rf"\b(?:[Tt]he|[Ii]ts|[Oo]ur)[ \t]+(?:(?P<owner>[A-Z][\w-]*)['’]s[ \t]+)?(?P<title>(?:[a-z]+[ \t]+){{0,2}}?{ROLE_NOUN}),"
    rf"[ \t]+(?P<honorific>{_HONORIFIC})?(?P<name>{NAME})(?=[ \t]*[,.;:]|[ \t]+(?:said|told|met|opened|spoke)\b)")
# A part of every match of _TITLE_FIRST and _MY_NAME, which the engine finds fast (it skips ahead to its first
# characters; the patterns themselves start with a word boundary, tried at every character): the text is read with
# a pattern only if it holds its part.
_TITLE_FIRST_PART = re.compile(rf"{ROLE_NOUN},")
_MY_NAME_PART = re.compile(r"name[ \t]+is")
_FIRST_PERSON = re.compile(r"^(?:[A-Z][a-z]+:[ \t]*)?(?:I|We|My|Our)\b|\b(?:I|we)[ \t]+(?:saw|was|were|had|cut|worked|heard)\b")
_PRONOUN_SAYS = re.compile(r"\b(?:[Ss]he|[Hh]e|[Tt]hey)[ \t]+(?:also[ \t]+)?(?:told|said|says|testified|recalled|described"
                           r"|stated|added|explained)\b|\btold[ \t]+(?:investigators|researchers|reporters|the[ \t]+\w+)\b")
_NAME_SAYS = re.compile(rf"\b(?:said|says|told|according[ \t]+to)[ \t]+{_HONORIFIC}?(?P<name>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?(?:[ \t][A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)*)"
                        rf"|(?P<name2>{NAME})(?:,[^,]{{3,90}},)?[ \t]+(?:said|says|told|testified|recalled)\b")
_HELD = re.compile(r"\b(?:prisoner|inmate|detainee|survivor)\b", re.IGNORECASE)
_SENT_TO = re.compile(r"\bI[ \t]+was[ \t]+(?:sent|taken|held|detained|imprisoned)[ \t]+(?:to|in|at)[ \t]+(?:the[ \t]+)?")


@dataclass(frozen=True)
class Intro:
    """A person a document introduces: where (clean offset of the name), the id ``person/<slug>``, the name, the role
    in the text's words (or None), the clean offset where the role's organisation starts (or None), the facility the
    person was held at (or None), and how the person was introduced (apposition, title-first, first-person)."""

    at: int
    person: str
    name: str
    title: str | None
    after: int | None
    facility: str | None
    how: str
    owner: str | None = None
    honorific: str | None = None
    start: int | None = None


_LAST: list = [None, None, []]  # the last document and mentions asked about, and its introductions


def introductions(doc: Document, found: list[Mention]) -> list[Intro]:
    """The people the document introduces and the graph does not know (a known name is no introduction), in text order."""
    if _LAST[0] is doc.clean and _LAST[1] is found:
        return list(_LAST[2])
    out = _introductions(doc, found)
    _LAST[:] = [doc.clean, found, out]
    return list(out)


def _introductions(doc: Document, found: list[Mention]) -> list[Intro]:
    """The introductions of :func:`introductions`, computed."""
    clean = doc.clean
    known = sorted((m.start, m.end) for m in found if m.kind == "person")
    starts = [s for s, _ in known]

    def is_known(at: int) -> bool:
        """Whether a known person's mention covers the clean offset ``at``."""
        start = doc.span(at, at + 1)[0]
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and known[i][0] <= start < known[i][1]

    out: list[Intro] = []
    for m in appositive_people(clean):
        if is_known(m.start("name")):
            continue
        title = " ".join(m.group("title").split())
        facility = None
        if _HELD.search(title):
            at = doc.span(m.end(), m.end() + 1)[0]
            facility = next((x.entity for x in found if x.start == at and x.kind == "facility"), None)
        out.append(Intro(m.start("name"), f"person/{slug(m.group('name'))}", m.group("name"), title, m.end(), facility,
                         "apposition"))
    for m in _TITLE_FIRST.finditer(clean) if _TITLE_FIRST_PART.search(clean) else ():
        if m.group("name").split()[0].lower() in NOT_A_NAME or is_known(m.start("name")):
            continue
        honorific = (m.group("honorific") or "").strip(" .\t") or None
        out.append(Intro(m.start("name"), f"person/{slug(m.group('name'))}", m.group("name"),
                         " ".join(m.group("title").split()), None, None, "title-first", m.group("owner"), honorific,
                         m.start()))
    for m in _MY_NAME.finditer(clean) if _MY_NAME_PART.search(clean) else ():
        if is_known(m.start("name")):
            continue
        facility = None
        sent_to = _SENT_TO.search(clean, m.end(), m.end() + 1500)
        if sent_to:
            at = doc.span(sent_to.end(), sent_to.end() + 1)[0]
            facility = next((x.entity for x in found if x.start == at and x.kind == "facility"), None)
        out.append(Intro(m.start("name"), f"person/{slug(m.group('name'))}", m.group("name"), None, None, facility,
                         "first-person"))
    out.sort(key=lambda i: i.at)
    return out


def speaker(doc: Document, sent: tuple[int, int], intros: list[Intro], reach: int = 1500) -> Intro | None:
    """The introduced person whose words a sentence reports: named as the one who said, told or is cited ("said X",
    "X, a researcher ..., told", "according to Dr. X", matched by full name or family name), or, for "she said",
    "told investigators" or a first-person sentence of a testimony, the person introduced last before it (within
    ``reach`` characters; for the first person, the one who gave their name)."""
    clean = doc.clean[sent[0]:sent[1]]
    for m in _NAME_SAYS.finditer(clean):
        name = (m.group("name") or m.group("name2") or "").replace("\t", " ")
        for intro in reversed(intros):
            if intro.at < sent[1] and (intro.name == name or intro.name.split()[-1] == name.split()[-1]
                                       or intro.name.split("-")[-1] == name):
                return intro
    before = [i for i in intros if i.at < sent[1] and sent[0] - i.at < reach]
    if _FIRST_PERSON.search(clean):
        first = [i for i in intros if i.how == "first-person" and i.at < sent[1]]
        return first[-1] if first else None
    if _PRONOUN_SAYS.search(clean) and before:
        return before[-1]
    testimony = [i for i in before if i.how == "first-person"]
    return testimony[-1] if testimony else None  # a testimony: its witness speaks unless someone else is named


def witness(doc: Document, sent: tuple[int, int], intros: list[Intro], reach: int = 1500) -> Intro | None:
    """The former prisoner a sentence speaks for: the speaker if held somewhere, else the last person introduced as a
    prisoner before the sentence (within ``reach``) when the sentence refers back to them ("she", "he", "there")."""
    who = speaker(doc, sent, intros, reach)
    if who is not None and who.facility:
        return who
    clean = doc.clean[sent[0]:sent[1]]
    held = [i for i in intros if i.facility and i.at < sent[1] and sent[0] - i.at < reach]
    if held and re.search(r"\b(?:she|he|her|his|there|the\s+camp|I|we|our|my)\b", clean, re.IGNORECASE):
        return held[-1]
    return None
