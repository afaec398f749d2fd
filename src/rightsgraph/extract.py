"""Extraction: read a new document, find mentions of known entities and propose candidate claims.

Documents are read by :mod:`rightsgraph.reading` into their original ``text`` and a ``clean`` copy of
the same length (markup and debris blanked). Mentions and claims are found in ``clean``; every offset and every quote is taken from ``text``.
Claims are proposed by small named rules; each carries its rule as ``method`` (an activity IRI) and
a ``confidence``, and is written to a review file for a person to accept or reject.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from .namespaces import ACTIVITY
from .reading import Document, clean_text, read  # noqa: F401 - re-exported for callers of extract

MAX_QUOTE = 300


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    """A passage of the original text that names a known entity."""

    entity: str
    start: int
    end: int
    text: str


_TOKEN = re.compile(r"[^\W_]+")
_SOFT_GAP = set(" \t\n-‐‑–.'’")
_CAMP_DESIGNATION = re.compile(
    r"^(?:kwan-?\s?li-?\s?so|kwanliso|camp|political prison camp|prison camp)\s*(?:no\.?\s*)?(\d+)$", re.IGNORECASE)


def _fold_token(token: str) -> str:
    """A token without case or diacritics."""
    folded = unicodedata.normalize("NFKD", token.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _soft(gap: str, original: str) -> bool:
    """Whether a gap between two tokens may lie inside a name: blanks (markup included, table cells not), or a
    hyphen, period or apostrophe with at most a space around it."""
    if not gap or "|" in original or gap.count("\n") > 1 or any(ch not in _SOFT_GAP for ch in gap):
        return False
    return not gap.strip() or len(gap) <= 3


def name_key(name: str) -> str:
    """Fold a name into its lookup key: no case, diacritics, spaces, hyphens or "No." before a number.

    >>> name_key("Kwan-li-so No. 15") == name_key("kwanliso 15") == name_key("KWAN LI SO no 15")
    True
    """
    tokens = [_fold_token(t) for t in _TOKEN.findall(name)]
    kept = [t for i, t in enumerate(tokens)
            if not (t in ("no", "nos") and i + 1 < len(tokens) and tokens[i + 1].isdigit())]
    return "".join(kept)


class Matcher:
    """Known entity names folded into a dictionary, for finding mentions in one pass over the tokens."""

    def __init__(self, entities: dict | Iterable) -> None:
        records = list(entities.values()) if isinstance(entities, dict) else list(entities)
        explicit: dict[str, set[str]] = {}
        variants: dict[str, set[str]] = {}
        for e in records:
            names = [e.label, *(e.aliases or [])]
            for name in names:
                key = name_key(name)
                if key:
                    explicit.setdefault(key, set()).add(e.id)
            if str(getattr(e, "type", "")).endswith("PoliticalPrisonCamp"):
                for name in names:
                    m = _CAMP_DESIGNATION.match(name.strip())
                    if m:
                        for form in ("camp", "kwanliso", "political prison camp"):
                            variants.setdefault(name_key(f"{form} {m.group(1)}"), set()).add(e.id)
        self.keys: dict[str, str] = {}
        for key, ids in variants.items():
            if len(ids) == 1 and key not in explicit:
                self.keys[key] = next(iter(ids))
        for key, ids in explicit.items():
            if len(ids) == 1:  # a name two entities share says nothing on its own
                self.keys[key] = next(iter(ids))
        self.prefixes = {key[:i] for key in self.keys for i in range(1, len(key) + 1)}

    def find(self, text: str, original: str | None = None) -> list[tuple[str, int, int]]:
        """Spans ``(entity id, start, end)`` of the names in ``text`` (a cleaned ``original``); the longest match wins."""
        original = text if original is None else original
        tokens = [(m.start(), m.end(), _fold_token(m.group(0))) for m in _TOKEN.finditer(text)]
        out: list[tuple[str, int, int]] = []
        keys, prefixes = self.keys, self.prefixes
        n = len(tokens)
        i = 0
        while i < n:
            start, end, tok = tokens[i]
            if tok not in prefixes:
                i += 1
                continue
            key = tok
            best = (keys[key], end, i) if key in keys else None
            j = i
            while j + 1 < n and _soft(text[tokens[j][1]:tokens[j + 1][0]], original[tokens[j][1]:tokens[j + 1][0]]):
                nxt = tokens[j + 1][2]
                if nxt in ("no", "nos") and j + 2 < n and tokens[j + 2][2].isdigit() \
                        and _soft(text[tokens[j + 1][1]:tokens[j + 2][0]], original[tokens[j + 1][1]:tokens[j + 2][0]]):
                    j += 1  # "No." before a number does not count
                    continue
                if key + nxt not in prefixes:
                    break
                key += nxt
                j += 1
                if key in keys:
                    best = (keys[key], tokens[j][1], j)
            if best:
                out.append((best[0], start, best[1]))
                i = best[2] + 1
            else:
                i += 1
        return out


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
    for entity, s, e in matcher(entities).find(doc.clean, doc.text):
        start, end = doc.span(s, e)
        out.append(Mention(entity, start, end, doc.text[start:end]))
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


_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty": 40, "fifty": 50, "a hundred": 100, "one hundred": 100, "several hundred": None}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
        r"|fifteen|twenty|thirty|forty|fifty))(?:\s+(?:hundred|thousand|million|billion))?")
_PEOPLE = r"(?:political\s+)?(?:prisoners|inmates|detainees|people|persons|individuals|men|women|children)"
_PRISON_CONTEXT = re.compile(r"prisoner|inmate|detainee|\bheld\b|detained|imprisoned|incarcerated|prison camp",
                             re.IGNORECASE)
_FIGURE_PATTERNS = [
    ("between", re.compile(rf"\bbetween\s+(?P<low>{_NUM})\s+and\s+(?P<high>{_NUM})", re.IGNORECASE)),
    ("range", re.compile(rf"(?<![\w,.])(?P<q>(?:an?\s+estimated|about|around|approximately|roughly|some|c\.)\s+)?"
                         rf"(?P<low>{_NUM})\s*(?:to|-|–|—)\s*(?P<high>{_NUM})(?![\w,]|\.\d)", re.IGNORECASE)),
    ("up-to", re.compile(rf"\b(?P<q>up\s+to|as\s+many\s+as)\s+(?P<high>{_NUM})", re.IGNORECASE)),
    ("at-least", re.compile(rf"\b(?P<q>more\s+than|over|at\s+least|in\s+excess\s+of)\s+(?P<low>{_NUM})", re.IGNORECASE)),
    ("approximate", re.compile(rf"(?<![\w])(?P<q>an?\s+estimated|about|around|approximately|roughly|some|nearly|almost"
                               rf"|c\.|ca\.)\s*(?P<value>{_NUM})", re.IGNORECASE)),
    ("plain", re.compile(rf"(?<![\w,.])(?P<value>{_NUM})(?=\s+{_PEOPLE}\b|\s+(?:are|were)\s+(?:held|detained|imprisoned))",
                         re.IGNORECASE)),
]
_HEDGED = {"about", "around", "approximately", "roughly", "some", "c.", "ca.", "an estimated", "a estimated",
           "nearly", "almost"}
_NOT_PEOPLE_AFTER = re.compile(r"^\s*(?:%|percent|per\s+cent|km|mi|square|sq|years?|months?|days?|hours?|dollars|US\$|\$)",
                               re.IGNORECASE)


_PEOPLE_AFTER = re.compile(rf"^\s*(?:[\w-]+\s+){{0,3}}?{_PEOPLE}\b", re.IGNORECASE)
_PEOPLE_BEFORE = re.compile(r"(prisoners?|inmates?|detainees?|population|holds?|held|detained|imprisoned)\b[^.;]{0,60}$",
                            re.IGNORECASE)
_FIGURE_ENDS = re.compile(r"^\s*(?:[.,;:)\]|]|$|\+|(?:are|were|is|was|in|at|and)\b)", re.IGNORECASE)


def _about_people(clean: str, start: int, end: int) -> bool:
    """Whether a figure counts people: a people noun follows it, or a prisoner word precedes it and no other noun follows."""
    after = clean[end:end + 80]
    if _NOT_PEOPLE_AFTER.match(after):
        return False
    if _PEOPLE_AFTER.match(after):
        return True
    return bool(_PEOPLE_BEFORE.search(clean[max(0, start - 80):start])) and bool(_FIGURE_ENDS.match(after))


def parse_number(text: str) -> int | float | None:
    """The number a figure states in digits or words ("80,000", "1.5 million", "two million").

    >>> parse_number("80,000"), parse_number("1.5 million"), parse_number("two million")
    (80000, 1500000, 2000000)
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
    return bool(re.fullmatch(r"(1[89]|20)\d\d", text.strip()))


def _quote_span(doc: Document, sent: tuple[int, int], focus: tuple[int, int]) -> tuple[int, int]:
    """The original span of the sentence, or of its clause around ``focus`` when the sentence is too long."""
    s, e = sent
    if e - s >= MAX_QUOTE:
        cuts = [m.end() for m in re.finditer(r"[;:,]\s+", doc.clean[s:e])]
        left = max([s + c for c in cuts if s + c <= focus[0]], default=s)
        right = min([s + c - 1 for c in cuts if s + c > focus[1]], default=e)
        while right - left >= MAX_QUOTE and right > focus[1]:
            right = max(focus[1], right - (MAX_QUOTE // 2))
        s, e = left, right
        while s < e and doc.clean[s].isspace():
            s += 1
        while e > s and doc.clean[e - 1] in " \t\n,;:":
            e -= 1
    return doc.span(s, e)


def _claim(doc: Document, sent: tuple[int, int], focus: tuple[int, int], subject: str, facts: dict,
           rule: str, confidence: float, certainty: str = "reported", **extra: Any) -> dict | None:
    """A candidate claim in the authoring format, its quote the original text of the sentence."""
    start, end = _quote_span(doc, sent, focus)
    quote = doc.text[start:end]
    if not quote.strip() or len(quote) >= MAX_QUOTE:
        return None
    claim: dict[str, Any] = {"subject": subject, "quote": quote, "facts": facts}
    if certainty != "reported":
        claim["certainty"] = certainty
    for key in ("according_to", "attribution", "note"):
        if extra.get(key):
            claim[key] = extra[key]
    occurrence = doc.text.count(quote, 0, start) + 1
    if occurrence > 1:
        claim["occurrence"] = occurrence
    claim["method"] = method_iri(rule)
    claim["confidence"] = round(confidence, 2)
    claim["offsets"] = [start, end]
    return claim


def _in(mentions_: list[Mention], doc: Document, sent: tuple[int, int], kinds: tuple[str, ...]) -> list[Mention]:
    """The mentions of entities of these kinds inside the sentence."""
    s, e = doc.span(*sent)
    return [m for m in mentions_ if s <= m.start and m.end <= e and m.entity.split("/", 1)[0] in kinds]


def _nearest(cands: list[Mention], at: int) -> Mention | None:
    """The mention closest to ``at``, preferring one that comes before it."""
    before = [m for m in cands if m.end <= at]
    if before:
        return before[-1]
    after = [m for m in cands if m.start >= at]
    return after[0] if after else None


_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^,.;]{3,80})", re.IGNORECASE)


def _attribution(doc: Document, sent: tuple[int, int], found: list[Mention]) -> dict:
    """``according_to`` (an entity) or ``attribution`` (the source's words) from "according to X"."""
    s, _ = sent
    m = _ACCORDING_TO.search(doc.clean[sent[0]:sent[1]])
    if not m:
        return {}
    who_start, who_end = doc.span(s + m.start("who"), s + m.end("who"))
    for men in found:
        if who_start <= men.start < who_end and men.entity.split("/", 1)[0] in ("org", "document", "person"):
            return {"according_to": men.entity}
    return {"attribution": doc.text[who_start:who_end].strip()}


def rule_prisoner_figures(doc: Document, sent: tuple[int, int], found: list[Mention]) -> list[dict]:
    """Prisoner figures ("up to", "about", "between X and Y", "X to Y", "more than") on the facility or group named."""
    clean = doc.clean[sent[0]:sent[1]]
    if not _PRISON_CONTEXT.search(clean):
        return []
    subjects = _in(found, doc, sent, ("facility",)) or \
        [m for m in _in(found, doc, sent, ("group",)) if "prison" in m.entity or "detain" in m.entity or "inmate" in m.entity]
    if not subjects:
        return []
    out: list[dict] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _FIGURE_PATTERNS:
        for m in pattern.finditer(clean):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if not _about_people(clean, m.start(), m.end()):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            numbers = [groups[k] for k in ("value", "low", "high") if k in groups]
            if any(_is_year(n) for n in numbers) and name != "plain":
                continue
            figure: dict[str, Any] = {}
            for k in ("value", "low", "high"):
                if k in groups:
                    number = parse_number(groups[k])
                    if number is None:
                        break
                    figure[k] = number
            else:
                qualifier = " ".join(groups.get("q", "").split()).lower()
                if qualifier:
                    figure["qualifier"] = qualifier
                if "low" in figure and "high" in figure and figure["low"] >= figure["high"]:
                    continue
                focus = (sent[0] + m.start(), sent[0] + m.end())
                subject = _nearest(subjects, doc.span(*focus)[0])
                hedged = qualifier in _HEDGED or bool(re.search(r"estimat", clean, re.IGNORECASE))
                confidence = {"plain": 0.6, "approximate": 0.7}.get(name, 0.75)
                if subject.entity.startswith("group/"):
                    confidence -= 0.05
                if len({x.entity for x in subjects}) > 1:
                    confidence -= 0.25  # which of several places the figure belongs to is a guess
                claim = _claim(doc, sent, focus, subject.entity, {"prisonerCount": figure}, f"prisoner-figure-{name}",
                               confidence, "estimated" if hedged else "reported", **_attribution(doc, sent, found))
                if claim:
                    out.append(claim)
                    taken.append((m.start(), m.end()))
    return out


_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"], 1)}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = (rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
         rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})|(?P<y4>\d{{4}}))")
_PUBLICATION = re.compile(
    r"\b(?:published|released|issued|launched)\s+(?:(?:its|their|the|a|an|a\s+new)\s+)?(?:annual\s+|new\s+|final\s+)?"
    r"(?:report|study|book|white\s+paper|survey)\s*,?\s*(?P<title>[\"“][^\"”]{3,200}[\"”]|[A-Z][^,;]{2,150}?)\s*,?\s+"
    rf"(?:on|in)\s+{_DATE}\b")


def parse_date_match(m: re.Match) -> str | int:
    """The date of a matched ``_DATE`` as the authoring format writes it (2013, "2013-12", "2013-12-08")."""
    g = m.groupdict()
    if g.get("y1"):
        return f"{int(g['y1']):04d}-{_MONTHS[g['m1'].lower()]:02d}-{int(g['d1']):02d}"
    if g.get("y2"):
        return f"{int(g['y2']):04d}-{_MONTHS[g['m2'].lower()]:02d}-{int(g['d2']):02d}"
    if g.get("y3"):
        return f"{int(g['y3']):04d}-{_MONTHS[g['m3'].lower()]:02d}"
    return int(g["y4"])


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", _fold_token(text)))[:60].strip("-") or "untitled"


def rule_publication(doc: Document, sent: tuple[int, int], found: list[Mention]) -> list[dict]:
    """Publication dates: "X published/released the report Y on DATE" gives Y's publisher and date."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _PUBLICATION.finditer(clean):
        verb_at = doc.span(sent[0] + m.start(), sent[0] + m.start() + 1)[0]
        publishers = [x for x in _in(found, doc, sent, ("org", "person")) if x.end <= verb_at]
        title_start, title_end = doc.span(sent[0] + m.start("title"), sent[0] + m.end("title"))
        titled = [x for x in _in(found, doc, sent, ("document",)) if title_start <= x.start and x.end <= title_end]
        facts: dict[str, Any] = {"published": parse_date_match(m)}
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
    return out


_ROLE = re.compile(r"^\s*,\s+(?:(?:a|an|the)\s+)?(?P<title>(?:[\w’'-]+\s+){0,5}?(?:official|officer|director|head|chief|"
                   r"chair(?:man|woman|person)?|president|secretary|minister|member|spokes(?:man|woman|person)|adviser|advisor|"
                   r"researcher|investigator|rapporteur|commissioner|representative|guard|agent|leader|founder|"
                   r"deputy|ambassador|envoy|staff\s+member|employee|analyst|lawyer|judge))\s+(?:in|of|at|for|with|to)\s+"
                   r"(?:the\s+)?$", re.IGNORECASE)


def rule_roles(doc: Document, sent: tuple[int, int], found: list[Mention]) -> list[dict]:
    """Roles: "X, a senior official in the Y" gives X worksFor Y (memberOf for members) and a jobTitle."""
    out = []
    s, e = doc.span(*sent)
    people = [m for m in found if s <= m.start and m.end <= e and m.entity.startswith("person/")]
    orgs = [m for m in found if s <= m.start and m.end <= e and m.entity.startswith("org/")]
    for person in people:
        after = [o for o in orgs if o.start > person.end and o.start - person.end < 120]
        for org in after[:1]:
            between = doc.clean[person.end:org.start]  # identity offsets: clean and text share indices
            m = _ROLE.match(between)
            if not m:
                continue
            title = " ".join(doc.text[person.end + m.start("title"):person.end + m.end("title")].split())
            predicate = "memberOf" if re.search(r"\bmember\b", title, re.IGNORECASE) else "worksFor"
            facts = {predicate: org.entity, "jobTitle": title}
            claim = _claim(doc, sent, (person.start, org.end), person.entity, facts, "role", 0.75)
            if claim:
                out.append(claim)
    return out


_DESIGNATION = re.compile(r"\b(?P<name>(?P<kind>Kwan-?\s?li-?\s?so|Kwanliso|Kyo-?\s?hwa-?\s?so|Kyohwaso|"
                          r"Political\s+Prison\s+Camp|Camp)\s+No\.?\s*(?P<number>\d{1,3}))\b", re.IGNORECASE)


def rule_camp_designations(doc: Document, sent: tuple[int, int], found: list[Mention]) -> list[dict]:
    """Camp designations: "Kwan-li-so No. 15" gives the camp named there its officialName and facilityNumber."""
    clean = doc.clean[sent[0]:sent[1]]
    out = []
    for m in _DESIGNATION.finditer(clean):
        start, end = doc.span(sent[0] + m.start(), sent[0] + m.end())
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


RULES = [rule_camp_designations, rule_prisoner_figures, rule_publication, rule_roles]


def propose(doc: Document, entities: dict | Iterable) -> list[dict]:
    """Candidate claims for a document, in the authoring format plus ``method``, ``confidence`` and ``offsets``."""
    found = mentions(doc, entities)
    out: list[dict] = []
    seen: set[tuple] = set()
    starts = [m.start for m in found]
    for sent in sentences(doc.clean):
        s, e = doc.span(*sent)
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        local = found[lo:hi]
        for rule in RULES:
            for claim in rule(doc, sent, local):
                key = (claim["subject"], claim["quote"], repr(claim["facts"]))
                if key not in seen:
                    seen.add(key)
                    out.append(claim)
    return out
