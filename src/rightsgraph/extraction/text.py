"""What a sentence says, read from a document's clean text: sentences, numbers and the figures that count
people or deaths, dates, the span to quote, hedges, and who did what to whom.

The rules of :mod:`rightsgraph.extraction.rules` read sentences with these. Every function takes offsets in
the clean text (``Document.clean``), which has the same length as the original; quotes come from the
original text (``Document.text``).

:func:`number_from_text` reads a number written in a text ("1.5 million", "Seventy-seven");
:func:`rightsgraph.claims.loader.parse_number` has another job: a number of the authoring format (YAML) as
an RDF literal.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
from typing import Any, Callable, Iterator, TypeVar

from rightsgraph.claims.records import MAX_QUOTE
from rightsgraph.extraction.mentions import Mention
from rightsgraph.sources.reading import Document


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

# A sentence ends after ".", "!" or "?" (group 1: the closing quotes and blanks after it) before a capital or a digit.
# The patterns start with a character (not a look-behind), so that the regular expression engine skips ahead to it.
_SENTENCE_END = re.compile(r"[.!?]([\"”’)\]]*\s+)(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(\b(U\.N|U\.S|No|Nos|Mr|Mrs|Ms|Dr|Jr|St|c|ca|e\.g|i\.e|vs|Gen|Prof|approx)\.|\b[A-Z]\.)$")
_ABBREVIATION_CHARS = 8  # the longest abbreviation ("approx.") and one more character

# A line break ends a block unless a lower-case word follows it; after ".", "!", "?" or ":", or before a blank line, always.
_BLOCK_BREAK = re.compile(r"\n(?:(?![ \t]*[a-z])|(?<=[.!?:]\n)|(?=[ \t]*\n))")

_T = TypeVar("_T")


def per_text(compute: Callable[[str], list[_T]]) -> Callable[[str], list[_T]]:
    """``compute(text)`` remembered for the last text asked (the same string object): the rules of one document ask
    for its sentences, appositions ... again and again. Each caller gets a list of its own."""
    last: list = [None, []]

    @functools.wraps(compute)
    def cached(text: str) -> list[_T]:
        if last[0] is not text:
            last[:] = [text, compute(text)]
        return list(last[1])

    return cached


# Characters a case-insensitive pattern takes for an ASCII letter that ``str.lower`` does not turn into that letter alone
# (İ, ı, ſ): a text that holds one is read with the pattern itself.
_CASE_TWINS = re.compile("[\u0130\u0131\u017f]")


class Gate:
    """A case-insensitive pattern that cannot match without one of ``words`` (in lower case) in the text: it is
    searched only in a text whose lower-case form holds one of them, since a substring test costs far less than a
    case-insensitive pattern (which the regular expression engine tries at every character). With no ``words``
    (None), the pattern is always searched."""

    def __init__(self, pattern: str, words: tuple[str, ...] | None) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.words = words
        self._any_word = re.compile("|".join(map(re.escape, words))) if words else None  # one pass finds any

    def may_match(self, text: str, low: str | None = None) -> bool:
        """False when the pattern surely has no match in ``text`` (none of the words is in it); ``low``: the text in
        lower case, if the caller has it."""
        if self._any_word is None:
            return True
        low = text.lower() if low is None else low
        return self._any_word.search(low) is not None or (not text.isascii() and _CASE_TWINS.search(text) is not None)

    def search(self, text: str, low: str | None = None) -> re.Match | None:
        """The pattern's first match in ``text``, or None."""
        return self.pattern.search(text) if self.may_match(text, low) else None

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match]:
        """The pattern's matches in ``text``."""
        return self.pattern.finditer(text) if self.may_match(text, low) else iter(())


@per_text
def sentences(clean: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a cleaned text, paragraph by paragraph (a wrapped line continues its sentence).

    A sentence starts at the start of the text or after a blank, and the blanks and closing quotes before it follow
    an end mark (".", "!", "?") or a line break: no name, figure or word runs from one sentence into the next."""
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
            stop = m.start(1)  # right after the end mark
            if _ABBREVIATION.search(line, max(cursor, stop - _ABBREVIATION_CHARS), stop):  # "Mr." or "U.S." ends no sentence
                continue
            spans.append((cursor, stop))
            cursor = m.end()
        spans.append((cursor, len(line)))
        for a, b in spans:
            piece = line[a:b]
            if piece.strip():
                a += len(piece) - len(piece.lstrip())
                b -= len(piece) - len(piece.rstrip())
                out.append((base + a, base + b))
    return out


def sentence_of(sents: list[tuple[int, int]], sent_starts: list[int], at: int) -> tuple[int, int]:
    """The sentence (a clean span) that holds the clean offset ``at``."""
    i = bisect.bisect_right(sent_starts, at) - 1
    if i >= 0 and sents[i][0] <= at < sents[i][1]:
        return sents[i]
    return at, at


# --------------------------------------------------------------------------------------------
# Numbers and figures
# --------------------------------------------------------------------------------------------

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
PEOPLE = (r"(?:political\s+)?(?:prisoners|inmates|detainees|people|persons|individuals|men|women|children|civilians"
           r"|citizens|victims|nationals|refugees|defectors|abductees|monks|believers|Christians|workers|North\s+Koreans)")
# Each pattern with the words (lower case) one of which its matches need; "range" and "plain" only need a number.
_FIGURE_PATTERNS = [
    ("between", Gate(rf"\bbetween\s+(?P<low>{_NUM})\s+and\s+(?P<high>{_NUM})", ("between",))),
    ("range", Gate(rf"(?<![\w,.])(?P<q>(?:an?\s+estimated|about|around|approximately|roughly|some|c\.|anywhere\s+from)\s+)?"
                   rf"(?P<low>{_NUM})\s*(?:to|-|–|—|or)\s*(?P<high>{_NUM})(?![\w,]|\.\d)",
                   ("to", "-", "–", "—", "or"))),
    ("up-to", Gate(rf"\b(?P<q>up\s+to|as\s+many\s+as)\s+(?P<high>{_NUM})", ("up", "many"))),
    ("at-least", Gate(rf"\b(?P<q>more\s+than|over|at\s+least|in\s+excess\s+of)\s+(?P<low>{_NUM})",
                      ("more", "over", "least", "excess"))),
    ("approximate", Gate(rf"(?<![\w])(?P<q>an?\s+estimated|about|around|approximately|roughly|some|nearly|almost"
                         rf"|c\.|ca\.)\s*(?P<value>{_NUM})",
                         ("estimated", "about", "around", "approximately", "roughly", "some", "nearly", "almost",
                          "c.", "ca."))),
    ("plain", Gate(rf"(?<![\w,.$])(?P<value>{_NUM})(?![\w,]|\.\d)", None)),
]
_DIGIT = re.compile(r"\d")
_NUMBER_WORD = Gate(_WORD_NUM, (*_UNITS[1:], *_TENS))  # every figure pattern holds a number in digits or in words
#: The qualifiers that make a figure an estimate.
HEDGED = {"about", "around", "approximately", "roughly", "some", "c.", "ca.", "an estimated", "a estimated",
           "nearly", "almost"}
_NOT_PEOPLE_AFTER = re.compile(r"^\s*(?:%|percent|per\s+cent|km|mi|square|sq|years?|months?|days?|hours?|dollars|US\$|\$"
                               r"|times|pages?|sites?|images?|interviews?|photos?|camps?|missiles?|tests?|votes?)",
                               re.IGNORECASE)
_PEOPLE_AFTER = re.compile(rf"^\s*(?:[\w’'-]+\s+){{0,3}}?{PEOPLE}\b", re.IGNORECASE)
_PEOPLE_BEFORE = Gate(r"(prisoners?|inmates?|detainees?|population|holds?|held|detained|imprisoned|lives\s+of)\b[^.;]{0,60}$",
                      ("prisoner", "inmate", "detainee", "population", "hold", "held", "detained", "imprisoned", "lives"))
_FIGURE_ENDS = re.compile(r"^\s*(?:[.,;:)\]|]|$|\+|(?:are|were|is|was|in|at|and|have|had|died|die)\b)", re.IGNORECASE)
_DEATH_AFTER = re.compile(r"^[^.;:\d]{0,60}?\b(?:died|die|dying|perished|were\s+killed|killed|deaths|dead|did\s+not\s+survive"
                          r"|starved\s+to\s+death|lost\s+their\s+lives)\b", re.IGNORECASE)
_DEATH_BEFORE = Gate(r"\b(?:claimed|taken|took|cost)\s+the\s+lives\s+of\s*(?:an?\s+estimated\s+|some\s+|about\s+)?$|"
                     r"\b(?:death\s+toll|mortality)\b[^.;\d]{0,40}$", ("lives", "death", "mortality"))


def _about_people(clean: str, start: int, end: int) -> bool:
    """Whether a figure counts people: a people noun follows it, or a prisoner word precedes it and no other noun follows."""
    after = clean[end:end + 80]
    if _NOT_PEOPLE_AFTER.match(after):
        return False
    if _PEOPLE_AFTER.match(after):
        return True
    return bool(_PEOPLE_BEFORE.search(clean[max(0, start - 80):start])) and bool(_FIGURE_ENDS.match(after))


def about_deaths(clean: str, start: int, end: int) -> bool:
    """Whether a figure counts deaths: a word of dying follows it in its clause, or "claimed the lives of" precedes it."""
    return bool(_DEATH_AFTER.match(clean[end:end + 80])) or bool(_DEATH_BEFORE.search(clean[max(0, start - 60):start]))


def number_from_text(text: str) -> int | float | None:
    """The number a figure states in digits or words ("80,000", "1.5 million", "two million", "Seventy-seven").

    >>> number_from_text("80,000"), number_from_text("1.5 million")
    (80000, 1500000)
    >>> number_from_text("two million"), number_from_text("Seventy-seven")
    (2000000, 77)
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


def figures(clean: str, deaths: bool = False, counted: frozenset[int] = frozenset()) -> list[tuple[str, int, int, dict]]:
    """The figures of a sentence that count people (or deaths): ``(form, start, end, figure)``, the more specific form
    first; ``counted`` holds the offsets where the name of a group starts (a figure right before one counts people)."""
    out: list[tuple[str, int, int, dict]] = []
    low = clean.lower()
    if _DIGIT.search(clean) is None and _NUMBER_WORD.search(clean, low) is None:
        return out
    taken: list[tuple[int, int]] = []
    for name, pattern in _FIGURE_PATTERNS:
        for m in pattern.finditer(clean, low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            numbers = [groups[k] for k in ("value", "low", "high") if k in groups]
            if any(_is_year(n) for n in numbers):
                continue  # a year (tested first: the tests of what a figure counts cost more)
            after = m.end() + len(clean[m.end():m.end() + 20]) - len(clean[m.end():m.end() + 20].lstrip())
            if not (_about_people(clean, m.start(), m.end()) or after in counted
                    or (deaths and about_deaths(clean, m.start(), m.end()))):
                continue
            figure: dict[str, Any] = {}
            for k in ("value", "low", "high"):
                if k in groups:
                    number = number_from_text(groups[k])
                    if number is None:
                        break
                    figure[k] = number
            else:
                if "low" in figure and "high" in figure:
                    low_words, high_words = groups["low"].lower().split(), groups["high"].lower().split()
                    if high_words[-1] in _SCALES and low_words[-1] not in _SCALES:  # "1 to 2 million"
                        scaled = number_from_text(f"{groups['low']} {high_words[-1]}")
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


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
DATE = (rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH})\s+(?P<y1>\d{{4}})|(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
         rf"|(?P<m3>{MONTH})(?:\s+of)?\s+(?P<y3>\d{{4}})|(?P<y4>(?:1[89]|20)\d\d))")
DATE_RE = re.compile(rf"\b{DATE}\b")
#: The date some web sites print for an unknown date (the Unix epoch seen from a time zone west of Greenwich).
PLACEHOLDER_DATES = {"1969-12-31", "1970-01-01"}


def _month(name: str) -> int:
    """The number of a month from its name or abbreviation ("Sept." is 9)."""
    prefix = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(prefix))


def parse_date_match(m: re.Match) -> str | int:
    """The date of a matched ``DATE`` as the authoring format writes it (2013, "2013-12", "2013-12-08")."""
    g = m.groupdict()
    if g.get("y1"):
        return f"{int(g['y1']):04d}-{_month(g['m1']):02d}-{int(g['d1']):02d}"
    if g.get("y2"):
        return f"{int(g['y2']):04d}-{_month(g['m2']):02d}-{int(g['d2']):02d}"
    if g.get("y3"):
        return f"{int(g['y3']):04d}-{_month(g['m3']):02d}"
    return int(g.get("y4") or g["y5"])


def real_date(value: str | int) -> bool:
    """Whether a parsed date is a date at all: a valid day, and not a web site's placeholder for an unknown date."""
    if str(value) in PLACEHOLDER_DATES:
        return False
    if isinstance(value, str) and len(value) == 10:
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            return False
    return True


# --------------------------------------------------------------------------------------------
# Quotes and hedges
# --------------------------------------------------------------------------------------------

def quote_span(doc: Document, sent: tuple[int, int], focus: tuple[int, int]) -> tuple[int, int]:
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


_TAG = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)


def untagged(text: str, start: int, end: int, focus: tuple[int, int] | None = None) -> tuple[int, int]:
    """The part of ``text[start:end]`` between tags that holds ``focus`` (offsets in ``text``), or its longest part:
    a quote is text, never markup, so a sentence with inline tags ("At <b>Camp 14</b> there were ...") is quoted
    up to its tags; spaces at the ends are left out."""
    if "<" not in text[start:end]:
        return start, end
    parts, at = [], start
    for m in _TAG.finditer(text, start, end):
        parts.append((at, m.start()))
        at = m.end()
    parts.append((at, end))
    parts = [(a, b) for a, b in parts if text[a:b].strip()]
    if not parts:
        return start, start
    if focus is not None:
        holding = [(a, b) for a, b in parts if a <= focus[0] < b]
        if holding:
            parts = holding
    a, b = max(parts, key=lambda p: p[1] - p[0])
    while a < b and text[a] in " \t\r\n,;:":
        a += 1
    while b > a and text[b - 1] in " \t\r\n,;:":
        b -= 1
    return a, b


_ALLEGED = re.compile(r"\b(?:allegedly|alleged|reportedly|purportedly|claim(?:s|ed)?(?!\s+the\s+lives)|accused|suspected)\b",
                      re.IGNORECASE)
_ESTIMATED = re.compile(r"\b(?:estimated?|estimates|estimating)\b", re.IGNORECASE)
_ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?P<who>(?:[A-Z]\.\s?)*[^,.;:]{2,80})", re.IGNORECASE)
_SAYS = re.compile(r"^\s*(?:\([^()]{1,12}\)\s*)?(?:has\s+|have\s+)?(?:estimates?|estimated|says?|said|reports?|reported|claims?"
                   r"|claimed|believes?|believed|found|finds|alleges?|alleged|states?|stated|testif(?:y|ies|ied))\b",
                   re.IGNORECASE)


def hedges_of(doc: Document, sent: tuple[int, int], found: list[Mention], exclude: str | None = None) -> dict:
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


# --------------------------------------------------------------------------------------------
# Who did it to whom
# --------------------------------------------------------------------------------------------

_ABDUCTED_BY = re.compile(r"^\s*(?:to\s+\w+\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
_AGENT_VERB = re.compile(r"^\s*(?:(?:has|had|have|continues\s+to|continued\s+to|is|was)\s+)?(?:\w+ly\s+)?(?:also\s+)?"
                         r"(?:(?:resumed|carried\s+out|conducted|stepped\s+up|increased|began|uses|used)\s+(?:the\s+)?)?$",
                         re.IGNORECASE)
_PASSIVE = re.compile(r"^\s*(?:who\s+)?(?:were|was|are|is|have\s+been|has\s+been|had\s+been|being)\s+"
                      r"(?:\w+ly\s+)?(?:also\s+)?$", re.IGNORECASE)


def violation_parties(doc: Document, sent: tuple[int, int], found: list[Mention], verb: tuple[int, int]
                      ) -> tuple[Mention | None, list[Mention]]:
    """The agent (a mention right before the verb, or after "by") and the victims (groups or people named before a
    passive verb, or right after it, or after "of") of a violation verb at ``verb``."""
    s, e = doc.span(*sent)
    local = [m for m in found if s <= m.start and m.end <= e and not m.inner]
    agent = None
    victims: list[Mention] = []
    after = [m for m in local if m.start >= verb[1] and m.start - verb[1] < 40]
    before = [m for m in local if m.end <= verb[0] and verb[0] - m.end < 80]
    if after and after[0].kind in ("org", "place", "person") and _ABDUCTED_BY.match(doc.clean[verb[1]:after[0].start]):
        agent = after[0]
    if before:
        last = before[-1]
        gap = doc.clean[last.end:verb[0]]
        if agent is None and last.kind in ("org", "place") and _AGENT_VERB.match(gap):
            agent = last
        elif last.kind in ("group", "person") and _PASSIVE.match(gap):
            victims.append(last)
    if not victims and after and after[0].kind in ("group", "person") and \
            re.match(r"^\s*(?:of\s+)?(?:\w+\s+){0,2}$", doc.clean[verb[1]:after[0].start]):
        victims.append(after[0])
    return agent, victims


# --------------------------------------------------------------------------------------------
# People introduced by an apposition
# --------------------------------------------------------------------------------------------

#: The nouns of a role that introduces a person the graph may not know ("X, a former prisoner of ...").
ROLE_NOUN = (r"(?:prisoner|inmate|detainee|survivor|defector|escapee|official|officer|director|researcher|spokes(?:man|woman|person)"
             r"|member|rapporteur|lawyer|analyst|coordinator|adviser|advisor|advocate|investigator|head|chief"
             r"|chair(?:man|woman|person)?|manager|journalist|correspondent|representative|envoy|commissioner|founder|fellow|witness)")
#: "Yeom Bo-ri, a former prisoner of Camp 14", "Pyon Sun-hwa, 47, a former prisoner of the ...", "Tomasz
#: Ferreira-Lund, director of research at the ...": the name (two or three capitalized words, hyphenated parts
#: allowed; no part of a longer word: the look-behind comes after the first capital, so that the engine skips ahead
#: to a capital), the age perhaps, then the title (``title``: the role noun with up to three words before it and
#: "of research" after it) and the preposition before what the person belongs to.
APPOSITIVE_PERSON = re.compile(
    r"(?P<name>[A-Z](?<![\w’'-][A-Z])[a-z]+(?:[ \t]+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?){1,2})"
    r",[ \t]+(?:\d{1,3},[ \t]+)?(?:(?:a|an|the)[ \t]+)?"
    rf"(?P<title>(?:[a-z]+[ \t]+){{0,3}}?{ROLE_NOUN}(?:[ \t]+of[ \t]+[a-z]+)?)"
    r"[ \t]+(?P<prep>of|at|in|with|for)[ \t]+(?:the[ \t]+)?")
#: Words that start a capitalized phrase but not a person's name.
NOT_A_NAME = frozenset("the a an this that these those its their his her our in on at for of and but however according "
                       "former new both each many some other while when after before since under she he they we it "
                       "north south east west human special".split())


@per_text
def _appositions(clean: str) -> list[re.Match]:
    """Every match of :data:`APPOSITIVE_PERSON` in a clean text, in text order."""
    return list(APPOSITIVE_PERSON.finditer(clean))


def appositive_people(clean: str, sentence: tuple[int, int] | None = None) -> list[re.Match]:
    """The appositions of :data:`APPOSITIVE_PERSON` in a clean text whose name looks like a person's; with ``sentence``
    (a span of :func:`sentences` of the text), those of the sentence's text alone, with offsets in it.

    The whole text is read once per document: a sentence is read on its own only if an apposition of the whole text
    starts in it (one found in the sentence alone would be found there in the whole text, or inside one that starts
    earlier in the sentence: none runs across the end mark or line break before a sentence)."""
    if sentence is None:
        found = _appositions(clean)
    else:
        s, e = sentence
        whole = _appositions(clean)
        i = bisect.bisect_left(whole, s, key=re.Match.start)
        if i == len(whole) or whole[i].start() >= e:
            return []
        found = APPOSITIVE_PERSON.finditer(clean[s:e])
    return [m for m in found if m.group("name").split()[0].lower() not in NOT_A_NAME]
