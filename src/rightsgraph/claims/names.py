"""Names folded for lookups, so that spelling variants of one name find the same entity."""

from __future__ import annotations

import re


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
