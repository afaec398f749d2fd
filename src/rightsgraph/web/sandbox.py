"""Running SPARQL queries for the server: in worker processes that can be stopped at a timeout.

pyoxigraph cannot cancel a running query, so each query runs in a worker process holding the store
open read-only; a query that passes the timeout has its worker killed (freeing its memory and
CPU) and a fresh worker takes its place, while the other workers keep answering.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass

import pyoxigraph as ox

from rightsgraph.sparql import results

#: The result formats of rows and of yes/no answers: media type -> format of :func:`results.write`.
_SOLUTION_FORMATS = {**{media: fmt for fmt, media in results.FORMATS.items()}, "application/json": "json"}
#: Media types of rows and of yes/no answers, the first one the default.
SOLUTION_TYPES = list(_SOLUTION_FORMATS)
#: Formats of graph answers (construct and describe queries), by media type.
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/trig": ox.RdfFormat.TRIG, "application/ld+json": ox.RdfFormat.JSON_LD}


class QueryTimeout(Exception):
    """The query ran past the timeout and was stopped."""


class QueryRejected(Exception):
    """The query is not acceptable (syntax error, or a form this endpoint does not run)."""


@dataclass
class Answer:
    """A serialized result: status, media type, body, and whether rows were cut at the cap."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """Pick the offered media type the Accept header prefers; None if it accepts none of them.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SOLUTION_TYPES)
    'application/sparql-results+xml'
    >>> negotiate("image/png", SOLUTION_TYPES) is None
    True
    """
    if not accept or not accept.strip():
        return offered[0]
    best, best_q = None, 0.0
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if mtype in ("*/*", ""):
            match = offered[0]
        elif mtype.endswith("/*"):
            match = next((o for o in offered if o.startswith(mtype[:-1])), None)
        else:
            match = mtype if mtype in offered else None
        if match and (q > best_q):
            best, best_q = match, q
    return best


def execute(st: ox.Store, job: dict) -> Answer:
    """Run one query on an open store and serialize its result (called inside a worker)."""
    kwargs = {}
    if job.get("default_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    try:
        result = st.query(job["query"], **kwargs)
    except SyntaxError as exc:
        return Answer(400, "text/plain; charset=utf-8", f"SPARQL syntax error: {exc}".encode())
    cap = job["max_rows"]
    if isinstance(result, (bool, ox.QueryBoolean)):
        media = negotiate(job["accept"], SOLUTION_TYPES)
        if media is None:
            return Answer(406, "text/plain; charset=utf-8", b"ASK results are available as " + ", ".join(SOLUTION_TYPES).encode())
        return Answer(200, media, results.write(result, _SOLUTION_FORMATS[media]))
    if isinstance(result, ox.QuerySolutions):
        media = negotiate(job["accept"], SOLUTION_TYPES)
        if media is None:
            return Answer(406, "text/plain; charset=utf-8", b"Rows are available as " + ", ".join(SOLUTION_TYPES).encode())
        names = [v.value for v in result.variables]
        rows, truncated = [], False
        for sol in result:
            if len(rows) == cap:
                truncated = True
                break
            rows.append(tuple(sol[n] for n in names))
        return Answer(200, media, results.write(results.Result(names, rows), _SOLUTION_FORMATS[media]), truncated)
    media = negotiate(job["accept"], list(GRAPH_TYPES))
    if media is None:
        return Answer(406, "text/plain; charset=utf-8", b"Graphs (construct and describe) are available as " + ", ".join(GRAPH_TYPES).encode())
    triples, truncated = [], False
    for t in result:
        if len(triples) == cap:
            truncated = True
            break
        triples.append(t)
    return Answer(200, media, ox.serialize(triples, format=GRAPH_TYPES[media]), truncated)


def _worker(store_path: str, conn) -> None:
    st = ox.Store.read_only(store_path)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            answer = execute(st, job)
        except Exception as exc:  # a failure of one query must not end the worker
            answer = Answer(500, "text/plain; charset=utf-8", f"query failed: {exc}".encode())
        conn.send(answer)


class Runner:
    """A pool of query workers over one store, with a timeout and a row cap."""

    def __init__(self, store_path: str, workers: int = 2, timeout: float = 30.0, max_rows: int = 10_000):
        self.store_path, self.timeout, self.max_rows = str(store_path), timeout, max_rows
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._all: list = []
        for _ in range(workers):
            self._idle.put(self._spawn())

    def _spawn(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(self.store_path, child), daemon=True)
        proc.start()
        with self._lock:
            self._all.append(proc)
        return proc, parent

    def run(self, query: str, accept: str | None, default_graphs=None, named_graphs=None) -> Answer:
        """Run ``query`` in a free worker; raise QueryTimeout if it does not finish in time."""
        try:
            proc, conn = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"no worker became free within {self.timeout:g} s") from None
        conn.send({"query": query, "accept": accept, "default_graphs": default_graphs or [],
                   "named_graphs": named_graphs or [], "max_rows": self.max_rows})
        if conn.poll(self.timeout):
            answer = conn.recv()
            self._idle.put((proc, conn))
            return answer
        proc.kill()  # stops the query and frees what it held
        proc.join(5)
        conn.close()
        with self._lock:
            self._all.remove(proc)
        self._idle.put(self._spawn())
        raise QueryTimeout(f"the query ran past the {self.timeout:g} s timeout and was stopped")

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for proc in self._all:
                proc.kill()
            self._all.clear()
