"""Proposing: the registered rules run over a document, and entities the graph does not know yet.

:func:`propose` splits a document into sentences, hands each rule of :mod:`rightsgraph.extraction.rules`
the sentences that may hold what it looks for (a word of its gate, a mention of a kind it needs), then the
whole document to the document rules, and returns the candidates (:mod:`rightsgraph.extraction.candidates`)
in text order. :func:`propose_entities` proposes camps, organizations, people and places that no known
name covers. A person accepts or rejects each in a review file.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction import rules
from rightsgraph.extraction.candidates import method_iri
from rightsgraph.extraction.mentions import Matcher, Mention, matcher, mentions, name_key, slug
from rightsgraph.extraction.rules.counted_figures import complete
from rightsgraph.extraction.rules.dated_events import events
from rightsgraph.extraction.rules.detention_periods import event_records
from rightsgraph.extraction.rules.publication import PUBLICATION
from rightsgraph.extraction.rules.reports import report_records
from rightsgraph.extraction.speakers import introductions
from rightsgraph.extraction.rules.registry import Context
from rightsgraph.extraction.text import appositive_people, parse_date_match, real_date, sentence_of, sentences, untagged
from rightsgraph.sources.reading import Document

#: The predicates the rules propose.
PREDICATES = rules.predicates()


_CAP = r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w’'ŏŭ-]*)"          # a capitalized word, or initials such as "U.S."
_LINK = r"(?:(?:of|for|on|&)(?:[ \t]+the)?)"                  # small words inside a name ("Bank of the Republic ...")
_TAIL = r"(?:(?:of|for|on|against|to)(?:[ \t]+the)?)"         # small words after the head ("Committee of the Red Cross")
_ORG_WORDS = ("Committee|Commission|Ministry|Department|Association|Council|Agency|Bureau|Network|Watch|International"
              "|Institute|Foundation|Center|Centre|Coalition|Alliance|Organization|Organisation|Office|Society|Union"
              "|Federation|League|Party|Court|Tribunal|University|Group|Service|Corporation|Company|Fund|Initiative|Project"
              "|Subcommittee|Parliament")
_NEW_ORG = re.compile(rf"\b(?P<name>(?:{_CAP}[ \t]+(?:{_LINK}[ \t]+)?)*(?:{_ORG_WORDS})s?\b"
                      rf"(?:[ \t]+{_TAIL}[ \t]+{_CAP}(?:[ \t]+{_CAP})*){{0,2}})(?:[ \t]+\((?P<abbr>[A-Z][A-Za-z&]{{1,9}})\))?")
_NEW_CAMP = re.compile(rf"\b(?P<name>(?:{_CAP}[ \t]+){{1,3}}(?:Camp|Prison|Kyo-?hwa-?so|Kwan-?li-?so|Detention[ \t]+Center"
                       rf"|Labor[ \t]+Training[ \t]+Camp|Correctional[ \t]+Center))\b")
_HONORIFIC = re.compile(rf"\b(?P<title>Mr|Mrs|Ms|Dr|Prof|Rev|Sen|Gen|Ambassador|President|Minister|Chairman|Judge)\.?[ \t]+"
                        rf"(?P<name>{_CAP}(?:[ -]{_CAP}){{0,3}})")
_NEW_PLACE = re.compile(rf"\b(?:in|near|at|from|of)[ \t]+(?P<name>(?:{_CAP}[ \t]+){{0,2}}?{_CAP}(?:[ -](?:Province|County|City"
                        rf"|District|Prefecture|do|gun|si|dong)))\b")
_PLACE_TYPES = {"province": "Province", "county": "County", "city": "City", "-do": "Province", "-gun": "County",
                "-si": "City", "district": "Region", "prefecture": "Province", "-dong": "Place"}
_CAMP_WORDS = {"political", "prison", "camp", "labor", "labour", "training", "re", "education", "reeducation", "detention",
               "center", "correctional", "kyo", "hwa", "so", "kwan", "li", "kyohwaso", "kwanliso", "concentration", "penal"}
_BAD_NAME_START = re.compile(r"^(?:(?:The|A|An|This|That|These|Those|Its|Their|His|Her|Our|In|On|At|For|Of|And|But|However"
                             r"|According|Former|New|Both|Each|Many|Some|Other|Given|While|When|After|Before|Since|Under"
                             r"|Secretary[ \t]+General|Secretary|President|Minister|Director|Chairman|Chair|Professor|Head|Chief|Deputy)"
                             r"[ \t]+)+")


def propose_entities(doc: Document, entities: dict | Iterable) -> list[dict]:
    """New entities: camps, organizations (by their head word: Committee, Ministry ...), people after an honorific
    and places before a Province/County/City word, that no known name covers; records in the entity authoring format
    plus ``method``, ``confidence`` and ``offsets``, the quote being the sentence that names the entity (or the name,
    if the sentence is too long)."""
    match = matcher(entities)
    covered = sorted((s, e) for _, s, e, _ in match.scan(doc.clean, doc.text))
    sents = sentences(doc.clean)
    sent_starts = [s for s, _ in sents]
    clean = doc.clean
    out: list[dict] = []
    seen: set[str] = set()

    def overlaps(a: int, b: int) -> bool:
        """Whether a known name (or a name proposed already) overlaps ``[a, b)``."""
        i = bisect.bisect_left(covered, (b, b))
        return any(s < b and a < e for s, e in covered[max(0, i - 8):i])

    def add(kind: str, type_name: str, name: str, a: int, method: str, confidence: float, check: bool = True) -> None:
        """Propose the entity named at clean offset ``a``, unless it is known, taken already or cut short (``check``:
        whether a known name inside it makes it known)."""
        b = a + len(name)
        name = " ".join(name.split()).strip(" ,.;:")
        if len(name) < 3 or (check and overlaps(a, b)) or name_key(name) in match.keys or name_key(name) in match.twins:
            return
        if kind != "document" and re.match(r"[ \t]*(?:[A-Z][\w’'-]*|No\.?\s*\d|\d)", clean[b:b + 40]):
            return  # the capitalized phrase goes on: the name is longer than what the pattern saw
        if kind == "person" and name_key(name) in match.surnames:
            return  # "Prime Minister Koizumi": a known person by the family name
        ident = f"{kind}/{slug(name)}"
        if ident in seen:
            return
        seen.add(ident)
        covered.append((a, b))
        covered.sort()
        s, e = sentence_of(sents, sent_starts, a)
        start, end = doc.span(s, e) if e - s < MAX_QUOTE and s <= a and b <= e else doc.span(a, b)
        start, end = untagged(doc.text, start, end, doc.span(a, b))
        out.append({"id": ident, "type": type_name, "label": name, "quote": doc.text[start:end],
                    "offsets": [start, end], "method": method_iri(method), "confidence": confidence})

    for m in _NEW_CAMP.finditer(clean):
        name = _BAD_NAME_START.sub("", m.group("name"))
        if re.search(r"['’]s\b", name) or not set(re.split(r"[\s-]+", name.lower())) - _CAMP_WORDS:
            continue  # "Korea's Camp" or "Political Prison Camp" names no camp in particular
        type_name = "ReeducationCamp" if re.search(r"kyo", name, re.IGNORECASE) else \
            "PoliticalPrisonCamp" if re.search(r"kwan|political", name, re.IGNORECASE) else "DetentionFacility"
        add("facility", type_name, name, m.end("name") - len(name), "new-camp", 0.5)
    for m in _NEW_ORG.finditer(clean):
        name = _BAD_NAME_START.sub("", m.group("name"))
        words = name.split()
        if len(words) < 2 or not words[0][:1].isupper() or re.search(rf"['’]s\b.*\b(?:{_ORG_WORDS})s?\b", name):
            continue  # a lone "Committee", or "DigitalGlobe's Analysis Center" (but "Ministry of People's Security")
        a = m.end("name") - len(name)
        joined = re.search(rf"(?:^|[^\w’'])((?:{_CAP}[ \t]+)+and[ \t]+)$", clean[max(0, a - 60):a])
        if joined and not re.search(rf"\b(?:{_ORG_WORDS})s?[ \t]+and[ \t]+$", joined.group(1)):
            name, a = joined.group(1) + name, a - len(joined.group(1))  # "Propaganda and Agitation Department"
        add("org", "Organization", name, a, "new-organization", 0.6 if m.group("abbr") else 0.45)
    for m in _HONORIFIC.finditer(clean):
        add("person", "Person", m.group("name"), m.start("name"), "new-person", 0.5)
    for m in appositive_people(clean):  # "Yeom Bo-ri, a former prisoner of Camp 14"
        add("person", "Person", m.group("name"), m.start("name"), "new-person-apposition", 0.6)
    found = mentions(doc, entities)
    for intro in introductions(doc, found):  # "the Network's director, X", "My name is X."
        if intro.how != "apposition":
            add("person", "Person", intro.name, intro.at, f"new-person-{intro.how}", 0.55)
    documents = [(m.start, m.end) for m in found if m.kind == "document"]
    for ident, title, (a, b) in report_records(doc):  # "On DATE, X released the report 'TITLE'"
        ta, tb = doc.span(a, b)
        if not any(s <= ta and tb <= e for s, e in documents):  # a title may name known places: only a known title counts
            add("document", "Report", clean[a:b], a, "new-report", 0.6, check=False)
    for m in PUBLICATION.finditer(clean):  # the report a publication claim names, when no known title covers it
        a, b = m.start("title"), m.end("title")
        while a < b and clean[a] in "\"“":
            a += 1
        while b > a and clean[b - 1] in "\"”":
            b -= 1
        if not overlaps(a, b) and real_date(parse_date_match(m)):
            add("document", "Report", clean[a:b], a, "new-report", 0.5)
    for ev in events(doc, found):  # a dated visit, meeting or hearing, and the new place it names
        if ev["new_place"] is not None:
            ident, name, (a, b) = ev["new_place"]
            add("place", "City", name, a, "new-place", 0.45)
        if ev["id"] not in seen:
            seen.add(ev["id"])
            start, end = untagged(doc.text, *doc.span(*ev["span"]), doc.span(*ev["focus"]))
            out.append({"id": ev["id"], "type": ev["type"], "label": ev["label"], "quote": doc.text[start:end],
                        "offsets": [start, end], "method": method_iri(f"new-{ev['type'].lower()}"), "confidence": 0.5})
    for ident, label, (a, b) in event_records(doc, found):  # a detention period's event
        if ident not in seen:
            seen.add(ident)
            start, end = untagged(doc.text, *doc.span(a, b))
            out.append({"id": ident, "type": "Detention", "label": label, "quote": doc.text[start:end],
                        "offsets": [start, end], "method": method_iri("new-detention"), "confidence": 0.6})
    for m in _NEW_PLACE.finditer(clean):
        name = _BAD_NAME_START.sub("", m.group("name"))
        suffix = next((k for k in _PLACE_TYPES if name.lower().endswith(k)), None)
        if suffix is None:
            continue
        add("place", _PLACE_TYPES[suffix], name, m.end("name") - len(name), "new-place", 0.5)
    out.sort(key=lambda r: r["offsets"][0])
    return out


def _focus_place(found: list[Mention], match: Matcher) -> str | None:
    """The country a document is about: the one it (or its government) names most often, at least three times and more
    often than any other (a country named once among others is no focus: the rules would give it the document's
    violations)."""
    counts: dict[str, int] = {}
    country_of = {gov: place for place, gov in match.government_of.items()}
    for m in found:
        country = m.entity if match.types.get(m.entity) == "Country" else country_of.get(m.entity)
        if country is not None:  # "Ostland resumed ...": a country named for its government names the country too
            counts[country] = counts.get(country, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] < 3 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.get)


def propose(doc: Document, entities: dict | Iterable) -> list[dict]:
    """Candidate claims for a document, in the authoring format plus ``method``, ``confidence`` and ``offsets``."""
    match = matcher(entities)
    found = mentions(doc, entities)
    ctx = Context(found, _focus_place(found, match), match.government_of)
    out: list[dict] = []
    seen: set[tuple] = set()

    def keep(claim: dict) -> None:
        """Add a claim unless the same facts on the same subject from the same passage are in already."""
        complete(claim)  # a figure names its measure and, when the quote says, its year
        key = (claim["subject"], repr(claim["facts"]), tuple(claim["offsets"]))
        if key not in seen:
            seen.add(key)
            out.append(claim)

    starts = [m.start for m in found]
    sentence_rules = [r for r in rules.REGISTRY if not r.document]
    words = {w for r in sentence_rules for w in r.words}
    for sent in sentences(doc.clean):
        s, e = doc.span(*sent)
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        local = found[lo:hi]
        low = doc.clean[sent[0]:sent[1]].lower()
        present = {w for w in words if w in low}
        kinds = {m.entity.split("/", 1)[0] for m in local}
        for r in sentence_rules:
            if r.passes(present, kinds):
                for claim in r.run(doc, sent, local, ctx):
                    keep(claim)
    for r in rules.REGISTRY:
        if r.document:
            for claim in r.run(doc, found):
                keep(claim)
    out.sort(key=lambda c: c["offsets"][0])
    return out
