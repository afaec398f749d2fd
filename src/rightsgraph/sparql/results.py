"""Query results: the :class:`Result` of a query, the one conversion of terms into rdflib's, and the one
writer of the W3C result formats (SPARQL 1.1 JSON, XML, CSV and TSV).

Every engine's answer ends up here: :func:`from_ox` reads pyoxigraph's terms, :func:`from_json_binding`
a remote endpoint's SPARQL JSON, and :func:`write` writes a result for the command line, the server's
endpoint and anyone else. A result that pyoxigraph produced whole (``QuerySolutions``, ``QueryBoolean``)
is written by pyoxigraph's own serializers; a :class:`Result` (rows of rdflib or pyoxigraph terms) by
the small writer below, which writes what W3C-conformant clients read.

>>> from rdflib import Literal, URIRef
>>> write(Result(["s", "n"], [(URIRef("urn:x"), Literal(3))]), "tsv")
b'?s\\t?n\\n<urn:x>\\t3\\n'
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

_XSD = str(XSD)
_XSD_STRING = str(XSD.string)

#: The result formats :func:`write` writes: name -> media type.
FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_OX_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


@dataclass
class Result:
    """The answer to a query: variable names and rows of terms (None where unbound).

    :func:`rightsgraph.sparql.queries.run` gives rows of rdflib terms; :func:`write` also takes rows of
    pyoxigraph terms (the server writes those without converting them).
    """

    vars: list[str]
    rows: list[tuple]

    def as_strings(self) -> list[tuple]:
        """Rows with each term as its plain string value ('' where unbound)."""
        return [tuple("" if t is None else str(t) for t in row) for row in self.rows]


# --------------------------------------------------------------------------------------------
# Terms: pyoxigraph's and SPARQL JSON's, read as rdflib's
# --------------------------------------------------------------------------------------------

_CONVERTED: dict = {}  # pyoxigraph term -> rdflib term: rdflib builds a Literal slowly, and answers repeat terms
_CONVERTED_KEPT = 50_000


def from_ox(term):
    """Convert a pyoxigraph term (or None) to an rdflib term (or None); ``xsd:string`` becomes a simple literal.

    >>> from_ox(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if term is None:
        return None
    converted = _CONVERTED.get(term)
    if converted is None:
        converted = _convert(term)
        if len(_CONVERTED) >= _CONVERTED_KEPT:
            _CONVERTED.clear()
        _CONVERTED[term] = converted
    return converted


def _convert(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # a simple literal: rdflib's spelling of xsd:string
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r}")


def from_json_binding(binding: dict | None):
    """Convert one binding of SPARQL JSON results (or None where unbound) to an rdflib term, as :func:`from_ox` would.

    >>> from_json_binding({"type": "literal", "value": "Yodok", "xml:lang": "en"})
    rdflib.term.Literal('Yodok', lang='en')
    """
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    dtype = binding.get("datatype")
    if dtype == _XSD_STRING:
        dtype = None  # a simple literal, as the local engines give it
    return Literal(value, datatype=URIRef(dtype) if dtype else None)


def _parts(term) -> tuple[str, str, str | None, str | None]:
    """(kind, value, language, datatype) of an rdflib or pyoxigraph term; no datatype for a simple or tagged string."""
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.Literal):
        if term.language:
            return "literal", term.value, term.language, None
        dt = term.datatype.value
        return "literal", term.value, None, None if dt == _XSD_STRING else dt
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, Literal):
        if term.language:
            return "literal", str(term), term.language, None
        dt = None if term.datatype is None else str(term.datatype)
        return "literal", str(term), None, None if dt == _XSD_STRING else dt
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    raise TypeError(f"cannot write {term!r} as a query result")


# --------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------

def write(result, fmt: str, out: BinaryIO | None = None, indent: int | None = None) -> bytes | None:
    """Write a query result as SPARQL 1.1 results in ``fmt`` (json, xml, csv, tsv) to ``out``, or return the bytes.

    ``result`` is a :class:`Result`, a boolean (the answer to a yes/no query), or pyoxigraph's own
    ``QuerySolutions`` / ``QueryBoolean``, which pyoxigraph serializes itself. ``indent`` pretty-prints
    JSON (the command line's choice); the other formats have one layout.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown result format {fmt!r}: {', '.join(FORMATS)}")
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)) and indent is None:
        if out is None:
            return result.serialize(format=_OX_FORMATS[fmt])
        result.serialize(out, format=_OX_FORMATS[fmt])
        return None
    if isinstance(result, ox.QueryBoolean):
        result = bool(result)
    elif isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        result = Result(names, [tuple(sol[n] for n in names) for sol in result])
    if isinstance(result, bool):
        data = _boolean(result, fmt)
    else:
        data = _WRITERS[fmt](result, indent)
    if out is None:
        return data
    out.write(data)
    return None


def _boolean(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":%s}' % word).encode()
    if fmt == "xml":
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
                f"<boolean>{word}</boolean></sparql>").encode()
    return word.encode()


def _json(result: Result, indent: int | None) -> bytes:
    def term(t) -> dict:
        kind, value, lang, dt = _parts(t)
        out = {"type": kind, "value": value}
        if lang:
            out["xml:lang"] = lang
        elif dt:
            out["datatype"] = dt
        return out

    doc = {"head": {"vars": list(result.vars)},
           "results": {"bindings": [{n: term(t) for n, t in zip(result.vars, row) if t is not None}
                                    for row in result.rows]}}
    separators = (",", ":") if indent is None else None
    return json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators).encode("utf-8")


def _xml_escape(text: str) -> str:
    """Text as XML character data or an attribute value; a carriage return and white space at either end as
    character references, which XML readers would otherwise normalize or trim."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("\r", "&#13;")
    if text[:1].isspace() or text[-1:].isspace():
        stripped = text.strip()
        if not stripped:
            return "".join(f"&#{ord(c)};" for c in text)
        start, end = text.index(stripped), text.index(stripped) + len(stripped)
        text = "".join(f"&#{ord(c)};" for c in text[:start]) + stripped + "".join(f"&#{ord(c)};" for c in text[end:])
    return text


def _xml(result: Result, indent: int | None) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
    out.write("".join(f'<variable name="{_xml_escape(n)}"/>' for n in result.vars))
    out.write("</head><results>")
    for row in result.rows:
        out.write("<result>")
        for n, t in zip(result.vars, row):
            if t is None:
                continue
            kind, value, lang, dt = _parts(t)
            if kind == "literal":
                attrs = f' xml:lang="{_xml_escape(lang)}"' if lang else (f' datatype="{_xml_escape(dt)}"' if dt else "")
                cell = f"<literal{attrs}>{_xml_escape(value)}</literal>"
            else:
                cell = f"<{kind}>{_xml_escape(value)}</{kind}>"
            out.write(f'<binding name="{_xml_escape(n)}">{cell}</binding>')
        out.write("</result>")
    out.write("</results></sparql>")
    return out.getvalue().encode("utf-8")


_CSV_QUOTE = re.compile(r'[",\n\r]')


def _csv(result: Result, indent: int | None) -> bytes:
    def cell(t) -> str:
        if t is None:
            return ""
        kind, value, _, _ = _parts(t)
        text = "_:" + value if kind == "bnode" else value
        return '"' + text.replace('"', '""') + '"' if _CSV_QUOTE.search(text) else text

    lines = [",".join(result.vars)]
    lines += [",".join(cell(t) for t in row) for row in result.rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


#: Literals TSV (like Turtle) writes bare, by datatype: the lexical forms that read back as the same literal.
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def tsv_term(t) -> str:
    """A term as a cell of SPARQL TSV results: N-Triples syntax, with numbers and booleans bare ('' if unbound).

    >>> tsv_term(Literal("Camp 15\\tYodok", lang="en")), tsv_term(Literal(2.5))
    ('"Camp 15\\\\tYodok"@en', '"2.5"^^<http://www.w3.org/2001/XMLSchema#double>')
    """
    if t is None:
        return ""
    kind, value, lang, dt = _parts(t)
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:" + value
    bare = _BARE.get(dt)
    if bare is not None and bare.fullmatch(value):
        return value
    text = '"' + value.translate(_TSV_ESCAPES) + '"'
    return text + (f"@{lang}" if lang else f"^^<{dt}>" if dt else "")


def _tsv(result: Result, indent: int | None) -> bytes:
    lines = ["\t".join("?" + n for n in result.vars)] + ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_plain(result: Result, out: io.TextIOBase, delimiter: str = ",") -> None:
    """Write the plain values (lexical forms, '' where unbound) under a header of the variable names, one row a line.

    What the command line prints for ``--format csv`` and ``--format tsv``: values for a spreadsheet,
    not SPARQL TSV (whose cells are N-Triples terms). Fields are quoted as Python's csv module does.

    >>> import sys
    >>> write_plain(Result(["a", "b"], [(Literal("x,y"), None)]), sys.stdout)
    a,b
    "x,y",
    """
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.vars)
    writer.writerows(result.as_strings())
