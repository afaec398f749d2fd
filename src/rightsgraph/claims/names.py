"""Names folded for lookups, so that spelling variants of one name find the same entity."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz


def normalize_name(name: str) -> str:
    """Fold a name for lookups: case, hyphens, apostrophes, punctuation and spacing do not count.

    The words stay apart, so that whole names compare word by word (two entities sharing a name, a label lookup, a
    name inside a quote). Extraction's matcher folds names its own way
    (:func:`rightsgraph.extraction.mentions.name_key`: words joined, "No." before a number dropped) to meet a name
    broken by markup, a line break or a hyphen in a text.

    >>> normalize_name("Kwan-li-so No. 15") == normalize_name("kwan li so no 15")
    True
    """
    folded = name.casefold().replace("’", "'").replace("ŭ", "u").replace("ŏ", "o")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


# -- how close two names are (the reconciliation service's scorer) --------------------------------------------

#: Spellings that the romanisations of Korean write differently for one sound, each folded to one form:
#: Revised Romanization's ``eo``/``eu`` and McCune-Reischauer's o and u with breve (already ``o``, ``u`` after
#: :func:`normalize_name`), the aspirated ``th``/``sh`` some sources write, and the consonants one system
#: writes voiced and the other voiceless (Jeungsan/Chungsan, Hamgyong/Hamkyong, Song-thaek/Sung-taek).
_ROMANISATION = (("eo", "o"), ("eu", "u"), ("th", "t"), ("sh", "s"), ("ch", "j"), ("k", "g"), ("p", "b"),
                 ("t", "d"), ("l", "r"), ("ee", "i"))


def name_words(name: str) -> list[str]:
    """The folded words of a name, without "No." before a number ("Camp No. 15" and "Camp 15" meet).

    >>> name_words("Kwan-li-so No. 15")
    ['kwan', 'li', 'so', '15']
    """
    words = normalize_name(name).split()
    return [w for i, w in enumerate(words) if not (w == "no" and i + 1 < len(words) and words[i + 1][0].isdigit())]


def romanised(compact: str) -> str:
    """A compact name (words joined) with the spellings of :data:`_ROMANISATION` folded to one form.

    >>> romanised("jongori") == romanised("chongori"), romanised("hamgyong") == romanised("hamkyong")
    (True, True)
    """
    for old, new in _ROMANISATION:
        compact = compact.replace(old, new)
    return compact


@dataclass(frozen=True)
class NameKeys:
    """The forms of one name that :func:`similarity` compares: its folded text, its words joined, the same with
    the first or last word moved to the other end (a Korean name written family name first or last), and those
    with the romanisation spellings folded."""

    folded: str
    compact: str
    orders: tuple[str, ...]
    romanised: tuple[str, ...]

    @classmethod
    def of(cls, name: str) -> "NameKeys":
        words = name_words(name)
        orders = ["".join(words)]
        if len(words) > 1:
            orders += ["".join(words[1:] + words[:1]), "".join(words[-1:] + words[:-1])]
        return cls(" ".join(words), orders[0], tuple(dict.fromkeys(orders)),
                   tuple(dict.fromkeys(romanised(o) for o in orders)))


def similarity(query: NameKeys, name: NameKeys, floor: float = 0.0) -> float:
    """How close a name is to a query, from 0 to 1: 1 for the same folded name, then, in this order, the same
    words joined (hyphens and spaces do not count), the same words in the other Korean order, the same name in
    another romanisation; below those, 0.9 times the best ratio of matching characters (:func:`_ratio`) of those
    forms, and for a query that is whole words of a longer name ("Chongjin" in "Chongjin political prison
    camp") at least 0.7 and a share of its length. A score at or below ``floor`` may be answered as 0 (the
    character ratios are skipped when they cannot beat it).

    >>> k = NameKeys.of
    >>> similarity(k("Kwan-li-so No. 15"), k("kwanliso 15")), similarity(k("Jong-un Kim"), k("Kim Jong Un"))
    (0.98, 0.95)
    >>> 0.9 <= similarity(k("Jongo-ri"), k("Chongori")) < 0.95
    True
    """
    if not query.folded or not name.folded:
        return 0.0
    if query.folded == name.folded:
        return 1.0
    if query.compact == name.compact:
        return 0.98
    if name.compact in query.orders:
        return 0.95
    if set(query.romanised) & set(name.romanised):
        return 0.92
    score = 0.0
    if f" {query.folded} " in f" {name.folded} ":
        score = 0.7 + 0.2 * len(query.folded) / len(name.folded)
    pairs = [(o, name.compact) for o in query.orders] + [(r, name.romanised[0]) for r in query.romanised]
    for q, n in pairs:
        score = max(score, 0.9 * _ratio(q, n, max(score, floor) / 0.9))
    return round(score, 4)


def _ratio(query: str, name: str, floor: float) -> float:
    """The share of characters two strings have in common, in order (twice the matched characters over both
    lengths, as ``difflib`` reckons it, computed by RapidFuzz's Indel distance), or 0 when it is at or below
    ``floor``."""
    return fuzz.ratio(query, name, score_cutoff=100 * floor + 1e-9) / 100
