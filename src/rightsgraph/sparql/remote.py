"""Remote SPARQL 1.1 endpoints: run queries through SPARQLWrapper, and push the graph into a server.

``push`` loads every named graph with the SPARQL 1.1 Graph Store HTTP Protocol (a PUT per graph),
with SPARQL 1.1 Update (``INSERT DATA`` in batches), or as one dataset (a single POST of the whole
store as N-Quads, streamed), so the graph moves to any standard server.

The queries expect the default graph to be the union of the project's graphs. Oxigraph server
(``--union-default-graph``), Fuseki (``tdb2:unionDefaultGraph``) and GraphDB are set up that way.
Virtuoso needs nothing more: a query
without FROM already runs on the union of every graph it holds, and GRAPH ?g ranges over all of them.
That includes Virtuoso's own system graphs (``virtrdf#`` and two small ones, 2,496 triples on a fresh
7.2 server), so a count of every triple differs; give the project a Virtuoso of its own. Leaving
those graphs out was tried (Virtuoso's ``define input:default-graph-exclude`` and
``input:named-graph-exclude`` pragmas) and made it answer three named queries with no rows and one
with an error; listing the project's graphs with the protocol's ``default-graph-uri`` makes Virtuoso
echo each one back as a response header (1,617 of them; Python's HTTP client stops at 100).
"""

from __future__ import annotations

import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from rightsgraph.errors import EndpointError
from rightsgraph.sparql.results import Result, from_json_binding



def select(endpoint: str, text: str, timeout: float = 30.0) -> Result:
    """Run a query that answers with rows on ``endpoint``; raise EndpointError with a one-line reason on failure."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.setTimeout(int(max(1, timeout)))
    try:
        data = client.queryAndConvert()
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, SPARQLWrapperException) as exc:
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise EndpointError(f"SPARQL endpoint {endpoint} failed: {reason}") from None
    if not isinstance(data, dict) or "head" not in data:
        raise EndpointError(f"SPARQL endpoint {endpoint} did not return SPARQL JSON results")
    names = data["head"].get("vars", [])
    rows = [tuple(from_json_binding(b.get(v)) for v in names) for b in data["results"]["bindings"]]
    return Result(names, rows)


def _send(url: str, method: str, body: bytes | Iterable[bytes], content_type: str, timeout: float) -> None:
    """Send ``body`` (bytes, or blocks sent with chunked transfer encoding) and read the answer."""
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(f"{method} {url} failed: HTTP {exc.code} {detail[0] if detail else exc.reason}") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
        raise EndpointError(f"{url} cannot be reached: {getattr(exc, 'reason', exc)}") from None


def nquads_blocks(store: ox.Store, size: int = 1 << 20) -> Iterator[bytes]:
    """The whole store as N-Quads, in blocks of ``size`` bytes, dumped by a thread into a pipe (constant memory)."""
    read_fd, write_fd = os.pipe()
    failed: list[BaseException] = []

    def dump() -> None:
        try:
            with os.fdopen(write_fd, "wb", buffering=size) as out:
                store.dump(out, ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # noqa: BLE001 - a closed reader ends the dump with BrokenPipeError
            failed.append(exc)

    writer = threading.Thread(target=dump, name="rightsgraph-nquads", daemon=True)
    writer.start()
    with os.fdopen(read_fd, "rb") as src:
        while block := src.read(size):
            yield block
    writer.join()
    if failed:
        raise failed[0]


def _insert_data_requests(store: ox.Store, graphs: list, batch: int) -> Iterator[tuple[bytes, int]]:
    """``INSERT DATA`` requests of at most ``batch`` triples each (a graph larger than that is split), each with
    the number of graphs complete once it is sent.

    The limit is in triples, not graphs: Virtuoso's SPARQL compiler runs out of memory on a request of a
    few thousand lines ("SP030 ... memory exhausted"), and the provenance graph alone is larger than that.
    """
    parts: list[str] = []
    size = 0
    for done, g in enumerate(graphs):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, g)]
        for start in range(0, len(triples), batch):
            chunk = triples[start:start + batch]
            if parts and size + len(chunk) > batch:
                yield ("INSERT DATA {" + "".join(parts) + "\n}").encode("utf-8"), done
                parts, size = [], 0
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            parts.append(f"\nGRAPH <{g.value}> {{\n{body}}}")
            size += len(chunk)
    if parts:
        yield ("INSERT DATA {" + "".join(parts) + "\n}").encode("utf-8"), len(graphs)


def push(store: ox.Store, endpoint: str, method: str = "gsp", batch: int = 1000, timeout: float = 60.0,
         progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Load every named graph of ``store`` into ``endpoint``; return the number of graphs sent.

    ``method="gsp"``: ``endpoint`` is a Graph Store Protocol URL (oxigraph: ``/store``), and each
    graph is replaced with a PUT ``?graph=<iri>``. ``method="update"``: ``endpoint`` is a SPARQL
    Update URL, and graphs are inserted with ``INSERT DATA`` in requests of at most ``batch`` triples.
    ``method="dataset"``: the whole store is added to the dataset at ``endpoint`` with one POST of
    N-Quads, streamed (oxigraph: ``/store``, or ``/store?no_transaction`` for its bulk loader);
    graphs already on the server are added to, not replaced.
    """
    graphs = sorted((g for g in store.named_graphs()), key=lambda g: g.value)
    total = len(graphs)
    if method == "dataset":
        _send(endpoint, "POST", nquads_blocks(store), "application/n-quads", timeout)
        progress(total, total)
    elif method == "gsp":
        for i, g in enumerate(graphs, 1):
            body = ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, g)),
                                format=ox.RdfFormat.N_TRIPLES)
            sep = "&" if "?" in endpoint else "?"
            _send(f"{endpoint}{sep}graph={urllib.parse.quote(g.value, safe='')}", "PUT", body,
                  "application/n-triples", timeout)
            progress(i, total)
    elif method == "update":
        for body, done in _insert_data_requests(store, graphs, batch):
            _send(endpoint, "POST", body, "application/sparql-update", timeout)
            progress(done, total)
    else:
        raise ValueError(f"unknown push method {method!r}: gsp, update or dataset")
    return total
