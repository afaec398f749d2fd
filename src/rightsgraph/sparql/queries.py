"""Named SPARQL queries (``queries/*.rq``) and running any query on the store, rdflib or a remote endpoint.

A named query is a file whose first line is a comment with the question it answers. Parameters
are declared in the header as ``# @param name = <default term> -- what it is`` and bound without
splicing user text into the query: the value becomes an RDF term, written escaped (``Literal.n3()``)
in a ``VALUES`` block at the head of the outermost group, the same way on every engine.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Dataset, Literal, URIRef
from rdflib.util import from_n3

from rightsgraph.errors import UsageError
from rightsgraph.namespaces import PREFIXES, entity_iri, sparql_prologue
from rightsgraph.sparql import remote
from rightsgraph.sparql.results import Result, from_ox

__all__ = ["NamedQuery", "Result", "bind", "named", "parse", "plain_error", "resolve", "run", "run_any", "with_values"]

_PARAM_RE = re.compile(r"^#\s*@param\s+\??(\w+)\s*=\s*(.+?)(?:\s+--\s+(.*))?\s*$")


@dataclass
class NamedQuery:
    """A query file of ``queries/``: its name, question, parameters and text."""

    name: str
    question: str
    text: str
    params: dict[str, object] = field(default_factory=dict)
    param_help: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def parse(text: str, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read a query's question (first comment line) and declared parameters.

    >>> q = parse('# Who?\\n# @param who = "x" -- a name\\n')
    >>> q.question, q.params, q.param_help
    ('Who?', {'who': rdflib.term.Literal('x')}, {'who': 'a name'})
    """
    lines = text.splitlines()
    question = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""
    q = NamedQuery(name=name, question=question, text=text, path=path)
    for line in lines:
        m = _PARAM_RE.match(line)
        if m:
            q.params[m.group(1)] = from_n3(m.group(2))
            q.param_help[m.group(1)] = m.group(3) or ""
    return q


#: The four query forms, by which a query given inline is told from a name (case is ignored).
_QUERY_FORM = re.compile(r"\b(select|ask|construct|describe)\b", re.IGNORECASE)


def named(folder: Path) -> dict[str, NamedQuery]:
    """Return every named query of ``folder`` (the project's ``queries/``, ``paths.queries``), by name (the file
    name without ``.rq``)."""
    if folder is None:
        raise TypeError("named() takes the project's queries folder (paths.queries)")
    return {p.stem: parse(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.rq"))}


def resolve(spec: str, folder: Path | None) -> NamedQuery:
    """Find a query by name in ``folder`` (the project's ``queries/``), by ``.rq`` path, or take ``spec`` as SPARQL text.

    Query text (it has a query form and a brace) needs no folder.
    """
    if folder is None and "{" in spec and _QUERY_FORM.search(spec):
        return parse(spec)
    queries = named(folder)
    if spec in queries:
        return queries[spec]
    path = Path(spec)
    if spec.endswith(".rq"):
        if not path.exists():
            raise UsageError(f"no query file {spec}")
        q = parse(path.read_text(encoding="utf-8"), path.stem, path)
        q.text = sparql_prologue() + q.text  # the project's prefixes; the file's own PREFIX lines come later and win
        return q
    if _QUERY_FORM.search(spec):
        q = parse(spec)
        q.text = sparql_prologue() + q.text
        return q
    close = difflib.get_close_matches(spec, list(queries), n=3, cutoff=0.6) or [n for n in queries if spec.lower() in n]
    hint = f"did you mean {', '.join(close)}?" if close else "`rightsgraph query --list` shows them"
    raise UsageError(f"no named query {spec!r}: {hint}")


_ERROR_AT = re.compile(r"error at (\d+):(\d+)")


def plain_error(message: str, text: str, name: str = "query") -> str:
    """One plain line for a SPARQL engine's syntax error: where, the words it expected (not character classes).

    >>> plain_error("error at 1:10: expected one of Prefix not found, ['%']", "select * { ?s foo:p ?o }")[:70]
    'SPARQL syntax error in query at line 1, column 10: unknown prefix foo:'
    >>> plain_error("error at 1:18: expected one of LATERAL, SERVICE, [_]", "select * { ?s ?p ?o LIMIT 2")
    "SPARQL syntax error in query at line 1, column 18 near 'ect * { ?s ?p ?o LIMIT 2'; expected LATERAL, SERVICE"
    """
    m = _ERROR_AT.search(message)
    prologue = sparql_prologue()
    user = text[len(prologue):] if text.startswith(prologue) else text  # positions as the user wrote the query
    where, near = "", ""
    if m:
        line_no, col = int(m.group(1)) - (prologue.count("\n") if text.startswith(prologue) else 0), int(m.group(2))
        where = f" at line {line_no}, column {col}"
        lines = user.splitlines()
        if 1 <= line_no <= len(lines):
            near = f" near {lines[line_no - 1][max(0, col - 15):col + 10].strip()!r}"
    if "Prefix not found" in message:
        used = set(re.findall(r"(?<![\w<?$])([A-Za-z][\w-]*):(?!//)", user)) - set(PREFIXES)
        declared = set(re.findall(r"(?i)PREFIX\s+([\w-]*):", user))
        unknown = sorted(used - declared) or ["?"]
        return (f"SPARQL syntax error in {name}{where}: unknown prefix {', '.join(u + ':' for u in unknown)} "
                f"(known: {', '.join(sorted(PREFIXES))}; declare others with PREFIX)")
    words = re.findall(r"\b([A-Z][A-Za-z]+)\b", message.split("expected", 1)[-1]) if "expected" in message else []
    expected = f"; expected {', '.join(dict.fromkeys(words))}" if words else ""
    return f"SPARQL syntax error in {name}{where}{near}{expected}"


def bind(query: NamedQuery, given: dict[str, str]) -> dict[str, object]:
    """Return the terms to bind: declared defaults overridden by ``given`` (name -> text).

    A value for a parameter whose default is an IRI may be an IRI in ``<...>``, a full IRI, or
    an entity id (``facility/kwanliso-15``); otherwise it is typed like the default.
    """
    terms = dict(query.params)
    for name, raw in given.items():
        if name not in query.params:
            known = ", ".join(query.params) or "none"
            raise UsageError(f"query {query.name!r} has no parameter {name!r} (parameters: {known})")
        default = query.params[name]
        if isinstance(default, URIRef):
            if raw.startswith("<") and raw.endswith(">"):
                raw = raw[1:-1]
            if re.match(r"^[a-z]+/[a-z0-9-]+$", raw):
                terms[name] = entity_iri(*raw.split("/", 1))
            elif re.match(r"^[a-z][a-z0-9+.-]*:", raw):
                terms[name] = URIRef(raw)
            else:
                raise UsageError(f"parameter {name!r} takes an IRI or an entity id like facility/kwanliso-15, not {raw!r}")
        elif isinstance(default, Literal) and default.datatype == XSD.integer:
            try:
                terms[name] = Literal(int(raw))
            except ValueError:
                raise UsageError(f"parameter {name!r} takes a whole number, not {raw!r}") from None
        else:
            terms[name] = Literal(raw)
    return terms


_CLAUSE_END = re.compile(r"(?i)(WHERE\b|\{|\}|LIMIT\b|OFFSET\b|HAVING\b|VALUES\b)")
_IRI = re.compile(r"<[^\s<>\"{}|^`\\]*>")
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@functools.lru_cache(maxsize=256)
def _binding_plan(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...], int | None]:
    """Cut a query once into pieces, noting which pieces are variables a binding may replace and where the
    outermost group opens (``with_values`` then only fills them in: a lookup is asked thousands of times)."""
    pieces: list[str] = []
    slots: list[tuple[int, str]] = []
    head: int | None = None
    keep_vars = False  # inside a projection or a GROUP BY / ORDER BY list
    previous_word = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j += 1
        elif c == "<" and _IRI.match(text, i):
            j = text.find(">", i) + 1
        elif c in "?$":
            m = _VAR.match(text, i)
            j = m.end() if m else i + 1
            if m and head is not None and not keep_vars and previous_word.upper() != "AS":
                slots.append((len(pieces), m.group(1)))
                pieces.append(text[i:j])
                i, previous_word = j, ""
                continue
        elif c.isalpha():
            m = _WORD.match(text, i)
            j = m.end()
            word = m.group(0).lower()
            if word == "select" or (word == "by" and previous_word.lower() in ("group", "order")):
                keep_vars = True
            elif _CLAUSE_END.match(text, i):
                keep_vars = False
            previous_word = m.group(0)
        elif c == "{":
            keep_vars = False
            if head is None:
                head = len(pieces) + 1
            j = i + 1
        else:
            if c == "}":
                keep_vars = False
            j = i + 1
        if not c.isspace() and not c.isalpha():
            previous_word = previous_word if c in "?$" else ""
        pieces.append(text[i:j])
        i = j
    return tuple(pieces), tuple(slots), head


def with_values(text: str, terms: dict[str, object]) -> str:
    """Bind parameters: each variable becomes its escaped RDF term in the query's patterns, and a VALUES block at
    the head of the outermost group keeps it bound for the projection.

    The terms are written with ``n3()`` (escaped), never spliced as user text. Writing them into the
    patterns themselves, rather than only in a VALUES block, lets every engine start from the bound
    entity (Oxigraph does not push a VALUES binding into the branches of a UNION). Occurrences that
    must stay variables are left alone: after ``AS``, in a sub-select's projection, after GROUP BY
    or ORDER BY. ``tests/sparql/test_queries.py`` shows what it makes of a query.
    """
    if not terms:
        return text
    pieces, slots, head = _binding_plan(text)
    if head is None:
        raise UsageError("cannot bind parameters: the query has no group pattern")
    out = list(pieces)
    written = {name: term.n3() for name, term in terms.items()}
    for index, name in slots:
        if name in written:
            out[index] = written[name]
    block = "VALUES (" + " ".join(f"?{n}" for n in written) + ") { (" + " ".join(written.values()) + ") }\n"
    out.insert(head, "\n" + block)
    return "".join(out)


def with_rows(text: str, name: str, terms) -> str:
    """Give the variable ``name`` one row per term: a VALUES block at the head of the outermost group
    (the terms written escaped with ``n3()``).

    For a query asked about a list of things an earlier one found (the provenance of exactly these claims):
    at the head, Oxigraph starts from them; as a trailing VALUES clause it scans the store (seconds on a
    million quads).
    """
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.find(">", i) + 1
        elif c == "{":
            block = f"\nVALUES ?{name} {{ " + " ".join(t.n3() for t in terms) + " }\n"
            return text[:i + 1] + block + text[i + 1:]
        else:
            i += 1
    raise UsageError("cannot bind rows: the query has no group pattern")


def run(target, query: NamedQuery | str, params: dict[str, str] | None = None, timeout: float = 30.0,
        folder: Path | None = None) -> Result:
    """Run a query that answers with rows on a pyoxigraph Store, an rdflib Dataset, or an endpoint URL.

    ``query`` is a :class:`NamedQuery`, or a name, ``.rq`` path or text that :func:`resolve` finds in
    ``folder`` (the project's ``queries/``).

    >>> from rightsgraph import paths
    >>> from rightsgraph.store import embedded as store
    >>> project = paths.discover(".")
    >>> res = run(store.open(project.store), "coi-members", folder=project.queries)
    >>> sorted({(str(name), str(role)) for _, name, role, *_ in res.rows})[:2]
    [('Marzuki Darusman', 'member'), ('Michael Kirby', 'chair')]
    """
    if isinstance(query, str):
        query = resolve(query, folder)
    text = with_values(query.text, bind(query, params or {}))
    if isinstance(target, ox.Store):
        try:
            res = target.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(plain_error(str(exc), text, query.name)) from None
        if not isinstance(res, ox.QuerySolutions):
            raise UsageError(f"{query.name} is not a select query: it must answer with rows")
        names = [v.value for v in res.variables]
        return Result(names, [tuple(from_ox(sol[v]) for v in names) for sol in res])
    if isinstance(target, Dataset):
        res = target.query(text)
        names = [str(v) for v in res.vars]
        return Result(names, [tuple(row) for row in res])
    if isinstance(target, str):
        return remote.select(target, text, timeout=timeout)
    raise TypeError(f"cannot run a query on {type(target).__name__}")


def run_any(target, query: NamedQuery, params: dict[str, str] | None = None, timeout: float = 30.0):
    """Run a query of any of the four forms: rows (select) as a :class:`Result`, ask as a bool, construct and
    describe as a list of triples (pyoxigraph's on a Store, rdflib's on a Dataset). Remote endpoints answer select here (see :mod:`remote`)."""
    form = _QUERY_FORM.search(re.sub(r"(?m)#.*$|<[^>]*>|\"[^\"]*\"", "", query.text))
    if form is None or form.group(1).lower() == "select" or isinstance(target, str):
        if isinstance(target, str) and form is not None and form.group(1).lower() != "select":
            raise UsageError(f"{form.group(1).lower()} queries on a remote endpoint are not supported here: use a select query, or "
                             "query the endpoint directly")
        return run(target, query, params, timeout)
    text = with_values(query.text, bind(query, params or {}))
    if isinstance(target, ox.Store):
        try:
            res = target.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(plain_error(str(exc), text, query.name)) from None
        if isinstance(res, ox.QueryBoolean):
            return bool(res)
        return list(res)
    if isinstance(target, Dataset):
        res = target.query(text)
        return bool(res.askAnswer) if res.type == "ASK" else list(res)  # rdflib triples
    raise TypeError(f"cannot run a query on {type(target).__name__}")
