"""The one results module: term conversion, and SPARQL JSON/XML/CSV/TSV that W3C-conformant readers read back."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Literal, URIRef

from rightsgraph.sparql import results
from rightsgraph.sparql.results import Result

X = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """A store whose values try every corner the formats escape: quotes, tabs, new lines, tags, types."""
    st = ox.Store()
    values = [ox.Literal("plain"), ox.Literal('say "hi", then\tgo\nhome\r\\'), ox.Literal("Yodok", language="en"),
              ox.Literal("15", datatype=ox.NamedNode(X + "integer")), ox.Literal("2.5", datatype=ox.NamedNode(X + "decimal")),
              ox.Literal("5", datatype=ox.NamedNode(X + "decimal")),
              ox.Literal("true", datatype=ox.NamedNode(X + "boolean")), ox.Literal("1999", datatype=ox.NamedNode(X + "gYear")),
              ox.Literal("<&>'"), ox.Literal(" lead and trail\n"), ox.Literal("한국어"), ox.Literal("cr\rlf\r\n"),
              ox.Literal(" "), ox.NamedNode("urn:o"), ox.BlankNode("b1")]
    for i, v in enumerate(values):
        st.add(ox.Quad(ox.NamedNode(f"urn:s{i:02d}"), ox.NamedNode("urn:p"), v))
    st.add(ox.Quad(ox.BlankNode("b2"), ox.NamedNode("urn:p"), ox.Literal("from a blank node")))
    return st


SELECT_ALL = "SELECT ?s ?o ?none WHERE { ?s <urn:p> ?o } ORDER BY ?s ?o"


def ox_rows(store) -> Result:
    solutions = store.query(SELECT_ALL)
    names = [v.value for v in solutions.variables]
    return Result(names, [tuple(sol[n] for n in names) for sol in solutions])


def rdflib_rows(store) -> Result:
    res = ox_rows(store)
    return Result(res.vars, [tuple(results.from_ox(t) for t in row) for row in res.rows])


def parsed(data: bytes, fmt: str) -> list[tuple]:
    solutions = ox.parse_query_results(data, getattr(ox.QueryResultsFormat, fmt.upper()))
    names = [v.value for v in solutions.variables]
    return [names] + [tuple(sol[n] for n in names) for sol in solutions]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
@pytest.mark.parametrize("rows", [ox_rows, rdflib_rows])
def test_written_results_read_back_as_pyoxigraph_writes_them(store, fmt, rows):
    """What our writer writes, a conformant reader (Oxigraph's) reads as the same terms as Oxigraph's own output."""
    ours = results.write(rows(store), fmt)
    theirs = results.write(store.query(SELECT_ALL), fmt)  # pyoxigraph's serializer
    assert parsed(ours, fmt) == parsed(theirs, fmt)


def test_json_and_xml_are_what_pyoxigraph_writes_byte_for_byte_on_plain_values():
    st = ox.Store()
    st.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x", language="ko")))
    st.add(ox.Quad(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("7", datatype=ox.NamedNode(X + "integer"))))
    q = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    for fmt in ("json", "xml", "tsv"):
        assert results.write(ox_rows_of(st, q), fmt) == results.write(st.query(q), fmt), fmt


def ox_rows_of(st, q) -> Result:
    solutions = st.query(q)
    names = [v.value for v in solutions.variables]
    return Result(names, [tuple(sol[n] for n in names) for sol in solutions])


def test_csv_is_rfc4180_with_plain_values(store):
    data = results.write(rdflib_rows(store), "csv")
    assert data.endswith(b"\r\n") and data.startswith(b"s,o,none\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == ["s", "o", "none"]
    values = {r[0]: r[1] for r in rows[1:]}
    assert values["urn:s01"] == 'say "hi", then\tgo\nhome\r\\'
    assert values["urn:s14"] == "_:b1" and all(r[2] == "" for r in rows[1:])


def test_tsv_writes_terms_and_bare_numbers():
    res = Result(["a", "b", "c", "d"], [(Literal(15), Literal("5", datatype=XSD.decimal), Literal("2.5", datatype=XSD.decimal),
                                         Literal("x\ty", lang="en")),
                                        (URIRef("urn:x"), BNode("b"), Literal(True), None),
                                        # pyoxigraph terms keep a lexical form as written (rdflib would normalize it)
                                        tuple(ox.Literal(v, datatype=ox.NamedNode(X + dt)) for v, dt in
                                              [("1.5E3", "double"), ("1500", "double"), ("yes", "boolean"), ("-0", "integer")])])
    data = results.write(res, "tsv")
    lines = data.decode().split("\n")
    assert lines[0] == "?a\t?b\t?c\t?d"
    assert lines[1] == f'15\t"5"^^<{X}decimal>\t2.5\t"x\\ty"@en'
    assert lines[2] == "<urn:x>\t_:b\ttrue\t"
    assert lines[3] == f'1.5E3\t"1500"^^<{X}double>\t"yes"^^<{X}boolean>\t-0'
    back = parsed(data, "tsv")[1:]
    assert [results.from_ox(t) for t in back[0]] == [Literal(15), Literal("5", datatype=XSD.decimal),
                                                      Literal("2.5", datatype=XSD.decimal), Literal("x\ty", lang="en")]


def test_json_bindings_leave_unbound_out_and_simple_strings_untyped(store):
    doc = json.loads(results.write(rdflib_rows(store), "json"))
    assert doc["head"]["vars"] == ["s", "o", "none"]
    first = doc["results"]["bindings"][0]
    assert "none" not in first
    plain = next(b["o"] for b in doc["results"]["bindings"] if b["o"]["value"] == "plain")
    assert plain == {"type": "literal", "value": "plain"}
    tagged = next(b["o"] for b in doc["results"]["bindings"] if b["o"]["value"] == "Yodok")
    assert tagged == {"type": "literal", "value": "Yodok", "xml:lang": "en"}


def test_json_bindings_convert_back_to_the_same_rdflib_terms(store):
    res = rdflib_rows(store)
    doc = json.loads(results.write(res, "json"))
    back = [tuple(results.from_json_binding(b.get(v)) for v in doc["head"]["vars"]) for b in doc["results"]["bindings"]]
    assert back == res.rows


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_yes_no_answers_are_written_as_pyoxigraph_writes_them(store, fmt):
    assert results.write(True, fmt) == results.write(store.query("ASK { ?s ?p ?o }"), fmt)
    assert results.write(False, fmt) == results.write(store.query("ASK { <urn:nothing> ?p ?o }"), fmt)


def test_write_to_a_stream_and_pretty_json():
    res = Result(["n"], [(Literal(1),)])
    out = io.BytesIO()
    assert results.write(res, "json", out) is None and json.loads(out.getvalue())["head"]["vars"] == ["n"]
    assert results.write(res, "json", indent=1).startswith(b'{\n "head"')
    with pytest.raises(ValueError, match="unknown result format"):
        results.write(res, "yaml")


def test_plain_values_for_spreadsheets():
    out = io.StringIO()
    results.write_plain(Result(["a", "b"], [(Literal("x\ty"), URIRef("urn:z")), (None, BNode("q"))]), out, "\t")
    assert out.getvalue() == 'a\tb\n"x\ty"\turn:z\n\tq\n'


def test_from_ox_and_from_json_binding_agree():
    cases = [(ox.NamedNode("urn:a"), {"type": "uri", "value": "urn:a"}),
             (ox.BlankNode("b"), {"type": "bnode", "value": "b"}),
             (ox.Literal("x"), {"type": "literal", "value": "x", "datatype": X + "string"}),
             (ox.Literal("x", language="en"), {"type": "literal", "value": "x", "xml:lang": "en"}),
             (ox.Literal("3", datatype=ox.NamedNode(X + "integer")), {"type": "literal", "value": "3", "datatype": X + "integer"})]
    for term, binding in cases:
        assert results.from_ox(term) == results.from_json_binding(binding)
    assert results.from_ox(None) is None and results.from_json_binding(None) is None
    assert results.from_ox(ox.DefaultGraph()) is None
    assert results.from_ox(ox.Literal("x")) == Literal("x") and results.from_ox(ox.Literal("x")).datatype is None
