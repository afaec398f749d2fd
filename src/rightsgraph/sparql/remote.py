"""Remote SPARQL 1.1 endpoints: run queries through SPARQLWrapper, and push the graph into a server.

``push`` loads every named graph with the SPARQL 1.1 Graph Store HTTP Protocol (a PUT per graph),
with SPARQL 1.1 Update (``INSERT DATA`` in batches), or as one dataset (a single POST of the whole
store as N-Quads, streamed), so the graph moves to any standard server.
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


def push(store: ox.Store, endpoint: str, method: str = "gsp", batch: int = 200, timeout: float = 60.0,
         progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Load every named graph of ``store`` into ``endpoint``; return the number of graphs sent.

    ``method="gsp"``: ``endpoint`` is a Graph Store Protocol URL (oxigraph: ``/store``), and each
    graph is replaced with a PUT ``?graph=<iri>``. ``method="update"``: ``endpoint`` is a SPARQL
    Update URL, and graphs are inserted with ``INSERT DATA`` in batches of ``batch`` graphs.
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
        for start in range(0, total, batch):
            chunk = graphs[start:start + batch]
            parts = []
            for g in chunk:
                triples = ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, g)),
                                       format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
                parts.append(f"GRAPH <{g.value}> {{\n{triples}}}")
            body = ("INSERT DATA {\n" + "\n".join(parts) + "\n}").encode("utf-8")
            _send(endpoint, "POST", body, "application/sparql-update", timeout)
            progress(min(start + batch, total), total)
    else:
        raise ValueError(f"unknown push method {method!r}: gsp, update or dataset")
    return total
