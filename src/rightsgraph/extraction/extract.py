"""Extraction: read a new document, find mentions of known entities, propose candidate claims and new entities.

Documents are read by :mod:`rightsgraph.sources.reading` into their original ``text`` and a ``clean`` copy of
the same length (markup and debris blanked). Mentions and claims are found in ``clean``; every offset
and every quote is taken from ``text``.

Mentions: a :class:`Matcher` folds every label and alias (and a few safe variants: without a leading
"The" or a trailing bracket, a bracketed acronym, a plural, a camp's designation or place name) into
keys without case, diacritics, hyphens or "No.", and finds the longest names in one pass over the
tokens; names split by markup, a line break, a hyphen or a possessive still match, a name shared by two
entities is dropped (a country and its government are told apart by the words around them), and an
acronym in brackets after a name stands for it in the rest of the document.

Claims are proposed by small named rules (figures of prisoners and deaths, camp designations, roles,
membership, publications, listings and tables, abductions, executions, event dates); each carries its
rule as ``method`` (an activity IRI) and a ``confidence``, and hedges ("allegedly", "estimated",
"according to") become ``certainty``, ``according_to`` or ``attribution``. :func:`propose_entities`
proposes entities the graph does not know yet. A person accepts or rejects each in a review file.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Iterable

from rightsgraph.namespaces import ACTIVITY
from rightsgraph.sources.reading import Document, clean_text, read  # noqa: F401 - re-exported for callers of extract

MAX_QUOTE = 300


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A passage of the original text that names a known entity (``inner``: inside a longer name of another entity)."""

    entity: str
    start: int
    end: int
    text: str
    inner: bool = False


_TOKEN = re.compile(r"(?<![^\W_])(?<!&)(?<!&#)[^\W_]+")  # a word; not the name of an HTML entity left in plain text
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_SOFT_GAP = frozenset("-‐‑–.'’")
_HARD_GAP = frozenset(":/,;?!&()[]\"“”«»")
_ENTITY_REF = re.compile(r"&#?[A-Za-z0-9]{2,8};")
_CAMP_DESIGNATION = re.compile(
    r"^(?:kwan-?\s?li-?\s?so|kwanliso|camp|political prison camp|prison camp)\s*(?:no\.?\s*)?(\d+)$", re.IGNORECASE)
_CAMP_PLACE_NAME = re.compile(r"^(?:the\s+)?([A-Z][\w’'ŏŭ-]+)\s+(?:political\s+prison|re-?education|prison|labou?r)?\s*camp$",
                              re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"[ \t]?\((?P<abbr>[A-Z][A-Za-z&]{1,9}|[A-Z]{2,}(?:-[A-Z]+)?)\)")
_LOCATIVE = frozenset("in into inside within to from across throughout at near toward towards entering leaving".split())
_AUXILIARY = frozenset("has have had is was are were will would can could may might must should did does do said says "
                       "continues continued refuses refused denies denied rejected agreed".split())


class _Folded(dict):
    """A cache of folded tokens: lower case, no diacritics."""

    def __missing__(self, token: str) -> str:
        folded = unicodedata.normalize("NFKD", token.casefold())
        value = "".join(ch for ch in folded if not unicodedata.combining(ch))
        if len(self) < 200_000:
            self[token] = value
        return value


_FOLDED = _Folded()


def _fold_token(token: str) -> str:
    """A token without case or diacritics."""
    return _FOLDED[token]


def _gap(gap: str, original: str) -> str | None:
    """How a gap between two tokens joins them in a name: ``""`` (blanks, markup, a hyphen or period),
    ``"|"`` (punctuation such as a colon, comma, slash or bracket) or None (the name cannot go on)."""
    if "|" in original or gap.count("\n") > 1:
        return None
    if "&" in gap:
        gap = _ENTITY_REF.sub(" ", gap)
    core = gap.strip()
    if not core:
        return ""
    if len(core) > 2:
        return None
    if all(ch in _SOFT_GAP for ch in core):
        return ""
    if all(ch in _SOFT_GAP or ch in _HARD_GAP for ch in core):
        return "|"
    return None


def _name_parts(name: str) -> list[str]:
    """The folded tokens of a name, with ``"|"`` for punctuation between them and "No." before a number dropped."""
    matches = list(_TOKEN.finditer(name))
    parts: list[str] = []
    prev_end = None
    for i, m in enumerate(matches):
        tok = _fold_token(m.group(0))
        if tok in ("no", "nos") and i + 1 < len(matches) and matches[i + 1].group(0).isdigit():
            if prev_end is not None and _gap(name[prev_end:m.start()], name[prev_end:m.start()]) != "":
                parts.append("|")
            prev_end = None if prev_end is None else m.end()
            continue
        if prev_end is not None and parts:
            g = _gap(name[prev_end:m.start()], name[prev_end:m.start()])
            if g != "":
                parts.append("|")
        parts.append(tok)
        prev_end = m.end()
    return parts


def name_key(name: str) -> str:
    """Fold a name into its lookup key: no case, diacritics, spaces, hyphens or "No." before a number; other
    punctuation between words counts as one mark.

    >>> name_key("Kwan-li-so No. 15") == name_key("kwanliso 15") == name_key("KWAN LI SO no 15")
    True
    >>> name_key("Annual Report: North Korea 2013")
    'annualreport|northkorea2013'
    """
    return "".join(_name_parts(name))


def _local(type_: Any) -> str:
    """The local name of a class IRI (or of a plain type name)."""
    return re.split(r"[#/]", str(type_))[-1]


def _variants(name: str, type_name: str) -> list[str]:
    """Other forms of a name that still name the entity: without a leading "The", without a trailing
    parenthesis, its parenthetical acronym, a plural of a final common noun, a camp's place name."""
    out = []
    stripped = name.strip()
    m = re.match(r"^(.*\S)\s*\(([^()]+)\)$", stripped)
    if m:
        out.append(m.group(1))
        if re.fullmatch(r"[A-Z][A-Za-z&-]{1,9}", m.group(2)) and any(c.isupper() for c in m.group(2)[1:]):
            out.append(m.group(2))
    for form in [stripped, *out]:
        if re.match(r"(?i)the\s+\S+\s+\S", form):  # "The North Korean Refugee Crisis", not "the South"
            out.append(form[4:].strip())
    last = re.search(r"(?<=\s)([a-z]{3,})$", stripped)
    if last and not last.group(1).endswith("s"):
        word = last.group(1)
        plural = word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else \
            word + "es" if word.endswith(("sh", "ch", "x", "z")) else word + "s"
        out.append(stripped[:last.start()] + plural)
    if type_name.endswith("Camp") or type_name.endswith("Facility"):
        m = _CAMP_PLACE_NAME.match(stripped)
        if m and m.group(1).lower() not in ("political", "prison", "labor", "labour"):
            out.append(m.group(1))
        m = _CAMP_DESIGNATION.match(stripped)
        if m and type_name == "PoliticalPrisonCamp":
            out += [f"{form} {m.group(1)}" for form in ("camp", "kwanliso", "political prison camp")]
    return out


class Matcher:
    """Known entity names folded into a dictionary, for finding mentions in one pass over the tokens.

    A name two entities share is left out, except a name a country shares with its government, which the
    words around it decide (after "in", "to", "from" ... the place; before a verb the government).
    """

    def __init__(self, entities: dict | Iterable) -> None:
        records = list(entities.values()) if isinstance(entities, dict) else list(entities)
        explicit: dict[str, set[str]] = {}
        variants: dict[str, set[str]] = {}
        self.kind: dict[str, str] = {}
        self.types: dict[str, str] = {}
        governments: set[str] = set()
        cased: dict[str, bool] = {}  # every name with this key is capitalized: a lower-case text is not it
        solo: dict[str, bool] = {}   # every name with this key is one word: words apart in the text are not it
        firsts: set[str] = set()
        for e in records:
            type_name = _local(getattr(e, "type", ""))
            self.kind[e.id] = e.id.split("/", 1)[0]
            self.types[e.id] = type_name
            if type_name == "Government":
                governments.add(e.id)
            names = [e.label, *(getattr(e, "aliases", None) or [])]
            for name in names:
                for form, table in ((str(name), explicit), *((v, variants) for v in _variants(str(name), type_name))):
                    key = name_key(form)
                    if not key:
                        continue
                    firsts.add(_name_parts(form)[0])
                    table.setdefault(key, set()).add(e.id)
                    cased[key] = cased.get(key, True) and form[:1].isupper() and not any(ch.isdigit() for ch in form)
                    solo[key] = solo.get(key, True) and len(form.split()) == 1
        self.keys: dict[str, str] = {}
        self.twins: dict[str, tuple[str, str, bool]] = {}  # key -> (place, government, shared)
        for key, ids in variants.items():
            if len(ids) == 1 and key not in explicit:
                self.keys[key] = next(iter(ids))
        for key, ids in explicit.items():
            if len(ids) == 1:  # a name two entities share says nothing on its own
                self.keys[key] = next(iter(ids))
            else:
                self.keys.pop(key, None)
                places = [i for i in ids if self.kind[i] == "place"]
                govs = [i for i in ids if i in governments]
                if len(ids) == 2 and len(places) == 1 and len(govs) == 1:
                    self.twins[key] = (places[0], govs[0], True)
        for key, eid in list(self.keys.items()):
            if eid in governments and key.startswith("the") and self.kind.get(self.keys.get(key[3:], ""), "") == "place":
                self.twins[key] = (self.keys[key[3:]], eid, False)
        # a country's government, by the label "Government of <country>"
        self.government_of: dict[str, str] = {}
        for e in records:
            m = re.match(r"(?i)^(?:the\s+)?government\s+of\s+(?:the\s+)?(.+)$", e.label) if e.id in governments else None
            key = name_key(m.group(1)) if m else ""
            place = self.keys.get(key) or (self.twins[key][0] if key in self.twins else None)
            if place and self.kind.get(place) == "place":
                self.government_of[place] = e.id
        # family names of known people, so that "Mr. Kim" or "Prime Minister Koizumi" is not taken for somebody new
        self.surnames = {_name_parts(str(n))[-1] for e in records if self.kind[e.id] == "person"
                         for n in [e.label, *(getattr(e, "aliases", None) or [])] if _name_parts(str(n))}
        self.cased = {k for k, v in cased.items() if v}
        self.solo = {k for k, v in solo.items() if v}
        self.prefixes = {key[:i] for key in (*self.keys, *self.twins) for i in range(1, len(key) + 1)}
        # a text token may open a name if it is the name's first word, or the start of it (at least two letters)
        self.starts = {first[:i] for first in firsts for i in range(min(2, len(first)), len(first) + 1)} & self.prefixes

    def _resolve(self, key: str, prev: str, nxt: str, nxt_gap: str | None) -> str | None:
        """The entity a name stands for here: its own, or for a country's name, the place or the government."""
        eid = self.keys.get(key)
        twin = self.twins.get(key)
        if twin is None:
            return eid
        place, government, shared = twin
        if prev in _LOCATIVE:
            return place
        if nxt_gap == "" and nxt and (nxt in _AUXILIARY or (nxt.islower() and len(nxt) > 3 and
                                                              (nxt.endswith("ed") or (nxt.endswith("s") and not nxt.endswith("ss"))))):
            return government
        return place if shared else government

    def scan(self, text: str, original: str | None = None) -> list[tuple[str, int, int, bool]]:
        """Mentions ``(entity, start, end, inner)`` in ``text`` (a cleaned ``original``): the longest names that do
        not overlap, then the names of other entities at the start or end of one of them (``inner``)."""
        original = text if original is None else original
        parts = _SPLIT.split(text)  # gap, token, gap, token, ..., gap
        at = list(accumulate(map(len, parts)))  # token i spans at[2i] .. at[2i+1]; the gap after it ends at at[2i+2]
        words = parts[1::2]
        folded = list(map(_FOLDED.__getitem__, words))
        n = len(words)
        folded.append("")
        keys, twins, prefixes, solo, cased, starts = self.keys, self.twins, self.prefixes, self.solo, self.cased, self.starts
        opening = [k for k, w in enumerate(folded) if w in starts and (
            w in keys or w in twins or w + folded[k + 1] in prefixes or w + "|" + folded[k + 1] in prefixes
            or folded[k + 1] in ("no", "nos"))]
        cands: list[tuple[int, int, int, int, str]] = []  # (start token, end token, start, end, entity)
        for i in opening:
            key = folded[i]
            found = [(i, key)] if key in keys or key in twins else []
            j = i
            spaced = False
            while j + 1 < n:
                nxt = j + 1
                gap = parts[2 * j + 2]
                g = "" if gap == " " and original[at[2 * j + 1]] == " " else \
                    _gap(gap, original[at[2 * j + 1]:at[2 * j + 2]])
                if g is None:
                    break
                if folded[nxt] in ("no", "nos") and nxt + 1 < n and words[nxt + 1].isdigit():
                    g2 = _gap(parts[2 * nxt + 2], original[at[2 * nxt + 1]:at[2 * nxt + 2]])
                    if g2 is None:
                        break
                    nxt += 1  # "No." before a number does not count
                    g = g or g2
                ext = key + g + folded[nxt]
                if ext not in prefixes:
                    break
                spaced = spaced or not gap.strip(" \t\n\xa0")
                key, j = ext, nxt
                if (key in keys or key in twins) and not (spaced and key in solo):
                    found.append((j, key))
            start = at[2 * i]
            for j, key in found:
                end = at[2 * j + 1]
                if key in cased and not any(ch.isupper() for ch in text[start:end]):
                    continue
                if key in twins:
                    prev = folded[i - 1] if i > 0 else ""
                    after = (words[j + 1], _gap(parts[2 * j + 2], original[end:at[2 * j + 2]])) if j + 1 < n else ("", None)
                    eid = self._resolve(key, prev, *after)
                else:
                    eid = keys[key]
                if eid:
                    cands.append((i, j, start, end, eid))
        if not cands:
            return []
        # the longest names first; a name inside a chosen one is kept only at its start or end, for another entity
        cands.sort(key=lambda c: (c[2] - c[3], c[2]))
        taken = bytearray(n)
        outer: list[tuple[int, int, int, int, str]] = []
        rest = []
        for c in cands:
            if any(taken[c[0]:c[1] + 1]):
                rest.append(c)
                continue
            taken[c[0]:c[1] + 1] = b"\x01" * (c[1] - c[0] + 1)
            outer.append(c)
        out = [(c[4], c[2], c[3], False) for c in outer]
        if rest:
            owner = {t: c for c in outer for t in range(c[0], c[1] + 1)}
            inner_taken = bytearray(n)
            for c in rest:
                host = owner.get(c[0])
                if host is None or host is not owner.get(c[1]) or host[4] == c[4] or (c[0] != host[0] and c[1] != host[1]):
                    continue
                if any(inner_taken[c[0]:c[1] + 1]):
                    continue
                inner_taken[c[0]:c[1] + 1] = b"\x01" * (c[1] - c[0] + 1)
                out.append((c[4], c[2], c[3], True))
        # an acronym in brackets after a name stands for the same entity in the rest of the document
        local: dict[str, tuple[str, int]] = {}
        for c in outer:
            m = _ACRONYM_AFTER.match(text, c[3])
            if m and _FOLDED[m.group("abbr")] not in keys and _FOLDED[m.group("abbr")] not in twins:
                local.setdefault(m.group("abbr"), (c[4], m.end()))
        if local:
            for k, w in enumerate(words):
                hit = local.get(w)
                if hit and at[2 * k] >= hit[1] and not taken[k]:
                    out.append((hit[0], at[2 * k], at[2 * k + 1], False))
        out.sort(key=lambda x: (x[1], x[3]))
        return out

    def find(self, text: str, original: str | None = None) -> list[tuple[str, int, int]]:
        """Spans ``(entity id, start, end)`` of the names in ``text`` (a cleaned ``original``); the longest match wins."""
        return [(e, s, t) for e, s, t, inner in self.scan(text, original) if not inner]



_MATCHERS: dict[int, tuple[Any, Matcher]] = {}


def matcher(entities: dict | Iterable) -> Matcher:
    """The Matcher of these entities, built once per entity collection."""
    cached = _MATCHERS.get(id(entities))
    if cached is not None and cached[0] is entities:
        return cached[1]
    built = Matcher(entities)
    _MATCHERS[id(entities)] = (entities, built)
    return built


def mentions(doc: Document, entities: dict | Iterable) -> list[Mention]:
    """Find the mentions of known entities (by label and alias) in a document, in text order."""
    out = []
    for entity, s, e, inner in matcher(entities).scan(doc.clean, doc.text):
        start, end = doc.span(s, e)
        out.append(Mention(entity, start, end, doc.text[start:end], inner))
    return out


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(\b(U\.N|U\.S|No|Nos|Mr|Mrs|Ms|Dr|Jr|St|c|ca|e\.g|i\.e|vs|Gen|Prof|approx)\.|\b[A-Z]\.)$")


_BLOCK_BREAK = re.compile(r"\n(?![ \t]*[a-z])|(?<=[.!?:])\n|\n(?=[ \t]*\n)")


def sentences(clean: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a cleaned text, paragraph by paragraph (a wrapped line continues its sentence)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for brk in [*_BLOCK_BREAK.finditer(clean), None]:
        base, end = pos, (brk.start() if brk else len(clean))
        pos = brk.end() if brk else len(clean)
        line = clean[base:end]
        if not line.strip():
            continue
        spans: list[tuple[int, int]] = []
        cursor = 0
        for m in _SENTENCE_END.finditer(line):
            if _ABBREVIATION.search(line[cursor:m.start()]):
                continue
            spans.append((cursor, m.start()))
            cursor = m.end()
        spans.append((cursor, len(line)))
        for a, b in spans:
            piece = line[a:b]
            if piece.strip():
                a += len(piece) - len(piece.lstrip())
                b -= len(piece) - len(piece.rstrip())
                out.append((base + a, base + b))
    return out


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------

def method_iri(rule: str) -> str:
    """The activity IRI of an extraction rule."""
    return str(ACTIVITY[f"rule/{rule}"])


# -- numbers and figures ------------------------------------------------------------------------

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBERS: dict[str, int | None] = {w: i for i, w in enumerate(_UNITS)}
_WORD_NUMBERS.update(_TENS)
_WORD_NUMBERS.update({f"{t}-{u}": v + i for t, v in _TENS.items() for i, u in enumerate(_UNITS[1:10], 1)})
_WORD_NUMBERS.update({"a hundred": 100, "one hundred": 100, "a thousand": 1000, "several hundred": None})
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_NUM = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?" \
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen" \
            r"|seventeen|eighteen|nineteen)"
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_WORD_NUM})(?:\s+(?:hundred|thousand|million|billion))?"
_PEOPLE = (r"(?:political\s+)?(?:prisoners|inmates|detainees|people|persons|individuals|men|women|children|civilians"
           r"|citizens|victims|nationals|refugees|defectors|abductees|monks|believers|Christians|workers|North\s+Koreans)")
_PRISON_CONTEXT = re.compile(r"prisoner|inmate|detainee|\bheld\b|detained|imprisoned|incarcerated|prison camp|interned",
                             re.IGNORECASE)
_FIGURE_PATTERNS = [
    ("between", re.compile(rf"\bbetween\s+(?P<low>{_NUM})\s+and\s+(?P<high>{_NUM})", re.IGNORECASE)),
    ("range", re.compile(rf"(?<![\w,.])(?P<q>(?:an?\s+estimated|about|around|approximately|roughly|some|c\.|anywhere\s+from)\s+)?"
                         rf"(?P<low>{_NUM})\s*(?:to|-|–|—|or)\s*(?P<high>{_NUM})(?![\w,]|\.\d)", re.IGNORECASE)),
    ("up-to", re.compile(rf"\b(?P<q>up\s+to|as\s+many\s+as)\s+(?P<high>{_NUM})", re.IGNORECASE)),
    ("at-least", re.compile(rf"\b(?P<q>more\s+than|over|at\s+least|in\s+excess\s+of)\s+(?P<low>{_NUM})", re.IGNORECASE)),
    ("approximate", re.compile(rf"(?<![\w])(?P<q>an?\s+estimated|about|around|approximately|roughly|some|nearly|almost"
                               rf"|c\.|ca\.)\s*(?P<value>{_NUM})", re.IGNORECASE)),
    ("plain", re.compile(rf"(?<![\w,.$])(?P<value>{_NUM})(?![\w,]|\.\d)", re.IGNORECASE)),
]
_HEDGED = {"about", "around", "approximately", "roughly", "some", "c.", "ca.", "an estimated", "a estimated",
           "nearly", "almost"}
_NOT_PEOPLE_AFTER = re.compile(r"^\s*(?:%|percent|per\s+cent|km|mi|square|sq|years?|months?|days?|hours?|dollars|US\$|\$"
                               r"|times|pages?|sites?|images?|interviews?|photos?|camps?|missiles?|tests?|votes?)",
                               re.IGNORECASE)
_PEOPLE_AFTER = re.compile(rf"^\s*(?:[\w’'-]+\s+){{0,3}}?{_PEOPLE}\b", re.IGNORECASE)
_PEOPLE_BEFORE = re.compile(r"(prisoners?|inmates?|detainees?|population|holds?|held|detained|imprisoned|lives\s+of)\b[^.;]{0,60}$",
                            re.IGNORECASE)
_FIGURE_ENDS = re.compile(r"^\s*(?:[.,;:)\]|]|$|\+|(?:are|were|is|was|in|at|and|have|had|died|die)\b)", re.IGNORECASE)
_DEATH_AFTER = re.compile(r"^[^.;:\d]{0,60}?\b(?:died|die|dying|perished|were\s+killed|killed|deaths|dead|did\s+not\s+survive"
                          r"|starved\s+to\s+death|lost\s+their\s+lives)\b", re.IGNORECASE)
_DEATH_BEFORE = re.compile(r"\b(?:claimed|taken|took|cost)\s+the\s+lives\s+of\s*(?:an?\s+estimated\s+|some\s+|about\s+)?$|"
                           r"\b(?:death\s+toll|mortality)\b[^.;\d]{0,40}$", re.IGNORECASE)


def _about_people(clean: str, start: int, end: int) -> bool:
    """Whether a figure counts people: a people noun follows it, or a prisoner word precedes it and no other noun follows."""
    after = clean[end:end + 80]
    if _NOT_PEOPLE_AFTER.match(after):
        return False
    if _PEOPLE_AFTER.match(after):
        return True
    return bool(_PEOPLE_BEFORE.search(clean[max(0, start - 80):start])) and bool(_FIGURE_ENDS.match(after))


def _about_deaths(clean: str, start: int, end: int) -> bool:
    """Whether a figure counts deaths: a word of dying follows it in its clause, or "claimed the lives of" precedes it."""
    return bool(_DEATH_AFTER.match(clean[end:end + 80])) or bool(_DEATH_BEFORE.search(clean[max(0, start - 60):start]))


def parse_number(text: str) -> int | float | None:
    """The number a figure states in digits or words ("80,000", "1.5 million", "two million", "Seventy-seven").

    >>> parse_number("80,000"), parse_number("1.5 million"), parse_number("two million"), parse_number("Seventy-seven")
    (80000, 1500000, 2000000, 77)
    """
    words = text.lower().split()
    scale = 1
    if len(words) > 1 and words[-1] in _SCALES:
        scale = _SCALES[words[-1]]
        words = words[:-1]
    head = " ".join(words).replace(",", "")
    if head in _WORD_NUMBERS:
        base = _WORD_NUMBERS[head]
        if base is None:
            return None
    else:
        try:
            base = float(head) if "." in head else int(head)
        except ValueError:
            return None
    value = base * scale
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def _is_year(text: str) -> bool:
    """Whether a number is written like a year (1800-2099)."""
    return bool(re.fullmatch(r"(1[89]|20)\d\d", text.strip()))


def _figures(clean: str, deaths: bool = False, counted: frozenset[int] = frozenset()) -> list[tuple[str, int, int, dict]]:
    """The figures of a sentence that count people (or deaths): ``(form, start, end, figure)``, the more specific form
    first; ``counted`` holds the offsets where the name of a group starts (a figure right before one counts people)."""
    out: list[tuple[str, int, int, dict]] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _FIGURE_PATTERNS:
        for m in pattern.finditer(clean):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            after = m.end() + len(clean[m.end():m.end() + 20]) - len(clean[m.end():m.end() + 20].lstrip())
            if not (_about_people(clean, m.start(), m.end()) or after in counted
                    or (deaths and _about_deaths(clean, m.start(), m.end()))):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            numbers = [groups[k] for k in ("value", "low", "high") if k in groups]
            if any(_is_year(n) for n in numbers):
                continue
            figure: dict[str, Any] = {}
            for k in ("value", "low", "high"):
                if k in groups:
                    number = parse_number(groups[k])
                    if number is None:
                        break
                    figure[k] = number
            else:
                if "low" in figure and "high" in figure:
                    low_words, high_words = groups["low"].lower().split(), groups["high"].lower().split()
                    if high_words[-1] in _SCALES and low_words[-1] not in _SCALES:  # "1 to 2 million"
                        scaled = parse_number(f"{groups['low']} {high_words[-1]}")
                        if scaled is not None and scaled < figure["high"]:
                            figure["low"] = scaled
                    if figure["low"] >= figure["high"]:
                        continue
                qualifier = " ".join(groups.get("q", "").split()).lower()
                if qualifier:
                    figure["qualifier"] = qualifier
                out.append((name, m.start(), m.end(), figure))
                taken.append((m.start(), m.end()))
    return out


# -- candidate claims -------------------------------------------------------------------------------

def _quote_span(doc: Document, sent: tuple[int, int], focus: tuple[int, int]) -> tuple[int, int]:
    """The original span of the sentence, or of its clause around ``focus`` when the sentence is too long."""
    s, e = sent
    if e - s >= MAX_QUOTE:
        cuts = [m.end() for m in re.finditer(r"[;:,]\s+", doc.clean[s:e])]
        left = max([s + c for c in cuts if s + c <= focus[0]], default=s)
        right = min([s + c - 1 for c in cuts if s + c > focus[1]], default=e)
        while right - left >= MAX_QUOTE and right > focus[1]:
            right = max(focus[1], right - (MAX_QUOTE // 2))
        while right - left >= MAX_QUOTE and left < focus[0]:
            left = min(focus[0], left + (MAX_QUOTE // 2))
        s, e = left, right
        while s < e and doc.clean[s].isspace():
            s += 1
        while e > s and doc.clean[e - 1] in " \t\n,;:":
            e -= 1
    return doc.span(s, e)


_ALLEGED = re.compile(r"\b(?:allegedly|alleged|reportedly|purportedly|claim(?:s|ed)?(?!\s+the\s+lives)|accused|suspected)\b",
                      re.IGNORECASE)
_ESTIMATED = re.compile(r"\b(?:estimated?|estimates|estimating)\b", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?P<who>(?:[A-Z]\.\s?)*[^,.;:]{2,80})", re.IGNORECASE)
_SAYS = re.compile(r"^\s*(?:\([^()]{1,12}\)\s*)?(?:has\s+|have\s+)?(?:estimates?|estimated|says?|said|reports?|reported|claims?"
                   r"|claimed|believes?|believed|found|finds|alleges?|alleged|states?|stated|testif(?:y|ies|ied))\b",
                   re.IGNORECASE)


def _hedges(doc: Document, sent: tuple[int, int], found: list[Mention], exclude: str | None = None) -> dict:
    """The hedges of a sentence: ``certainty`` (alleged, estimated) and who asserts it, ``according_to`` (an entity
    named in "according to X" or "X estimates/says ...") or ``attribution`` (the source's words)."""
    clean = doc.clean[sent[0]:sent[1]]
    out: dict[str, Any] = {}
    if _ALLEGED.search(clean):
        out["certainty"] = "alleged"
    elif _ESTIMATED.search(clean):
        out["certainty"] = "estimated"
    m = _ACCORDING_TO.search(clean)
    if m:
        who_start, who_end = doc.span(sent[0] + m.start("who"), sent[0] + m.end("who"))
        for men in found:
            if who_start <= men.start < who_end and men.entity.split("/", 1)[0] in ("org", "document", "person"):
                out["according_to"] = men.entity
                return out
        out["attribution"] = " ".join(doc.text[who_start:who_end].split())
        return out
    for men in found:
        if men.inner or men.entity == exclude or men.entity.split("/", 1)[0] not in ("org", "person", "document"):
            continue
        if _SAYS.match(doc.clean[men.end:men.end + 40]):
            out["according_to"] = men.entity
            break
    return out


def _claim(doc: Document, sent: tuple[int, int], focus: tuple[int, int], subject: str, facts: dict,
           rule: str, confidence: float, certainty: str = "reported", span: tuple[int, int] | None = None,
           **extra: Any) -> dict | None:
    """A candidate claim in the authoring format, its quote the original text of the sentence (or of ``span``)."""
    start, end = span if span is not None else _quote_span(doc, sent, focus)
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


def _hedged_claim(doc: Document, sent: tuple[int, int], focus: tuple[int, int], subject: str, facts: dict, rule: str,
                  confidence: float, found: list[Mention], certainty: str | None = None, **extra: Any) -> dict | None:
    """A candidate claim whose certainty and attribution come from the hedges of its sentence."""
    hedges = _hedges(doc, sent, found, exclude=subject)
    if certainty and hedges.get("certainty") != "alleged":
        hedges["certainty"] = certainty
    return _claim(doc, sent, focus, subject, facts, rule, confidence, hedges.pop("certainty", "reported"),
                  **{**hedges, **extra})


def _in(mentions_: list[Mention], doc: Document, sent: tuple[int, int], kinds: tuple[str, ...],
        inner: bool = True) -> list[Mention]:
    """The mentions of entities of these kinds inside the sentence."""
    s, e = doc.span(*sent)
    return [m for m in mentions_ if s <= m.start and m.end <= e and m.entity.split("/", 1)[0] in kinds
            and (inner or not m.inner)]


def _nearest(cands: list[Mention], at: int) -> Mention | None:
    """The mention closest to ``at``, preferring one that comes before it."""
    before = [m for m in cands if m.end <= at]
    if before:
        return before[-1]
    after = [m for m in cands if m.start >= at]
    return after[0] if after else None


def _kind(m: Mention) -> str:
    """The kind of a mention's entity (``person``, ``org`` ...)."""
    return m.entity.split("/", 1)[0]


# -- figures: prisoners and deaths -----------------------------------------------------------------------

@dataclass
class Context:
    """What the rules know of the whole document: its mentions, the country it is about, and who acts for a country."""

    mentions: list[Mention]
    focus: str | None
    government_of: dict[str, str]

    def agent(self, m: Mention) -> str:
        """The entity that acts when a mention names it: a country's government, if the graph has one."""
        return self.government_of.get(m.entity, m.entity) if _kind(m) == "place" else m.entity

    def salient_group(self, noun: str) -> str | None:
        """The group the document most often names with a name ending in ``noun`` ("political prisoners" for
        "prisoners"), which a bare "prisoners" most likely means; None if there is no such group or a tie."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if _kind(m) == "group" and m.text.lower().endswith(noun) and " " in m.text.strip():
                counts[m.entity] = counts.get(m.entity, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]


_COUNTED = re.compile(r"\s*(?:more\s+)?(?P<noun>prisoners|inmates|detainees)\b", re.IGNORECASE)
_COUNTED_BEFORE = re.compile(r"\b(?:number|total)\s+of\s+(?P<noun>prisoners|inmates|detainees)\b[^.;]{0,40}$", re.IGNORECASE)


def rule_prisoner_figures(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Prisoner figures ("up to", "about", "between X and Y", "X to Y", "more than") on the group the figure counts,
    the facility named, or else the group of prisoners the document names most."""
    clean = doc.clean[sent[0]:sent[1]]
    if not _PRISON_CONTEXT.search(clean):
        return []
    facilities = [m for m in _in(found, doc, sent, ("facility",)) if not _inside_other(m, found)]
    groups = _in(found, doc, sent, ("group",))
    prison_groups = [m for m in groups if re.search(r"prison|detain|inmate", m.entity)]
    out: list[dict] = []
    group_starts = frozenset(g.start - sent[0] for g in groups)  # identity offsets: clean and text share indices
    for name, a, b, figure in _figures(clean, counted=group_starts):
        if _about_deaths(clean, a, b):
            continue
        focus = (sent[0] + a, sent[0] + b)
        at, end = doc.span(*focus)
        confidence = {"plain": 0.6, "approximate": 0.7}.get(name, 0.75)
        counted = [g for g in groups if end <= g.start <= end + 12 and (
            g in prison_groups or re.match(r"[^.;,]{0,12}\b(?:are|were|is|was|being)\s+(?:held|detained|imprisoned|incarcerated"
                                           r"|interned)\b", doc.clean[g.end:g.end + 60]))]
        if name == "plain" and (figure["value"] < 2 or not counted and not re.match(rf"\s*(?:{_PEOPLE}\b|\+)", clean[b:b + 40],
                                                                                      re.IGNORECASE)):
            continue
        if counted:
            subject = counted[0].entity
        elif facilities or prison_groups:
            near = facilities or prison_groups
            subject = _nearest(near, at).entity
            if len({x.entity for x in near}) > 1:
                confidence -= 0.25  # which of several places the figure belongs to is a guess
        else:
            m = _COUNTED.match(clean, b) or _COUNTED_BEFORE.search(clean, max(0, a - 80), a)
            subject = ctx.salient_group(m.group("noun").lower()) if m else None
            if subject is None:
                continue
            confidence -= 0.3
        if subject.startswith("group/"):
            confidence -= 0.05
        qualifier = figure.get("qualifier", "")
        claim = _hedged_claim(doc, sent, focus, subject, {"prisonerCount": figure}, f"prisoner-figure-{name}",
                              confidence, found, "estimated" if qualifier in _HEDGED else None)
        if claim:
            out.append(claim)
    return out


def _inside_other(m: Mention, found: list[Mention]) -> bool:
    """Whether a mention lies inside a longer mention of a document (a camp named in a report's title)."""
    return m.inner and any(o.start <= m.start and m.end <= o.end and not o.inner and _kind(o) == "document" for o in found)


def rule_deaths(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Death figures ("X people died", "claimed the lives of X", "X deaths") on the event, group or place named."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for name, a, b, figure in _figures(clean, deaths=True):
        if not _about_deaths(clean, a, b):
            continue
        focus = (sent[0] + a, sent[0] + b)
        at, end = doc.span(*focus)
        left = clean.rfind(";", 0, a) + 1
        right = clean.find(";", b)
        clause = doc.span(sent[0] + left, sent[0] + (len(clean) if right < 0 else right))
        local = [m for m in found if clause[0] <= m.start and m.end <= clause[1]]
        events = [m for m in local if _kind(m) == "event" and not m.inner and abs(m.start - at) < 150]
        groups = [g for g in local if _kind(g) == "group" and at <= g.start <= end + 30]
        facilities = [f for f in local if _kind(f) == "facility" and f.start > end and not _inside_other(f, found)
                      and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", doc.clean[max(end, f.start - 12):f.start])]
        places = [p for p in local if _kind(p) == "place" and not p.inner]
        if events:
            subject, confidence = _nearest(events, at), 0.65
        elif groups:
            subject, confidence = groups[0], 0.6
        elif facilities:
            subject, confidence = _nearest(facilities, at), 0.55
        elif places:
            subject, confidence = _nearest(places, at), 0.45
        else:
            continue
        qualifier = figure.get("qualifier", "")
        claim = _hedged_claim(doc, sent, focus, subject.entity, {"deathCount": figure}, f"death-figure-{name}",
                              confidence, found, "estimated" if qualifier in _HEDGED else None)
        if claim:
            out.append(claim)
    return out


# -- dates ----------------------------------------------------------------------------------------

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_DATE = (rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
         rf"|(?P<m3>{_MONTH})(?:\s+of)?\s+(?P<y3>\d{{4}})|(?P<y4>(?:1[89]|20)\d\d))")
_DATE_RE = re.compile(rf"\b{_DATE}\b")
#: The date some web sites print for an unknown date (the Unix epoch seen from a time zone west of Greenwich).
PLACEHOLDER_DATES = {"1969-12-31", "1970-01-01"}


def _month(name: str) -> int:
    """The number of a month from its name or abbreviation ("Sept." is 9)."""
    prefix = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(prefix))


def parse_date_match(m: re.Match) -> str | int:
    """The date of a matched ``_DATE`` as the authoring format writes it (2013, "2013-12", "2013-12-08")."""
    g = m.groupdict()
    if g.get("y1"):
        return f"{int(g['y1']):04d}-{_month(g['m1']):02d}-{int(g['d1']):02d}"
    if g.get("y2"):
        return f"{int(g['y2']):04d}-{_month(g['m2']):02d}-{int(g['d2']):02d}"
    if g.get("y3"):
        return f"{int(g['y3']):04d}-{_month(g['m3']):02d}"
    return int(g.get("y4") or g["y5"])


def _real_date(value: str | int) -> bool:
    """Whether a parsed date is a date at all: a valid day, and not a web site's placeholder for an unknown date."""
    if str(value) in PLACEHOLDER_DATES:
        return False
    if isinstance(value, str) and len(value) == 10:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            return False
    return True


def slug(text: str) -> str:
    """A lower-case, hyphenated form of a text for an id (at most 60 characters)."""
    return "-".join(re.findall(r"[a-z0-9]+", _fold_token(text)))[:60].strip("-") or "untitled"


# -- publications -----------------------------------------------------------------------------------

_PUBLICATION = re.compile(
    r"\b(?:published|released|issued|launched)\s+(?:(?:its|their|the|a|an|a\s+new)\s+)?(?:annual\s+|new\s+|final\s+)?"
    r"(?:report|study|book|white\s+paper|survey)\s*,?\s*(?P<title>[\"“][^\"”]{3,200}[\"”]|[A-Z][^,;]{2,150}?)\s*,?\s+"
    rf"(?:on|in)\s+{_DATE}\b")
_DATED_DOCUMENT = re.compile(rf"[\s,]*(?:(?:was|is|were)\s+)?(?:first\s+)?(?:published|released|issued|updated|launched)"
                             rf"\s+(?:on|in)\s+{_DATE}\b|[\s”\"’]*\((?P<y5>(?:1[89]|20)\d\d)\)", re.IGNORECASE)


def rule_publication(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Publication dates: "X published/released the report Y on DATE" gives Y's publisher and date; "Y, updated on DATE" its date."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _PUBLICATION.finditer(clean):
        date = parse_date_match(m)
        if not _real_date(date):
            continue
        verb_at = doc.span(sent[0] + m.start(), sent[0] + m.start() + 1)[0]
        publishers = [x for x in _in(found, doc, sent, ("org", "person"), inner=False) if x.end <= verb_at]
        title_start, title_end = doc.span(sent[0] + m.start("title"), sent[0] + m.end("title"))
        titled = [x for x in _in(found, doc, sent, ("document",)) if title_start <= x.start and x.end <= title_end]
        facts: dict[str, Any] = {"published": date}
        confidence = 0.8
        note = None
        if publishers:
            facts = {"publisher": publishers[-1].entity, **facts}
        else:
            confidence -= 0.15
        if titled:
            subject = titled[0].entity
        else:
            title = doc.text[title_start:title_end].strip("\"“” ")
            subject = f"document/{slug(title)}"
            note = f"new entity: a Report titled {title!r}"
            confidence -= 0.2
        claim = _claim(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, facts, "publication",
                       confidence, note=note)
        if claim:
            out.append(claim)
    if not out:
        for d in _in(found, doc, sent, ("document",), inner=False):
            m = _DATED_DOCUMENT.match(doc.clean, d.end, min(len(doc.clean), d.end + 120))
            if not m:
                after = re.match(r"\s+by\s+[^,.;]{3,60}", doc.clean[d.end:d.end + 80])
                m = _DATED_DOCUMENT.match(doc.clean, d.end + after.end(), d.end + after.end() + 120) if after else None
            if m:
                date = parse_date_match(m)
                if _real_date(date):
                    claim = _claim(doc, sent, (d.start, m.end()), d.entity, {"published": date}, "publication-date", 0.7)
                    if claim:
                        out.append(claim)
    return out


_LISTING_DATE = re.compile(rf"^[ \t]*{_DATE}[ \t]*(?:[•·|–—-][ \t]*[A-Z][\w ]{{0,30}})?[ \t]*$")


def _lines_around(clean: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of the three lines after and the two lines before the line holding ``[start, end)``."""
    line_start = clean.rfind("\n", 0, start) + 1
    line_end = clean.find("\n", end)
    line_end = len(clean) if line_end < 0 else line_end
    after, pos = [], line_end
    while len(after) < 3 and pos < len(clean):
        nxt = clean.find("\n", pos + 1)
        nxt = len(clean) if nxt < 0 else nxt
        after.append((pos + 1, nxt))
        pos = nxt
    before, pos = [], line_start - 1
    while len(before) < 3 and pos > 0:
        prev = clean.rfind("\n", 0, pos) + 1
        before.append((prev, pos))
        pos = prev - 1
    return after, before


def doc_rule_listing_dates(doc: Document, found: list[Mention]) -> list[dict]:
    """Listings of reports: a line that is a document's title with a line that is only a date (perhaps with a
    "• Report" tag) right below it (after an author line or two) or, set apart by blank lines, right above it, gives
    the document's publication date; placeholder dates (the Unix epoch) are skipped."""
    out = []
    clean = doc.clean
    for men in found:
        if men.inner or _kind(men) != "document":
            continue
        line_start = clean.rfind("\n", 0, men.start) + 1
        line_end = clean.find("\n", men.end)
        line_end = len(clean) if line_end < 0 else line_end
        if clean[line_start:men.start].strip() or clean[men.end:line_end].strip(" \t?!.:"):
            continue  # the title is not the whole line
        after, before = _lines_around(clean, men.start, men.end)
        candidates = []
        for a, b in after:  # below the title, before any blank line
            if not clean[a:b].strip():
                break
            candidates.append((a, b))
        nonblank = [(a, b) for a, b in before if clean[a:b].strip()]
        if nonblank and before.index(nonblank[0]) <= 1:  # above the title, at most one blank line between
            a, b = nonblank[0]
            i = before.index(nonblank[0])
            if i + 1 >= len(before) or not clean[before[i + 1][0]:before[i + 1][1]].strip():
                candidates.append((a, b))
        for a, b in candidates:
            m = _LISTING_DATE.match(clean[a:b])
            if not m:
                continue
            date = parse_date_match(m)
            a2 = a + (b - a - len(clean[a:b].lstrip()))
            b2 = a + len(clean[a:b].rstrip())
            if _real_date(date):
                claim = _claim(doc, (a2, b2), (a2, b2), men.entity, {"published": date}, "listing-date", 0.75,
                               span=doc.span(a2, b2))
                if claim:
                    out.append(claim)
            break
    return out


# -- roles and membership ---------------------------------------------------------------------------

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
    if _CHAIR.search(title) and _kind(org) == "org":
        return "chairOf"
    if re.fullmatch(r"(?i)(?:\w+\s+)?members?", title.strip()):
        return ""  # "a member of Y": the membership rule's
    if re.search(r"\bmembers?\b", title, re.IGNORECASE) and _kind(org) == "org":
        return "memberOf"
    if _LEADER.search(title) and not re.search(r"\b(?:vice|deputy|assistant)\b", title, re.IGNORECASE):
        return "leaderOf"
    return "worksFor" if _kind(org) == "org" else ""


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
        return _claim(doc, sent, (person.start, org.end), person.entity, {predicate: org.entity, "jobTitle": title},
                      "role", 0.75)
    m = _ROLE_AFTER.match(doc.clean[person.end:org.end + 40])  # the organization inside the title
    if m and _kind(org) == "org" and person.end + m.start("title") <= org.start < person.end + m.end("title"):
        title = _straight(doc.text[person.end + m.start("title"):person.end + m.end("title")])
        predicate = _role_predicate(title, org)
        facts = {predicate: org.entity, "jobTitle": title} if predicate else {"jobTitle": title}
        return _claim(doc, sent, (person.start, org.end), person.entity, facts, "role", 0.6)
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
        return _claim(doc, sent, (org.start, person.end), person.entity, {predicate: org.entity, "jobTitle": title},
                      "role-before-name", 0.6)
    return None


def rule_roles(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Roles: "X, a senior official in the Y", "X, Secretary General of Y", "Y's Researcher X", "Y President X" give a
    jobTitle and worksFor (chairOf, leaderOf or memberOf, as the title says)."""
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e]
    people = [m for m in local if _kind(m) == "person" and not m.inner]
    orgs = [m for m in local if _kind(m) == "org" or (_kind(m) == "place" and (
        not m.inner or any(p.start == m.start for p in people)))]
    out = []
    for person in people:
        claim = _role_after(doc, sent, person, orgs) or _role_before(doc, sent, person, orgs, people)
        if claim:
            out.append(claim)
    return out


_MEMBER = re.compile(r"^\s*(?:,\s+(?:a|an|one)\s+(?:\w+\s+){0,2}?members?\s+of|,?\s+(?:(?:has|had)\s+)?(?:joined|(?:is|was|became)"
                     r"\s+(?:a|an)\s+(?:\w+\s+){0,2}?members?\s+of))\s+(?:the\s+)?$", re.IGNORECASE)
_MEMBERS_LIST = re.compile(r"^\s*(?:(?:of|from)\s+[A-Z][\w’' -]{1,30}?)?,?\s+as\s+(?:the\s+)?(?:\w+\s+){0,2}?members\s+of"
                           r"\s+(?:the\s+)?$", re.IGNORECASE)


def rule_membership(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Membership: "X, a member of Y", "X joined Y", "X is a member of Y", "X, Y and Z as members of W" give memberOf."""
    out = []
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e and not m.inner]
    members = [m for m in local if _kind(m) in ("person", "org")]
    orgs = [m for m in local if _kind(m) == "org"]
    for i, who in enumerate(members):
        nxt = [o for o in orgs if o.start > who.end and o.start - who.end < 80]
        if not nxt:
            continue
        org = nxt[0]
        if org.entity == who.entity:
            continue
        between = doc.clean[who.end:org.start]
        if _MEMBER.match(between):
            claim = _hedged_claim(doc, sent, (who.start, org.end), who.entity, {"memberOf": org.entity}, "membership",
                                  0.7, found)
            if claim:
                out.append(claim)
            continue
        m = _MEMBERS_LIST.search(between)
        if m and _kind(who) == "person":
            # a list of people before "as members of": every person since the last clause break
            listed = [p for p in members[:i + 1] if _kind(p) == "person" and p.start >= s and
                      not re.search(r"[;:.]", doc.clean[p.end:who.start])]
            for p in listed:
                claim = _hedged_claim(doc, sent, (p.start, org.end), p.entity, {"memberOf": org.entity}, "membership-list",
                                      0.65, found)
                if claim:
                    out.append(claim)
    return out


# -- violations: abductions and executions ---------------------------------------------------------------

_ABDUCT = re.compile(r"\b(?:abduct(?:ed|ing|s)?|kidnapp?(?:ed|ing|s)?)\b", re.IGNORECASE)
_ABDUCTED_BY = re.compile(r"^\s*(?:to\s+\w+\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
_AGENT_VERB = re.compile(r"^\s*(?:(?:has|had|have|continues\s+to|continued\s+to|is|was)\s+)?(?:\w+ly\s+)?(?:also\s+)?"
                         r"(?:(?:resumed|carried\s+out|conducted|stepped\s+up|increased|began|uses|used)\s+(?:the\s+)?)?$",
                         re.IGNORECASE)
_PASSIVE = re.compile(r"^\s*(?:who\s+)?(?:were|was|are|is|have\s+been|has\s+been|had\s+been|being)\s+"
                      r"(?:\w+ly\s+)?(?:also\s+)?$", re.IGNORECASE)


def _violation_parties(doc: Document, sent: tuple[int, int], found: list[Mention], verb: tuple[int, int]
                       ) -> tuple[Mention | None, list[Mention]]:
    """The agent (a mention right before the verb, or after "by") and the victims (groups or people named before a
    passive verb, or right after it, or after "of") of a violation verb at ``verb``."""
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e and not m.inner]
    agent = None
    victims: list[Mention] = []
    after = [m for m in local if m.start >= verb[1] and m.start - verb[1] < 40]
    before = [m for m in local if m.end <= verb[0] and verb[0] - m.end < 80]
    if after and _kind(after[0]) in ("org", "place", "person") and _ABDUCTED_BY.match(doc.clean[verb[1]:after[0].start]):
        agent = after[0]
    if before:
        last = before[-1]
        gap = doc.clean[last.end:verb[0]]
        if agent is None and _kind(last) in ("org", "place") and _AGENT_VERB.match(gap):
            agent = last
        elif _kind(last) in ("group", "person") and _PASSIVE.match(gap):
            victims.append(last)
    if not victims and after and _kind(after[0]) in ("group", "person") and \
            re.match(r"^\s*(?:of\s+)?(?:\w+\s+){0,2}$", doc.clean[verb[1]:after[0].start]):
        victims.append(after[0])
    return agent, victims


def rule_abductions(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Abductions: "X were abducted by Y", "Y has abducted X" give Y a violation of type enforced-disappearance."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _ABDUCT.finditer(clean):
        verb = doc.span(sent[0] + m.start(), sent[0] + m.end())
        agent, victims = _violation_parties(doc, sent, found, verb)
        if agent is None:
            continue
        violation: dict[str, Any] = {"type": "violation/enforced-disappearance"}
        if victims:
            violation["victims"] = [v.entity for v in victims]
        violation["perpetrators"] = [ctx.agent(agent)]
        claim = _hedged_claim(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), ctx.agent(agent),
                              {"violation": violation}, "abduction", 0.55, found)
        if claim:
            out.append(claim)
        break
    return out


_EXECUTE = re.compile(r"\b(?P<public>public(?:ly)?\s+(?:and\s+\w+\s+)?)?(?:executed|executions?|execute)\b", re.IGNORECASE)


def rule_executions(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Executions: "X were publicly executed", "public executions of X", "Y resumed public executions" give a violation
    of type public-execution (right-to-life when not said to be public) on the agent, or the place."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _EXECUTE.finditer(clean):
        public = bool(m.group("public")) or bool(re.search(r"\bin\s+public\b", clean, re.IGNORECASE))
        verb = doc.span(sent[0] + m.start(), sent[0] + m.end())
        agent, victims = _violation_parties(doc, sent, found, verb)
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
        claim = _hedged_claim(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, {"violation": violation},
                              "execution", confidence, found)
        if claim:
            out.append(claim)
        break
    return out


# -- events -------------------------------------------------------------------------------------------

_SPAN = re.compile(rf"\b(?:from|between)\s+(?P<a>{_MONTH}\s+\d{{4}}|{_MONTH}|(?:1[89]|20)\d\d)\s+(?:to|and|until|through)\s+"
                   rf"(?P<b>{_MONTH}\s+\d{{4}}|(?:1[89]|20)\d\d)\b")


def rule_event_dates(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Event dates: an event named in a sentence with one date ("On June 16, 2009, ...") gets that date; "from X to Y"
    gives its startDate and endDate."""
    events = [m for m in _in(found, doc, sent, ("event",), inner=False)]
    if len({m.entity for m in events}) != 1:
        return []
    event = events[0]
    clean = doc.clean[sent[0]:sent[1]]
    span = _SPAN.search(clean)
    if span:
        a, b = span.group("a"), span.group("b")
        year = re.search(r"\d{4}", b).group(0)
        start = _DATE_RE.fullmatch(a if re.search(r"\d{4}", a) else f"{a} {year}")
        end = _DATE_RE.fullmatch(b)
        if start and end:
            facts = {"startDate": parse_date_match(start), "endDate": parse_date_match(end)}
            if all(_real_date(v) for v in facts.values()):
                claim = _hedged_claim(doc, sent, (sent[0] + span.start(), sent[0] + span.end()), event.entity, facts,
                                      "event-span", 0.5, found)
                return [claim] if claim else []
        return []
    dates = [m for m in _DATE_RE.finditer(clean)]
    if len(dates) != 1 or re.search(r"\b(?:since|until|till|by|before|after|from|as\s+of)\s*$", clean[:dates[0].start()],
                                    re.IGNORECASE):
        return []
    date = parse_date_match(dates[0])
    if not _real_date(date):
        return []
    claim = _hedged_claim(doc, sent, (sent[0] + dates[0].start(), sent[0] + dates[0].end()), event.entity, {"date": date},
                          "event-date", 0.5, found)
    return [claim] if claim else []


# -- camps ----------------------------------------------------------------------------------------

_DESIGNATION = re.compile(r"\b(?P<name>(?P<kind>Kwan-?\s?li-?\s?so|Kwanliso|Kyo-?\s?hwa-?\s?so|Kyohwaso|"
                          r"Political\s+Prison\s+Camp|Camp)\s+No\.?\s*(?P<number>\d{1,3}))\b", re.IGNORECASE)


def rule_camp_designations(doc: Document, sent: tuple[int, int], found: list[Mention], ctx: Context) -> list[dict]:
    """Camp designations: "Kwan-li-so No. 15" gives the camp named there its officialName and facilityNumber."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _DESIGNATION.finditer(clean):
        start, end = doc.span(sent[0] + m.start(), sent[0] + m.end())
        if any(o.start <= start and end <= o.end and _kind(o) == "document" for o in found):
            continue  # part of a report's title
        facilities = _in(found, doc, sent, ("facility",))
        inside = [f for f in facilities if f.start <= start and end <= f.end]
        number = int(m.group("number"))
        if inside:
            subject, confidence = inside[0].entity, 0.85
        else:
            near = [f for f in facilities if f.entity.endswith(f"-{number}")] or facilities
            if not near:
                continue
            subject, confidence = _nearest(near, start).entity, 0.6
        facts: dict[str, Any] = {}
        if not m.group("kind").lower().startswith("camp"):
            facts["officialName"] = doc.text[start:end]
        facts["facilityNumber"] = number
        claim = _claim(doc, sent, (sent[0] + m.start(), sent[0] + m.end()), subject, facts, "camp-designation",
                       confidence)
        if claim:
            out.append(claim)
    return out


# -- tables -------------------------------------------------------------------------------------------

_PRISONERS_HEADER = re.compile(r"^\s*(?:prisoners|inmates|detainees|population|number of prisoners)\s*$", re.IGNORECASE)
_AREA_HEADER = re.compile(r"^\s*(?:size|area)\s*$", re.IGNORECASE)
_AREA_CELL = re.compile(r"^\s*(?P<n>\d+(?:[.,]\d+)?)\s*km(?:\^\{2\}|²|2|\s*sq)")
_COUNT_CELL = re.compile(r"^\s*(?P<q>(?:c\.|ca\.|about|approx\.)\s*)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?P<plus>\+)?\s*$")


def doc_rule_tables(doc: Document, found: list[Mention]) -> list[dict]:
    """Pipe tables: in a table whose header has a "Prisoners" or "Size" column, each row naming a camp gives its
    prisonerCount or areaKm2 (in km²), the row being the quote."""
    out = []
    lines = doc.text.split("\n")
    pos = 0
    header: list[str] | None = None
    for line in lines:
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.count("|") >= 3):
            header = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            continue
        a = start + line.index(stripped[1:].lstrip()) if stripped[1:].strip() else start
        b = start + len(line.rstrip().rstrip("|").rstrip())
        row = [m for m in found if a <= m.start and m.end <= b and _kind(m) == "facility"]
        if not row:
            continue
        facts: dict[str, Any] = {}
        for name, cell in zip(header, cells):
            if _PRISONERS_HEADER.match(name):
                m = _COUNT_CELL.match(cell)
                if m:
                    n = int(m.group("n").replace(",", ""))
                    if m.group("plus"):
                        facts["prisonerCount"] = {"low": n, "qualifier": "+"}
                    elif m.group("q"):
                        facts["prisonerCount"] = {"value": n, "qualifier": m.group("q").strip()}
                    else:
                        facts["prisonerCount"] = n
            elif _AREA_HEADER.match(name):
                m = _AREA_CELL.match(cell)
                if m:
                    number = m.group("n").replace(",", ".")
                    value = float(number)
                    facts["areaKm2"] = int(value) if value.is_integer() and "." not in number else value
        if facts:
            claim = _claim(doc, (a, b), (a, b), row[0].entity, facts, "table-row", 0.8, span=(a, b))
            if claim:
                out.append(claim)
    return out


# --------------------------------------------------------------------------------------------
# New entities
# --------------------------------------------------------------------------------------------

_CAP = r"(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w’'ŏŭ-]*)"          # a capitalized word, or initials such as "U.S."
_LINK = r"(?:(?:of|for|on|&)(?:[ \t]+the)?)"                  # small words inside a name ("Bank of the Republic ...")
_TAIL = r"(?:(?:of|for|on|against|to)(?:[ \t]+the)?)"         # small words after the head ("Committee of the Red Cross")
_ORG_WORDS = ("Committee|Commission|Ministry|Department|Association|Council|Agency|Bureau|Network|Watch|International"
              "|Institute|Foundation|Center|Centre|Coalition|Alliance|Organization|Organisation|Office|Society|Union"
              "|Federation|League|Party|Court|Tribunal|University|Group|Service|Corporation|Company|Fund")
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


def _sentence_of(sents: list[tuple[int, int]], sent_starts: list[int], at: int) -> tuple[int, int]:
    """The sentence (a clean span) that holds the clean offset ``at``."""
    i = bisect.bisect_right(sent_starts, at) - 1
    if i >= 0 and sents[i][0] <= at < sents[i][1]:
        return sents[i]
    return at, at


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

    def add(kind: str, type_name: str, name: str, a: int, method: str, confidence: float) -> None:
        """Propose the entity named at clean offset ``a``, unless it is known, taken already or cut short."""
        b = a + len(name)
        name = " ".join(name.split()).strip(" ,.;:")
        if len(name) < 3 or overlaps(a, b) or name_key(name) in match.keys or name_key(name) in match.twins:
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
        s, e = _sentence_of(sents, sent_starts, a)
        start, end = doc.span(s, e) if e - s < MAX_QUOTE and s <= a and b <= e else doc.span(a, b)
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
        if len(words) < 2 or not words[0][:1].isupper() or re.search(r"['’]s\b", name):
            continue  # a lone "Committee", or "DigitalGlobe's Analysis Center"
        a = m.end("name") - len(name)
        joined = re.search(rf"(?:^|[^\w’'])((?:{_CAP}[ \t]+)+and[ \t]+)$", clean[max(0, a - 60):a])
        if joined and not re.search(rf"\b(?:{_ORG_WORDS})s?[ \t]+and[ \t]+$", joined.group(1)):
            name, a = joined.group(1) + name, a - len(joined.group(1))  # "Propaganda and Agitation Department"
        add("org", "Organization", name, a, "new-organization", 0.6 if m.group("abbr") else 0.45)
    for m in _HONORIFIC.finditer(clean):
        add("person", "Person", m.group("name"), m.start("name"), "new-person", 0.5)
    for m in _PUBLICATION.finditer(clean):  # the report a publication claim names, when no known title covers it
        a, b = m.start("title"), m.end("title")
        while a < b and clean[a] in "\"“":
            a += 1
        while b > a and clean[b - 1] in "\"”":
            b -= 1
        if not overlaps(a, b) and _real_date(parse_date_match(m)):
            add("document", "Report", clean[a:b], a, "new-report", 0.5)
    for m in _NEW_PLACE.finditer(clean):
        name = _BAD_NAME_START.sub("", m.group("name"))
        suffix = next((k for k in _PLACE_TYPES if name.lower().endswith(k)), None)
        if suffix is None:
            continue
        add("place", _PLACE_TYPES[suffix], name, m.end("name") - len(name), "new-place", 0.5)
    out.sort(key=lambda r: r["offsets"][0])
    return out


# --------------------------------------------------------------------------------------------
# Proposing
# --------------------------------------------------------------------------------------------

#: The sentence rules, each with the words (in lower case) of which a sentence must hold one for the rule to run
#: and the kinds of entity of which it must name one.
RULES: list[tuple[Any, tuple[str, ...], tuple[str, ...]]] = [
    (rule_camp_designations, ("no",), ("facility",)),
    (rule_prisoner_figures, ("prison", "inmate", "detain", "held", "incarcerat", "interned"), ()),
    (rule_deaths, ("die", "death", "dead", "perish", "kill", "lives", "mortality", "surviv"),
     ("event", "group", "facility", "place")),
    (rule_publication, ("publish", "release", "issue", "launch", "update", "("), ()),
    (rule_roles, (), ("person",)),
    (rule_membership, ("member", "joined"), ("person", "org")),
    (rule_event_dates, (), ("event",)),
]
_GATES = {rule: re.compile("|".join(map(re.escape, words))) for rule, words, _ in RULES if words}
DOC_RULES = [doc_rule_tables, doc_rule_listing_dates]
#: The predicates the rules propose.
PREDICATES = ["prisonerCount", "deathCount", "areaKm2", "publisher", "published", "worksFor", "memberOf", "chairOf",
              "leaderOf", "jobTitle", "officialName", "facilityNumber", "violation", "date", "startDate", "endDate"]


def _focus_place(found: list[Mention], match: Matcher) -> str | None:
    """The country a document is about: the one it names most often."""
    counts: dict[str, int] = {}
    for m in found:
        if match.types.get(m.entity) == "Country":
            counts[m.entity] = counts.get(m.entity, 0) + 1
    return max(counts, key=counts.get) if counts else None


def propose(doc: Document, entities: dict | Iterable) -> list[dict]:
    """Candidate claims for a document, in the authoring format plus ``method``, ``confidence`` and ``offsets``."""
    match = matcher(entities)
    found = mentions(doc, entities)
    ctx = Context(found, _focus_place(found, match), match.government_of)
    out: list[dict] = []
    seen: set[tuple] = set()

    def keep(claim: dict) -> None:
        """Add a claim unless the same facts on the same subject from the same passage are in already."""
        key = (claim["subject"], repr(claim["facts"]), tuple(claim["offsets"]))
        if key not in seen:
            seen.add(key)
            out.append(claim)

    starts = [m.start for m in found]
    for sent in sentences(doc.clean):
        s, e = doc.span(*sent)
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        local = found[lo:hi]
        low = doc.clean[sent[0]:sent[1]].lower()
        kinds = {m.entity.split("/", 1)[0] for m in local}
        for rule, words, needs in RULES:
            if (not words or _GATES[rule].search(low)) and (not needs or not kinds.isdisjoint(needs)):
                for claim in rule(doc, sent, local, ctx):
                    keep(claim)
        if local and ("abduct" in low or "kidnap" in low):
            for claim in rule_abductions(doc, sent, local, ctx):
                keep(claim)
        if "execut" in low:
            for claim in rule_executions(doc, sent, local, ctx):
                keep(claim)
    for doc_rule in DOC_RULES:
        for claim in doc_rule(doc, found):
            keep(claim)
    out.sort(key=lambda c: c["offsets"][0])
    return out
