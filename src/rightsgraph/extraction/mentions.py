"""Mentions: where a document names an entity the graph knows.

A :class:`Matcher` folds every label and alias (and a few safe variants: without a leading "The" or a
trailing bracket, a bracketed acronym, a plural, a camp's designation or place name) into keys without
case, diacritics, hyphens or "No.", and finds the longest names in one pass over the tokens; names split
by markup, a line break, a hyphen or a possessive still match, a name shared by two entities is dropped (a
country and its government are told apart by the words around them), and an acronym in brackets after a
name stands for it in the rest of the document. Mentions are found in a document's ``clean`` text; their
offsets and text are the original's.

The key of :func:`name_key` is the matcher's own: the folded tokens joined without spaces, "No." before a
number dropped, so that a name broken by markup, a line break or a hyphen in a text still meets it.
:func:`rightsgraph.claims.loader.normalize_name` has another job: comparing whole names as words (two
entities may not share a name; a label lookup; a name inside a quote, word by word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Iterable, Iterator

from rightsgraph.sources.reading import Document


@dataclass(frozen=True)
class Mention:
    """A passage of the original text that names a known entity (``inner``: inside a longer name of another entity)."""

    entity: str
    start: int
    end: int
    text: str
    inner: bool = False

    @property
    def kind(self) -> str:
        """The kind of the entity (``person``, ``org``, ``facility`` ...): the first part of its id."""
        return self.entity.split("/", 1)[0]


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
    """Fold a name into the matcher's lookup key: no case, diacritics, spaces, hyphens or "No." before a number;
    other punctuation between words counts as one mark.

    The key is the matcher's own: the folded tokens joined, as :meth:`Matcher.scan` joins the tokens of a text,
    so that "Kwan-li-so", "Kwanliso" and a name broken by markup or a line break meet. It is not
    :func:`rightsgraph.claims.loader.normalize_name`, which keeps the words apart to compare whole names word by
    word (two entities sharing a name, a label lookup, a name inside a quote).

    >>> name_key("Kwan-li-so No. 15") == name_key("kwanliso 15") == name_key("KWAN LI SO no 15")
    True
    >>> name_key("Annual Report: North Korea 2013")
    'annualreport|northkorea2013'
    """
    return "".join(_name_parts(name))


def slug(text: str) -> str:
    """A lower-case, hyphenated form of a text for an id (at most 60 characters)."""
    return "-".join(re.findall(r"[a-z0-9]+", _fold_token(text)))[:60].strip("-") or "untitled"


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


def _places(words: list[str], word: str) -> Iterator[int]:
    """The indexes of ``word`` in ``words``, in order (list.index looks, not a loop in Python over every word)."""
    k = -1
    while True:
        try:
            k = words.index(word, k + 1)
        except ValueError:
            return
        yield k


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
                if folded[nxt] not in ("no", "nos") and key + folded[nxt] not in prefixes \
                        and key + "|" + folded[nxt] not in prefixes:
                    break  # no name goes on with the next word, whatever the gap (read only when one could)
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
        for abbr, (eid, after) in local.items():
            for k in _places(words, abbr):
                if at[2 * k] >= after and not taken[k]:
                    out.append((eid, at[2 * k], at[2 * k + 1], False))
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


def within(mentions_: list[Mention], doc: Document, sent: tuple[int, int], kinds: tuple[str, ...],
           inner: bool = True) -> list[Mention]:
    """The mentions of entities of these kinds inside the sentence."""
    s, e = doc.span(*sent)
    return [m for m in mentions_ if s <= m.start and m.end <= e and m.entity.split("/", 1)[0] in kinds
            and (inner or not m.inner)]


def nearest(cands: list[Mention], at: int) -> Mention | None:
    """The mention closest to ``at``, preferring one that comes before it."""
    before = [m for m in cands if m.end <= at]
    if before:
        return before[-1]
    after = [m for m in cands if m.start >= at]
    return after[0] if after else None


def inside_other(m: Mention, found: list[Mention]) -> bool:
    """Whether a mention lies inside a longer mention of a document (a camp named in a report's title)."""
    return m.inner and any(o.start <= m.start and m.end <= o.end and not o.inner and o.kind == "document" for o in found)
