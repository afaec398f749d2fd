"""Violations a witness describes: forced labour ("were made to dig coal", "was forced to work in a gypsum mine", "We
cut timber ... every day"), beatings and torture, forced abortions, cut food rations.

The violation is on the facility the sentence names, else on the facility where the witness (a person introduced as
a former prisoner, or who gave their name in a testimony) was held; it is said ``according_to`` the speaker
(:func:`rightsgraph.extraction.speakers.speaker`: "she told investigators", "said X", a first-person sentence). A
sentence with no witness and no facility proposes nothing: the rule reads testimony, not general prose. Victims are
named only when the witness speaks of themself ("I was ...", "he was forced to ..."); a violation with fewer parties
than the curated one still matches it.
"""

from __future__ import annotations

import re
from typing import Any

from rightsgraph.extraction.candidates import candidate
from rightsgraph.extraction.mentions import Mention
from rightsgraph.extraction.rules.registry import rule
from rightsgraph.extraction.speakers import introductions, speaker, witness
from rightsgraph.extraction.text import Gate, hedges_of, sentences
from rightsgraph.sources.reading import Document

#: Violation types by the words that describe them, the most specific first.
VIOLATIONS: list[tuple[str, re.Pattern]] = [
    ("violation/forced-abortion", re.compile(r"\b(?:forced|made|compelled)\s+to\s+(?:undergo|have)\s+(?:an\s+)?abortions?\b"
                                             r"|\bforced\s+abortions?\b", re.IGNORECASE)),
    ("violation/forced-labor", re.compile(r"\b(?:forced|made|compelled)\s+to\s+(?:work|labou?r|dig|cut|haul|mine|build|carry)\b"
                                          r"|\bforced\s+labou?r\b|\b(?:we|they|I)\s+(?:cut|hauled|dug|carried)\s+(?:timber|logs|coal|stones?)\b",
                                          re.IGNORECASE)),
    ("violation/sexual-violence", re.compile(r"\bsexual(?:ly)?\s+(?:violence|abused|assaulted)\b|\braped\b", re.IGNORECASE)),
    ("violation/torture", re.compile(r"\b(?:beat|beaten|beating|beatings|tortured|torture)\b", re.IGNORECASE)),
    ("violation/starvation", re.compile(r"\b(?:smaller|reduced|halved|cut)\s+(?:food\s+)?rations?\b|\brations?\s+(?:was|were)\s+"
                                        r"(?:halved|cut|reduced)\b|\bstarv(?:ed|ing)\b", re.IGNORECASE)),
]
_GATE = Gate(r"forced|made|compelled|labou?r|timber|logs|coal|stone|sexual|raped|beat|tortur|ration|starv",
             ("forced", "made", "compelled", "labo", "timber", "logs", "coal", "stone", "sexual", "raped", "beat", "tortur",
              "ration", "starv"))
_SELF = re.compile(r"^(?:[A-Z][a-z]+:\s*)?(?:I|We)\b|\b(?:he|she)\s+(?:was|had\s+been)\s+(?:forced|made|beaten|tortured)\b")
_DENIED = re.compile(r"\b(?:denied|denies|deny|no\s+political\s+prisoners)\b", re.IGNORECASE)


@rule("witnessed-violations", order=118, document=True, predicates=("violation",))
def rule_witnessed_violations(doc: Document, found: list[Mention]) -> list[dict]:
    """Violations a witness describes, on the facility named or the witness's facility, according to the speaker."""
    intros = introductions(doc, found)
    if not intros:
        return []  # nobody is introduced: no witness, no speaker
    clean = doc.clean
    out: list[dict] = []
    for sent in sentences(clean):
        text = clean[sent[0]:sent[1]]
        if not _GATE.search(text):
            continue
        kinds = [(t, m) for t, p in VIOLATIONS for m in [p.search(text)] if m]
        if not kinds or _DENIED.search(text):
            continue
        s, e = doc.span(*sent)
        facilities = [x for x in found if s <= x.start and x.end <= e and x.kind == "facility" and not x.inner]
        held = witness(doc, sent, intros)
        who = speaker(doc, sent, intros)
        if held is None and who is None:
            continue  # no witness speaks: general prose is the other rules' business
        subject = facilities[0].entity if facilities else held.facility if held is not None else None
        if subject is None:
            continue
        for vtype, m in kinds[:1] if kinds[0][0] == "violation/forced-abortion" else kinds:
            violation: dict[str, Any] = {"type": vtype}
            if held is not None and _SELF.search(text):
                violation["victims"] = held.person
            extra: dict[str, Any] = {}
            if who is not None:
                extra["according_to"] = who.person
            elif held is not None:
                extra["according_to"] = held.person
            else:
                extra.update(hedges_of(doc, sent, found, exclude=subject))
            certainty = extra.pop("certainty", "reported")
            claim = candidate(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, {"violation": violation},
                              "witnessed-violation", 0.55, certainty, **extra)
            if claim:
                out.append(claim)
    return out
