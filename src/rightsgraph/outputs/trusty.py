"""Trusty URIs of kind ``RA``: a hash of a set of RDF quads that the quads' own IRIs may carry.

Written from the published description of the approach (T. Kuhn and M. Dumontier, "Trusty URIs:
Verifiable, Immutable, and Permanent Digital Artifacts for Linked Data", ESWC 2014, and version 1 of
the trusty URI specification, module ``RA``); no other implementation's code was used. In short:

1. every occurrence of the artifact code (``RA`` and 43 Base64 characters) in an IRI is replaced by one
   space, so that the content can name itself;
2. the quads are sorted by graph, subject, predicate, then object: an IRI object before a literal,
   IRIs by their text, literals by their text, then a language-tagged literal before a typed one, then
   by the language tag or the datatype IRI; texts compare code point by code point;
3. each quad adds four lines to one text: the graph IRI (empty for the default graph), the subject,
   the predicate, and the object: an IRI as it is; a literal with a language tag as ``@`` + the tag
   in lower case + a space + the escaped text; any other literal as ``^`` + its datatype IRI + a space
   + the escaped text (escaped: ``\\`` doubled, a newline written ``\\n``);
4. the SHA-256 of that text in UTF-8, with two zero bits appended, is written in the URL-safe Base64
   alphabet (``A-Z a-z 0-9 - _``): 43 characters; ``RA`` in front makes the artifact code.

Blank nodes have no place in this: content with one is refused (the nanopublication writer mints IRIs).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

import pyoxigraph as ox

#: The module identifier of RDF content (any number of named graphs), version A.
MODULE = "RA"
#: An artifact code of this module: ``RA`` and a 43-character hash.
CODE_RE = re.compile(r"RA[A-Za-z0-9_-]{43}")
_BASE64_CHAR = re.compile(r"[A-Za-z0-9_-]")


class TrustyError(ValueError):
    """The content cannot be hashed (a blank node), or an IRI carries no artifact code."""


def artifact_code(iri: str) -> str | None:
    """The artifact code at the end of ``iri`` (the Base64 characters after the last other character),
    if it is one of module ``RA``; else None.

    >>> artifact_code("http://example.org/np/RAPpJU5UOB4pavfWyk7FE3WQiam5yBpmIlviAQWtBSC4M")
    'RAPpJU5UOB4pavfWyk7FE3WQiam5yBpmIlviAQWtBSC4M'
    >>> artifact_code("http://example.org/np/plain") is None
    True
    """
    end = len(iri)
    start = end
    while start > 0 and _BASE64_CHAR.fullmatch(iri[start - 1]):
        start -= 1
    code = iri[start:end]
    return code if CODE_RE.fullmatch(code) else None


def _iri(value: str, code: str | None) -> str:
    return value.replace(code, " ") if code else value


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _node(term, code: str | None, what: str) -> str:
    if isinstance(term, ox.NamedNode):
        return _iri(term.value, code)
    if isinstance(term, ox.DefaultGraph) or term is None:
        return ""
    raise TrustyError(f"a {what} that is not an IRI ({term}): trusty URIs of kind RA need blank nodes made IRIs")


def _object_key(term, code: str | None) -> tuple:
    """The sort key of an object and its line: IRIs first, then literals by text, language, datatype."""
    if isinstance(term, ox.NamedNode):
        text = _iri(term.value, code)
        return (0, text, 0, ""), text
    if isinstance(term, ox.Literal):
        if term.language:
            lang = term.language.lower()
            return (1, term.value, 0, lang), f"@{lang} {_escape(term.value)}"
        datatype = _iri(term.datatype.value, code)
        return (1, term.value, 1, datatype), f"^{datatype} {_escape(term.value)}"
    raise TrustyError(f"an object that is not an IRI or a literal ({term}): trusty URIs of kind RA need IRIs")


def normal_form(quads: Iterable[ox.Quad], code: str | None = None) -> str:
    """The text that is hashed: the quads sorted and written four lines each, ``code`` replaced by a space."""
    rows = []
    for q in quads:
        key, obj = _object_key(q.object, code)
        g = _node(q.graph_name, code, "graph name")
        s = _node(q.subject, code, "subject")
        p = _node(q.predicate, code, "predicate")
        rows.append(((g, s, p, key), f"{g}\n{s}\n{p}\n{obj}\n"))
    rows.sort(key=lambda row: row[0])
    seen = set()
    out = []
    for _, text in rows:  # a set of quads: the same quad twice counts once
        if text not in seen:
            seen.add(text)
            out.append(text)
    return "".join(out)


def hash_text(text: str) -> str:
    """The 43 characters of the hash of ``text``: SHA-256 of its UTF-8, two zero bits appended, Base64 (URL-safe).

    >>> hash_text("")
    '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    # 256 bits and two zero bits are 258 = 43 x 6: exactly the unpadded Base64 of the digest
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def code_of(quads: Iterable[ox.Quad], code: str | None = None) -> str:
    """The ``RA`` artifact code of ``quads``; ``code`` is the code their IRIs already carry (or a placeholder)."""
    return MODULE + hash_text(normal_form(quads, code))


def verify(quads: Iterable[ox.Quad], iri: str) -> bool:
    """Whether ``iri`` is a trusty URI of kind RA whose code matches the hash of ``quads``."""
    code = artifact_code(iri)
    if code is None:
        raise TrustyError(f"<{iri}> carries no artifact code of module RA")
    return code_of(quads, code) == code
