"""Running SPARQL queries for the server: in worker processes that can be stopped at a timeout.

pyoxigraph cannot cancel a running query, so each query runs in a worker process holding the store
open read-only; a query that passes the timeout has its worker killed (freeing its memory and
CPU) and a fresh worker takes its place, while the other workers keep answering.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from rightsgraph.sparql import results

#: The result formats of rows and of yes/no answers: media type -> format of :func:`results.write`.
_SOLUTION_FORMATS = {**{media: fmt for fmt, media in results.FORMATS.items()}, "application/json": "json"}
#: Media types of rows and of yes/no answers, the first one the default.
SOLUTION_TYPES = list(_SOLUTION_FORMATS)
#: Formats of graph answers (construct and describe queries), by media type.
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/trig": ox.RdfFormat.TRIG, "application/ld+json": ox.RdfFormat.JSON_LD}


#: Seconds after which a running query's worker is niced (lowest CPU priority) and, once it answers, replaced.
SLOW_AFTER = 0.25
#: Seconds a worker beyond the standing ones may stay idle before it is retired. Retiring one as soon as
#: two were idle made a busy server start and stop workers all the time (each start costs most of a second
#: of CPU): under 16 clients, more CPU went to starting workers than to answering queries.
RETIRE_AFTER = 10.0


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
    retire: bool = False


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


#: A lookup the server may answer itself, without a worker: prefix declarations, then a select of
#: variables (or ``*``) over exactly one triple pattern, an optional limit, nothing else (no filter,
#: optional, graph, service, sub-query, order, distinct, offset, comment or escape: the character classes
#: leave out the backslash, and ``#`` outside IRIs). Such a query is a scan of one index in which every quad
#: read is one row, so its cost is bounded by the rows it answers; anything else goes to a worker. The
#: keywords are matched case aside (spelt in lower case here). tests/web/test_sandbox.py checks with
#: rdflib's parser that every text this accepts is one triple pattern and nothing else.
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_PNAME = r"(?:[A-Za-z][A-Za-z0-9_-]*)?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*)"
_VAR = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_LITERAL = rf'"[^"\\\n\r]*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{_IRI}|{_PNAME}))?'
_LOOKUP = re.compile(
    rf"\s*(?:prefix\s+(?:[A-Za-z][A-Za-z0-9_-]*)?:\s*{_IRI}\s*)*"
    rf"select\s+(?:\*|(?:{_VAR}\s*)+?)\s*(?:where\s*)?\{{\s*"
    rf"(?P<s>{_IRI}|{_PNAME}|{_VAR})\s+(?P<p>{_IRI}|{_PNAME}|{_VAR}|a)\s+(?P<o>{_IRI}|{_PNAME}|{_VAR}|{_LITERAL})"
    rf"\s*\.?\s*\}}\s*(?:limit\s+[0-9]{{1,9}}\s*)?",
    re.IGNORECASE)


def is_lookup(query: str) -> bool:
    """Whether ``query`` is a one-pattern lookup (:data:`_LOOKUP`) with no variable repeated in it (a
    repeated variable filters the scan, so the rows would no longer bound its cost)."""
    m = _LOOKUP.fullmatch(query)
    if m is None:
        return False
    variables = [t for t in m.group("s", "p", "o") if t[0] in "?$"]
    return len(variables) == len(set(v[1:] for v in variables))


def execute(st: ox.Store, job: dict, most: int | None = None) -> Answer | None:
    """Run one query on an open store and serialize its result (called inside a worker).

    With ``most``: None as soon as the query gives more than ``most`` rows (the server's own answer to a
    lookup, :func:`is_lookup`, gives up there and hands the query to a worker).
    """
    kwargs = {}
    if job.get("default_graphs") is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    if job.get("base_iri"):
        kwargs["base_iri"] = job["base_iri"]
    try:
        result = st.query(job["query"], **kwargs)
    except SyntaxError as exc:
        first = " ".join(str(exc).split())  # Oxigraph's message spans lines: a reason is one line
        return Answer(400, "text/plain; charset=utf-8",
                      f"SPARQL syntax error: {first[:300]}{'...' if len(first) > 300 else ''}".encode())
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
            if most is not None and len(rows) == most:
                return None
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


def isolate_network() -> str | None:
    """Move this process into a new network namespace with no interfaces; None if done, else why not.

    After this, no socket of this process reaches any address, 127.0.0.1 included: a query that
    names a remote endpoint (SERVICE) fails inside the engine instead of connecting. Python 3.11
    has no ``os.unshare``, so libc's ``unshare(2)`` is called directly; without root, a new user
    namespace is made at the same time (allowed where unprivileged user namespaces are).
    """
    import ctypes
    import os

    libc = ctypes.CDLL(None, use_errno=True)
    flags = [CLONE_NEWNET] if os.geteuid() == 0 else []
    flags.append(CLONE_NEWNET | CLONE_NEWUSER)
    errors = []
    for f in flags:
        if libc.unshare(f) == 0:
            return None
        errors.append(os.strerror(ctypes.get_errno()))
    return "unshare(CLONE_NEWNET) refused: " + "; ".join(errors)


CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _worker(store_path: str, conn, max_memory: int | None) -> None:
    import resource

    # Before anything else (a new user namespace needs a single-threaded process): no network.
    refused = isolate_network()
    try:
        st = ox.Store.read_only(store_path)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which shows it
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    for _ in st.quads_for_pattern(None, None, None):  # touch the store, so its first query is not the slow one
        break
    if max_memory:
        # The cap is what queries may take beyond the opened store. A cap on the whole address space from the
        # start let the store's own threads fail to start (their stacks and malloc arenas are reserved address
        # space, 450-620 MB here, varying run to run), which aborted the worker before any query.
        limit = _address_space() + max_memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(("ready", refused))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = execute(st, job)
        except MemoryError:
            conn.send(Answer(503, "text/plain; charset=utf-8", _over_memory(max_memory), retire=True))
            return  # the worker's heap may be in pieces: the parent starts a fresh one
        except Exception as exc:  # a failure of one query must not end the worker
            answer = Answer(500, "text/plain; charset=utf-8", f"query failed: {exc}".encode())
        conn.send(answer)


def _address_space() -> int:
    """The bytes of address space this process holds now (VmSize; 0 where /proc is not there)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _over_memory(max_memory: int | None) -> bytes:
    cap = f"{max_memory // 2**20} MB" if max_memory else "the memory cap"
    return f"the query was stopped: it needed more memory than one query may use ({cap})".encode()


class WorkerUnavailable(Exception):
    """A worker could not be started (the store cannot be opened)."""


class _Worker:
    def __init__(self, proc, conn):
        self.proc, self.conn = proc, conn
        self.pid = proc.pid
        self.idle_since = time.monotonic()


class Runner:
    """A pool of query workers over one store: timeout, row cap, memory cap, and spare capacity.

    ``workers`` processes are kept ready. When a query leaves one idle worker or none, another is
    started in the background (up to ``max_workers``), so that a cheap query finds a free worker
    while slow ones run; an extra worker is retired once it has been idle for ``RETIRE_AFTER`` seconds. A worker that dies (killed, over its
    memory cap, crashed) is noticed on its next use or on its answer and replaced; the query it was
    running is answered 503 with the reason.
    """

    def __init__(self, store_path: str, workers: int = 2, timeout: float = 30.0, max_rows: int = 10_000,
                 max_memory_mb: int | None = 2048, max_workers: int | None = None):
        self.store_path, self.timeout, self.max_rows = str(store_path), timeout, max_rows
        self.workers = workers
        self.max_workers = max(max_workers or 2 * workers + 2, workers)
        self.max_memory = max_memory_mb * 2**20 if max_memory_mb else None
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._all: dict[int, _Worker] = {}
        self._starting = 0
        self._closed = False
        #: Why the workers are not network-isolated (None when they are); set by the first worker.
        self.isolation_refused: str | None = None
        first = [self._start() for _ in range(workers)]
        for w in first:
            self._idle.put(w)

    # -- workers --------------------------------------------------------------------------------
    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(self.store_path, child, self.max_memory), daemon=True)
        proc.start()
        child.close()
        if not parent.poll(60):
            proc.kill()
            raise WorkerUnavailable("a query worker did not start within 60 s")
        try:
            kind, note = parent.recv()
        except EOFError:
            proc.join(5)
            raise WorkerUnavailable(f"a query worker ended while starting (exit code {proc.exitcode})") from None
        if kind != "ready":
            proc.join(5)
            raise WorkerUnavailable(f"a query worker could not open the store: {note}")
        self.isolation_refused = note
        w = _Worker(proc, parent)
        with self._lock:
            self._all[w.pid] = w
        return w

    def _start_in_background(self) -> None:
        with self._lock:
            if self._closed or len(self._all) + self._starting >= self.max_workers:
                return
            self._starting += 1

        def go():
            try:
                w = self._start()
            except WorkerUnavailable:
                w = None
            finally:
                with self._lock:
                    self._starting -= 1
            if w is not None:
                if self._closed:
                    self._discard(w)
                else:
                    self._idle.put(w)

        threading.Thread(target=go, daemon=True).start()

    def _discard(self, w: _Worker) -> None:
        """Stop a worker and forget it."""
        try:
            w.proc.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
        w.proc.join(5)
        w.conn.close()
        with self._lock:
            self._all.pop(w.pid, None)

    def _replace(self, w: _Worker) -> None:
        self._discard(w)
        with self._lock:
            short = len(self._all) + self._starting < self.workers
        if short or self._idle.empty():
            self._start_in_background()

    def _checkout(self, deadline: float) -> _Worker:
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                self._start_in_background()
                try:
                    w = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    raise QueryTimeout(f"no worker became free within {self.timeout:g} s") from None
            if w.proc.is_alive():
                if self._idle.qsize() == 0:
                    # the last idle worker is taken: a spare is started for the next query before it is needed.
                    # (Starting one while another was still idle made every server start two spares at its
                    # first queries, each most of a second of CPU, taken from the requests then being served.)
                    self._start_in_background()
                return w
            self._replace(w)  # died while idle (e.g. killed): never a lost slot

    def _checkin(self, w: _Worker) -> None:
        if self._closed:
            self._discard(w)
            return
        w.idle_since = time.monotonic()
        self._idle.put(w)
        self._retire_idle()

    def _retire_idle(self) -> None:
        """Retire the extra workers (beyond ``workers``) idle for ``RETIRE_AFTER`` seconds: the idle queue is
        oldest first, so only its head needs looking at."""
        while True:
            with self._lock:
                if len(self._all) <= self.workers or self._idle.qsize() < 2:
                    return
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                return
            if time.monotonic() - w.idle_since < RETIRE_AFTER:
                self._idle.put(w)  # to the back: a busy server keeps its spare workers
                return
            self._discard(w)

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return list(self._all)

    # -- queries --------------------------------------------------------------------------------
    def run(self, query: str, accept: str | None, default_graphs=None, named_graphs=None,
            base_iri: str | None = None) -> Answer:
        """Run ``query`` in a free worker; raise QueryTimeout if it does not finish in time.

        ``default_graphs``/``named_graphs``: the dataset (None: the union of all graphs as the
        default graph, every graph named). A worker that dies while running the query gives a 503
        answer, and a fresh worker takes its place.
        """
        deadline = time.monotonic() + self.timeout
        job = {"query": query, "accept": accept, "default_graphs": default_graphs,
               "named_graphs": named_graphs, "max_rows": self.max_rows, "base_iri": base_iri}
        for attempt in range(3):
            w = self._checkout(deadline)
            sent = time.monotonic()
            try:
                w.conn.send(job)
            except OSError:  # died just now, before it had the query: try another worker
                self._replace(w)
                continue
            answered = w.conn.poll(min(SLOW_AFTER, max(deadline - time.monotonic(), 0)))
            slow = not answered
            if slow:  # a slow query yields the CPU to cheap ones (and to the server): its worker is niced
                try:
                    os.setpriority(os.PRIO_PROCESS, w.proc.pid, 19)
                except OSError:
                    pass
                answered = w.conn.poll(max(deadline - time.monotonic(), 0))
            if answered:
                try:
                    answer = w.conn.recv()
                except (EOFError, OSError):
                    w.proc.join(2)
                    code = w.proc.exitcode
                    self._replace(w)
                    if time.monotonic() - sent < 0.5 and attempt < 2:
                        continue  # it died at once (killed while idle, say): the query gets another worker
                    return Answer(503, "text/plain; charset=utf-8", self._death(code), retire=True)
                if answer.retire or slow:  # a niced worker cannot be made normal again without privileges
                    self._replace(w)
                else:
                    self._checkin(w)
                return answer
            break
        else:
            return Answer(503, "text/plain; charset=utf-8", b"no query worker could take the query")
        self._replace(w)  # kill: stops the query and frees what it held
        raise QueryTimeout(f"the query ran past the {self.timeout:g} s timeout and was stopped")

    def _death(self, code: int | None) -> bytes:
        import signal

        if code is not None and code < 0:
            how = f"signal {signal.Signals(-code).name}"
        else:
            how = f"exit code {code}"
        cap = f" ({self.max_memory // 2**20} MB)" if self.max_memory else ""
        return (f"the query was stopped: its worker ended ({how}), most likely over the memory cap{cap} "
                f"that one query may use; a fresh worker has taken its place").encode()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all.values())
        for w in workers:
            self._discard(w)
