"""The benchmark: measured costs, written to ``bench/results.json``, ``bench/results.md`` and ``bench/scale.png``.

Sections:

- ``sizes``: for synthetic dumps of 10^4 to 10^7 quads (``bench/synth.py``, the project's data
  model exactly), side by side in one run: loading (raw pyoxigraph bulk load, the ceiling;
  ``rightsgraph build --from``; rdflib's in-memory Dataset, the common default; ``rightsgraph push``
  into a real ``oxigraph serve``) with throughput and peak memory; p50 and p95 latency of the
  benchmark's named queries on the on-disk store, on rdflib and over HTTP; export time per format;
  ``describe`` and ``viz --focus`` latency. Every load, export and set of queries runs in a child
  process of its own, so that its peak memory is its own and a run past its time limit can be stopped;
  optional measurements that would overrun the run's time budget are skipped, with the reason.
- ``targets``: the issue's targets, each marked met or missed with the numbers, and how each cost
  grows with size (the slope of log time against log size).
- ``pages``: building the interactive page for synthetic graphs of 1,000 and 10,000 nodes (the
  bulk way rightsgraph uses, against pyvis's ``Network.from_nx`` at 1,000 nodes), the page size,
  and the time headless Chromium needs to reach a stable layout (its run time on the page minus
  its run time on an empty page; virtual time lets it skip idle waits, so this is the work done).
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rightsgraph.namespaces import RG, claim_iri, entity_iri

#: The checkout this benchmark belongs to (the benchmark is a tool of the repository, not of the package).
CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT / "bench"))  # for ``import synth`` in child processes

_KINDS = ["facility", "person", "org", "group", "document", "event", "place"]

# --------------------------------------------------------------------------------------------
# What is measured, and how much of it
# --------------------------------------------------------------------------------------------

#: The benchmark's named queries: (what it answers, the query's name, the parameters it takes).
QUERIES = [
    ("entity lookup with provenance", "describe-entity", ("entity",)),
    ("an entity's claims in full detail", "entity-claims", ("entity",)),
    ("per-source claims", "claims-by-source", ("source",)),
    ("contested figures", "figures-sources-disagree-on", ()),
    ("two-hop paths", "two-hop-paths", ("entity",)),
    ("label search", "label-search", ("text",)),
    ("events by date", "events-in-date-order", ()),
]
#: Export formats, in the order they are measured.
EXPORTS = ("nquads", "trig", "turtle", "jsonld")


@dataclass
class Plan:
    """How far each measurement goes: sizes, repetitions, time limits and the time budget of the run."""

    sizes: tuple[int, ...] = (10**4, 10**5, 10**6, 10**7)
    seed: int = 1
    rdflib_load_max: int = 10**6    # rdflib's Dataset is loaded up to this size
    rdflib_query_min: int = 10**5   # and queried from this size
    rdflib_query_max: int = 10**5   # up to this one (the comparison is at 10^5)
    query_timeout: float = 60.0     # seconds one query may take (any engine) before it is stopped
    rdflib_reps: int = 3            # repetitions of an rdflib query (only while under a second in all)
    reps: int = 30                  # repetitions of a query on pyoxigraph or over HTTP
    budget: float = 2.0             # seconds of repetitions per query (3 runs at least, unless one is slower)
    cli_max: int = 10**5            # sizes where `build --from`, `describe` and `viz` also run as commands
    twice_max: int = 10**5          # sizes where raw load and build run twice each (best of two)
    export_timeout: float = 300.0
    viz_timeout: float = 120.0
    http: bool = True
    pages: bool = True
    extraction_mb: float = 50.0     # the corpus read again and again to this size, for the extraction throughput
    total: float = 18 * 60.0        # the run's time budget: optional measurements that would overrun it are skipped


QUICK = Plan(sizes=(10**4, 10**5), rdflib_load_max=10**5, rdflib_query_min=10**4, rdflib_query_max=10**4, query_timeout=5.0,
             rdflib_reps=1, reps=5, budget=0.3, cli_max=10**4, twice_max=10**4, export_timeout=60.0, viz_timeout=30.0,
             extraction_mb=2.0, total=110.0)


# --------------------------------------------------------------------------------------------
# Small helpers: percentiles, child processes, the machine
# --------------------------------------------------------------------------------------------

def percentiles(seconds: list[float]) -> dict:
    """p50 and p95 (nearest rank) of run times, in milliseconds, and how many runs.

    >>> percentiles([0.001, 0.002, 0.003, 0.010])
    {'p50_ms': 2.5, 'p95_ms': 10.0, 'runs': 4}
    """
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3), "p95_ms": round(p95 * 1000, 3), "runs": len(ordered)}


def repeat(fn: Callable[[], object], reps: int, budget: float) -> tuple[dict, object]:
    """Run ``fn`` once to warm up, then up to ``reps`` times or ``budget`` seconds: at least 3 runs, or
    (when the warm-up alone took longer than the budget) the warm-up is the one run counted."""
    started = time.perf_counter()
    value = fn()
    first = time.perf_counter() - started
    if first > budget:
        return percentiles([first]), value
    times: list[float] = []
    while len(times) < reps and (len(times) < 3 or sum(times) < budget):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return percentiles(times), value


@dataclass
class ChildResult:
    """A child process's outcome: its JSON lines, wall time, peak memory, and whether it was stopped."""

    lines: list[dict] = field(default_factory=list)
    wall_s: float = 0.0
    peak_mb: float = 0.0
    timed_out: bool = False
    returncode: int = 0
    stderr: str = ""


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def run_child(cmd: list[str], timeout: float, line_timeout: float | None = None) -> ChildResult:
    """Run ``cmd`` collecting its JSON lines, stopped at ``timeout`` (or ``line_timeout`` seconds after a line without
    the next), with its peak memory from the kernel's accounting of the child (``os.wait4``)."""
    result = ChildResult()
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    buffer = b""
    last = started
    while True:
        now = time.perf_counter()
        limit = started + timeout
        if line_timeout is not None and result.lines:  # the first line may take longer (a load)
            limit = min(limit, last + line_timeout)
        if now >= limit:
            result.timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            break
        ready, _, _ = select.select([proc.stdout], [], [], min(1.0, limit - now))
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip().startswith(b"{"):
                result.lines.append(json.loads(line))
                last = time.perf_counter()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    result.wall_s = time.perf_counter() - started
    result.peak_mb = round(usage.ru_maxrss / 1024, 1)
    result.returncode = proc.returncode
    err.seek(0)
    result.stderr = err.read().decode("utf-8", "replace")[-2000:]
    proc.stdout.close()
    return result


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("rightsgraph")), *args]


def _version(module: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(module)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    """Describe the machine the numbers were measured on: CPU, cores, memory, load, Python and libraries."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return {"cpu": cpu or platform.processor(), "cpus": os.cpu_count(), "ram_gb": round(mem_kb / 1024**2, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()], "platform": platform.platform(),
            "python": platform.python_version(),
            "libraries": {m: _version(m) for m in ("pyoxigraph", "oxigraph", "rdflib", "pyshacl", "networkx", "matplotlib")}}


# --------------------------------------------------------------------------------------------
# Child tasks (run with ``python bench/benchmark.py child TASK ARGS-JSON``)
# --------------------------------------------------------------------------------------------

#: Raw pyoxigraph bulk load, the ceiling: nothing but pyoxigraph is imported.
RAW_LOAD = """
import json, sys, time
import pyoxigraph as ox
dump, folder = sys.argv[1], sys.argv[2]
started = time.perf_counter()
store = ox.Store(folder)
store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
store.flush()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "quads": len(store)}), flush=True)
"""


def _emit(**values) -> None:
    print(json.dumps(values), flush=True)


def _project():
    """The project whose ontology and named queries the library calls use: this checkout."""
    from rightsgraph import paths

    return paths.project(Path(__file__).resolve().parents[1])


def _task_build(args: dict) -> None:
    from rightsgraph.store import build

    started, cpu = time.perf_counter(), time.process_time()
    report = build.load_dump(Path(args["dump"]), Path(args["store"]), None)
    _emit(seconds=time.perf_counter() - started, cpu_s=time.process_time() - cpu, quads=report.quads,
          claims=report.claims, entities=report.entities)


def _task_release(args: dict) -> None:
    """The build with its public release (``rightsgraph build --from`` with the project, as the command runs it,
    without the exports, which are measured on their own), into a store of its own beside the build's;
    then the leak query on the release alone, once more."""
    from rightsgraph.model import ontology
    from rightsgraph.release import publish
    from rightsgraph.store import build
    from rightsgraph.store import embedded as store

    folder, project = Path(args["folder"]), _project()
    shutil.rmtree(folder / "releases", ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    report = build.load_dump(Path(args["dump"]), folder / "store-released", None, paths=project)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    rel = report.releases[publish.DEFAULT]
    onto = ontology.load(project.ontology / "rightsgraph.ttl")
    release = store.open(rel.store)
    started, cpu = time.perf_counter(), time.process_time()
    rows = publish.leaks(release, project.queries, onto.audiences[publish.DEFAULT])
    _emit(seconds=seconds, cpu_s=cpu_s, quads=rel.quads, withheld=rel.withheld, leak_rows=len(rows),
          finish_s=report.release_seconds, leak_query_s=time.perf_counter() - started,
          leak_query_cpu_s=time.process_time() - cpu)


def _task_export(args: dict) -> None:
    from rightsgraph.outputs import exports
    from rightsgraph.store import embedded as store

    st = store.open(Path(args["store"]))
    started = time.perf_counter()
    path = exports.write(st, args["format"], Path(args["path"]), _project())
    _emit(seconds=time.perf_counter() - started, mb=round(path.stat().st_size / 1e6, 2))
    path.unlink()


def _task_viz(args: dict) -> None:
    from rightsgraph.store import embedded as store
    from rightsgraph.outputs import visuals

    st = store.open(Path(args["store"]))
    out = Path(args["path"])
    project = _project()

    def draw():
        g = visuals.network(st, project, focus=args["focus"], hops=args["hops"])
        visuals.page(g, out, "bench")
        return g

    stats, g = repeat(draw, args["reps"], args["budget"])
    _emit(**stats, nodes=g.number_of_nodes(), edges=g.number_of_edges())


def _task_queries(args: dict) -> None:
    """Open the target (the on-disk store, rdflib loading the dump, or an endpoint), then time each query."""
    import resource

    from rightsgraph.sparql import queries

    started = time.perf_counter()
    if args["engine"] == "rdflib":
        from rdflib import Dataset

        target = Dataset(default_union=True)
        target.parse(args["dump"], format="nquads")
    elif args["engine"] == "pyoxigraph":
        from rightsgraph.store import embedded as store

        target = store.open(Path(args["store"]))
    else:
        target = args["endpoint"]
    _emit(load_s=time.perf_counter() - started, peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    for name, params in args["queries"]:
        if name == "label-index":
            from rightsgraph.store import labels as search

            index = search.for_store(Path(args["store"]))
            stats, hits = repeat(lambda: index.search(params["text"], limit=10), args["reps"], args["budget"])
            _emit(query=name, rows=len(hits), **stats)
            continue
        q = queries.resolve(name, CHECKOUT / "queries")
        stats, res = repeat(lambda q=q, params=params: queries.run(target, q, params, timeout=args["timeout"]),
                            args["reps"], args["budget"])
        _emit(query=name, rows=len(res.rows), **stats)


def _child_main(argv: list[str]) -> None:
    task, args = argv[0], json.loads(argv[1])
    {"build": _task_build, "release": _task_release, "export": _task_export, "viz": _task_viz, "queries": _task_queries}[task](args)


def _child(task: str, **args) -> list[str]:
    return _python(str(Path(__file__).resolve()), "child", task, json.dumps(args))


# --------------------------------------------------------------------------------------------
# Measuring one size
# --------------------------------------------------------------------------------------------

def _rate(quads: int, seconds: float) -> int:
    return int(quads / seconds) if seconds else 0


def _params(summary_params: dict) -> dict[str, dict[str, str]]:
    """The parameters each benchmark query is bound to, from the synthetic dump's summary."""
    out = {name: {p: summary_params[p] for p in needs} for _, name, needs in QUERIES}
    out["label-index"] = {"text": summary_params["text"]}
    return out


class Session:
    """One benchmark run: its plan, its time budget, what smaller sizes cost, and its log."""

    def __init__(self, plan: Plan, log: Callable[[str], None]):
        self.plan, self.log = plan, log
        self.deadline = time.perf_counter() + plan.total
        self.costs: dict[str, tuple[int, float]] = {}       # item -> (quads, seconds) at the last size
        self.queries: dict[tuple[str, str], list[tuple[int, float | None]]] = {}  # (engine, query) -> (quads, s or None)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def spent(self, item: str, quads: int, seconds: float) -> None:
        self.costs[item] = (quads, seconds)

    def skip(self, item: str, quads: int, reserve: float = 0.0) -> str | None:
        """Why ``item`` is not run at ``quads`` (its cost at the last size, scaled linearly, overruns the budget)."""
        if item not in self.costs:
            return None
        n, s = self.costs[item]
        estimate = s * quads / n
        if estimate + reserve > self.left():
            return (f"not run: about {estimate:.0f} s expected (scaled from {s:.1f} s at {n:,} quads), more than the "
                    f"{max(self.left() - reserve, 0):.0f} s left of the run's {self.plan.total / 60:.0f}-minute budget")
        return None

    def query_skip(self, engine: str, name: str, quads: int) -> str | None:
        """Why a query is not run at this size: it was stopped at a smaller size, or its growth says it would be."""
        seen = self.queries.get((engine, name), [])
        if not seen:
            return None
        n, s = seen[-1]
        if s is None:
            return f"not run: did not finish in {self.plan.query_timeout:.0f} s at {n:,} quads"
        k = 1.0
        if len(seen) >= 2 and seen[-2][1]:
            k = max(1.0, slope([seen[-2], seen[-1]]) or 1.0)
        projected = s * (quads / n) ** k
        if projected > self.plan.query_timeout:
            return (f"not run: projected {projected:.0f} s (took {s:.1f} s at {n:,} quads, growing as size^{k:.1f}), "
                    f"over the {self.plan.query_timeout:.0f} s limit")
        return None


def timed_queries(s: Session, engine: str, todo: list[tuple[str, dict]], quads: int, predict: bool = True,
                  **target) -> tuple[dict, dict]:
    """Run ``todo`` in a child on ``engine``, each query stopped at the time limit (the child is then
    restarted for the rest); return what opening the target cost, and the result of each query."""
    results: dict = {}
    pending = []
    for name, params in todo:
        why = s.query_skip(engine, name, quads) if predict else None
        if why:
            results[name] = {"skipped": why}
        else:
            pending.append((name, params))
    opened: dict = {}
    first = True
    while first or pending:  # with nothing to run, the child opens the target (a load) and ends
        first = False
        reps = s.plan.rdflib_reps if engine == "rdflib" else s.plan.reps
        res = run_child(_child("queries", engine=engine, queries=pending, reps=reps, budget=s.plan.budget,
                               timeout=s.plan.query_timeout, **target),
                        timeout=7200, line_timeout=s.plan.query_timeout)
        if not res.lines:
            opened = {"error": (res.stderr or "no result").strip()[-300:]}
            break
        opened = opened or {"s": round(res.lines[0]["load_s"], 3), "peak_mb": res.lines[0]["peak_mb"]}
        done = set()
        for item in res.lines[1:]:
            results[item["query"]] = {k: v for k, v in item.items() if k != "query"}
            done.add(item["query"])
            s.queries.setdefault((engine, item["query"]), []).append((quads, item["p50_ms"] / 1000))
        pending = [(n, p) for n, p in pending if n not in done]
        if not res.timed_out:
            for name, _ in pending:  # the child ended without answering them
                results[name] = {"error": res.stderr.strip()[-300:]}
            break
        if not pending:
            break
        stuck = pending.pop(0)[0]
        results[stuck] = {"timeout_s": s.plan.query_timeout}
        s.queries.setdefault((engine, stuck), []).append((quads, None))
        s.log(f"{engine}: {stuck} did not finish in {s.plan.query_timeout:.0f} s at {quads:,} quads")
    return opened, results


def measure_loads(s: Session, dump: Path, work: Path, quads: int) -> dict:
    """Raw bulk load and ``rightsgraph build`` (library call, and the command at small sizes), each in its own process."""
    out: dict = {}
    runs = 1 if quads > s.plan.twice_max * 1.1 else 2
    for i in range(runs):  # alternately, the best of each counts (other work on the machine adds noise)
        raw = run_child(_python("-c", RAW_LOAD, str(dump), str(work / "raw")), timeout=7200)
        shutil.rmtree(work / "raw", ignore_errors=True)
        if raw.lines:
            sec = raw.lines[0]["seconds"]
            if "s" not in out.get("raw", {}) or sec < out["raw"]["s"]:
                out["raw"] = {"s": round(sec, 3), "quads_per_s": _rate(quads, sec), "peak_mb": raw.peak_mb,
                              "wall_s": round(raw.wall_s, 2), "runs": runs}
        else:
            out.setdefault("raw", {"error": raw.stderr[-300:]})
        shutil.rmtree(work / "store", ignore_errors=True)
        built = run_child(_child("build", dump=str(dump), store=str(work / "store")), timeout=7200)
        if built.lines:
            sec = built.lines[0]["seconds"]
            if "s" not in out.get("build", {}) or sec < out["build"]["s"]:
                out["build"] = {"s": round(sec, 3), "cpu_s": round(built.lines[0]["cpu_s"], 3),
                                "quads_per_s": _rate(quads, sec), "peak_mb": built.peak_mb,
                                "wall_s": round(built.wall_s, 2), "claims": built.lines[0]["claims"], "runs": runs}
        else:
            out.setdefault("build", {"error": (built.stderr or "no result").strip()[-500:]})
    if "s" in out["raw"] and "s" in out["build"]:
        out["build"]["share_of_raw"] = round(out["build"]["quads_per_s"] / out["raw"]["quads_per_s"], 3)
    s.log(f"raw bulk load: {out['raw']}")
    s.log(f"rightsgraph build (library): {out['build']}")
    if quads <= s.plan.cli_max * 1.1:
        cli = run_child(_cli("build", "--from", str(dump), "--store", str(work / "cli-store"), "--no-exports"), timeout=7200)
        out["build_cli"] = ({"wall_s": round(cli.wall_s, 3), "quads_per_s": _rate(quads, cli.wall_s), "peak_mb": cli.peak_mb}
                            if cli.returncode == 0 else {"error": cli.stderr.strip()[-300:]})
        shutil.rmtree(work / "cli-store", ignore_errors=True)
    else:
        out["build_cli"] = {"skipped": f"the command is the library call plus a second of start-up: run up to "
                                       f"{s.plan.cli_max:,} quads only"}
    return out


def measure_rdflib(s: Session, dump: Path, quads: int, params: dict) -> dict:
    """rdflib's Dataset: load time and peak memory, then the benchmark queries with a time limit each."""
    if quads > s.plan.rdflib_load_max * 1.1:
        return {"load": {"skipped": _extrapolate_rdflib(s, quads)}}
    why = s.skip("rdflib", quads)
    if why:
        return {"load": {"skipped": why}}
    queried = s.plan.rdflib_query_min * 0.9 <= quads <= s.plan.rdflib_query_max * 1.1
    todo = [(name, params[name]) for _, name, _ in QUERIES] if queried else []
    # at the comparison size every query runs for real, whatever happened at smaller sizes
    opened, results = timed_queries(s, "rdflib", todo, quads, predict=quads < s.plan.rdflib_query_max * 0.9,
                                    dump=str(dump))
    if "s" in opened:
        s.spent("rdflib", quads, opened["s"])
    load = {**opened, "quads_per_s": _rate(quads, opened["s"])} if "s" in opened else opened
    s.rdflib_loads = getattr(s, "rdflib_loads", []) + ([(quads, opened["s"], opened["peak_mb"])] if "s" in opened else [])
    s.log(f"rdflib load: {load}")
    return {"load": load, "queries": results}


def _extrapolate_rdflib(s: Session, quads: int) -> str:
    """Why rdflib is not loaded at this size, with time and memory scaled linearly from its largest load."""
    loads = getattr(s, "rdflib_loads", [])
    if not loads:
        return "not run"
    n, sec, mb = loads[-1]
    f = quads / n
    return (f"not run: would need about {sec * f / 60:.0f} min and {mb * f / 1024:.0f} GB of memory (scaled linearly "
            f"from {n:,} quads: {sec:.0f} s, {mb / 1024:.1f} GB), more time than the run's budget leaves")


def measure_viz(s: Session, store_path: Path, label: str, work: Path, quads: int) -> dict:
    """``viz --focus`` latency (network and page), in a child with a time limit, and the command at small sizes."""
    why = s.skip("viz", quads)
    if why:
        return {"library": {"skipped": why}}
    started = time.perf_counter()
    lib = run_child(_child("viz", store=str(store_path), focus=label, hops=1, path=str(work / "viz.html"),
                           reps=3, budget=s.plan.budget), timeout=min(s.plan.viz_timeout, max(s.left(), 30)))
    s.spent("viz", quads, time.perf_counter() - started)
    out: dict = {"library": lib.lines[0] if lib.lines else
                 {"timeout_s": round(lib.wall_s)} if lib.timed_out else {"error": lib.stderr[-300:]},
                 "peak_mb": lib.peak_mb}
    if lib.lines and quads <= s.plan.cli_max * 1.1:
        cli = run_child(_cli("viz", "--focus", label, "--hops", "1", "-o", str(work / "viz-cli.html"),
                             "--store", str(store_path)), timeout=s.plan.viz_timeout)
        out["cli_s"] = round(cli.wall_s, 3) if cli.returncode == 0 else None
    return out


def measure_describe(s: Session, store_path: Path, label: str, quads: int) -> dict:
    """``describe`` latency: the library call after warm-up (in this process), and the command at small sizes."""
    from rightsgraph.outputs import describe as entities
    from rightsgraph.store import embedded as store

    st = store.open(store_path)
    project = _project()
    stats, (_, res) = repeat(lambda: entities.describe(st, label, project), s.plan.reps, s.plan.budget)
    out = {"library": {**stats, "rows": len(entities.rows(res).rows)}}
    if quads <= s.plan.cli_max * 1.1:
        cli = run_child(_cli("describe", label, "--store", str(store_path)), timeout=300)
        out["cli_s"] = round(cli.wall_s, 3) if cli.returncode == 0 else None
    return out


def measure_exports(s: Session, store_path: Path, work: Path, quads: int) -> dict:
    """Time, size and peak memory of each export format, each written by a child process."""
    out = {}
    for fmt in EXPORTS:
        why = s.skip(f"export {fmt}", quads, reserve=60)
        if why:
            out[fmt] = {"skipped": why}
            continue
        res = run_child(_child("export", store=str(store_path), format=fmt, path=str(work / f"export.{fmt}")),
                        timeout=min(s.plan.export_timeout, max(s.left(), 30)))
        if res.lines:
            sec = res.lines[0]["seconds"]
            out[fmt] = {"s": round(sec, 3), "mb": res.lines[0]["mb"], "quads_per_s": _rate(quads, sec), "peak_mb": res.peak_mb}
        else:
            out[fmt] = {"timeout_s": round(res.wall_s)} if res.timed_out else {"error": res.stderr[-300:]}
        s.spent(f"export {fmt}", quads, res.wall_s)
        for leftover in work.glob(f"*export.{fmt}*"):
            leftover.unlink()
        s.log(f"export {fmt}: {out[fmt]}")
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_oxigraph(folder: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("oxigraph")
    exe = exe if exe.exists() else Path(shutil.which("oxigraph") or "oxigraph")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", str(int(timeout))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("oxigraph serve did not start") from None
            time.sleep(0.2)


def measure_http(s: Session, store_path: Path, work: Path, quads: int, params: dict) -> dict:
    """Load a real ``oxigraph serve`` with ``rightsgraph push --method dataset``, then time each query over HTTP."""
    from rightsgraph.sparql import queries

    why = s.skip("http push", quads, reserve=60)
    if why:
        return {"push": {"skipped": why}}
    proc, base = _start_oxigraph(work / "server", s.plan.query_timeout)
    out: dict = {}
    try:
        push = run_child(_cli("push", "--store", str(store_path), "--endpoint", f"{base}/store?no_transaction",
                              "--method", "dataset", "--timeout", "7200"), timeout=7200)
        s.spent("http push", quads, push.wall_s)
        if push.returncode != 0:
            return {"push": {"error": push.stderr.strip()[-300:]}}
        out["push"] = {"s": round(push.wall_s, 3), "quads_per_s": _rate(quads, push.wall_s), "client_peak_mb": push.peak_mb}
        counted = queries.run(f"{base}/query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=600)
        out["quads_on_server"] = int(counted.rows[0][0])
        _, out["queries"] = timed_queries(s, "http", [(name, params[name]) for _, name, _ in QUERIES], quads,
                                          endpoint=f"{base}/query")
    finally:
        proc.terminate()
        try:
            _, _, usage = os.wait4(proc.pid, 0)
            out["server_peak_mb"] = round(usage.ru_maxrss / 1024, 1)
        except ChildProcessError:
            pass
        shutil.rmtree(work / "server", ignore_errors=True)
    return out


# --------------------------------------------------------------------------------------------
# The endpoint: `rightsgraph serve` against `oxigraph serve-read-only` on the same store, same run
# --------------------------------------------------------------------------------------------

#: The lookup of the endpoint benchmark: one entity's labels (the commonest request of a linked-data client).
ENDPOINT_LOOKUP = "facility/kwanliso-15"


def _load(url_for: Callable[[int], str], total: int, clients: int, keep_alive: bool,
          headers: dict | None = None) -> dict:
    """``total`` GET requests from ``clients`` threads (each on one kept-alive connection, or a new one per
    request); requests per second, p50/p99 latency, and the count of answers other than 200."""
    import http.client
    import threading

    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    counter = iter(range(total))

    def client():
        conn = None
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            parts = urllib.parse.urlsplit(url_for(i))
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                conn.request("GET", parts.path + "?" + parts.query, headers=headers or {})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = None
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    failures[0] += 1
            if not keep_alive and conn is not None:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: round(latencies[min(int(q * len(latencies)), len(latencies) - 1)] * 1000, 1)  # noqa: E731
    return {"requests": total, "clients": clients, "keep_alive": keep_alive, "req_per_s": round(total / wall, 1),
            "p50_ms": pick(0.50), "p99_ms": pick(0.99), "failed": failures[0]}


def _start_rightsgraph(store: Path, root: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(_cli("--root", str(root), "serve", "--store", str(store), "--port", str(port)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2).read()
            _settled(proc.pid)
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("rightsgraph serve did not start") from None
            time.sleep(0.3)


def _cpu_of_tree(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its children (Linux /proc; 0 elsewhere)."""
    total = 0.0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        return 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _settled(pid: int, quiet: float = 0.05, most: float = 15.0) -> None:
    """Wait until a server and its worker processes have finished starting (under ``quiet`` CPU seconds in
    half a second), at most ``most`` seconds: the steady state is measured, not the start-up. (The start-up
    probe's own query may have a spare worker started, most of a second of CPU, which otherwise fell inside
    the first measured requests.)"""
    until = time.time() + most
    before = _cpu_of_tree(pid)
    while time.time() < until:
        time.sleep(0.5)
        now = _cpu_of_tree(pid)
        if now - before < quiet:
            return
        before = now


def _start_oxigraph_read_only(store: Path) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("oxigraph")
    exe = exe if exe.exists() else Path(shutil.which("oxigraph") or "oxigraph")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("oxigraph serve-read-only did not start") from None
            time.sleep(0.2)


def measure_endpoint(store: Path, root: Path = CHECKOUT, total: int = 2000, clients: int = 16) -> dict:
    """`rightsgraph serve` and `oxigraph serve-read-only` on the same store in the same run: SPARQL lookups
    with and without keep-alive (``clients`` concurrent clients, ``total`` requests each), and HTML entity
    pages; the ratio of requests per second, and the issue-13 targets."""
    from rightsgraph.namespaces import BASE
    import pyoxigraph as ox

    st = ox.Store.read_only(str(store))
    typed = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    iris = sorted({q.subject.value for q in st.quads_for_pattern(None, typed, None)
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE + "id/")})
    del st
    # a different entity on each request (every one in turn), so that no cache of one answer flatters anyone
    texts = [urllib.parse.quote(f"SELECT ?label WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}")
             for iri in iris]
    pages = ["/" + iri[len(BASE):] for iri in iris]
    accept = {"Accept": "application/sparql-results+json"}
    out: dict = {"total": total, "clients": clients, "entities": len(iris),
                 "query": "SELECT ?label WHERE { <entity> rdfs:label ?label }, over every entity in turn"}
    ours, ours_base = _start_rightsgraph(store, root)
    try:
        theirs, theirs_base = _start_oxigraph_read_only(store)
        try:
            for keep in (True, False):
                key = "keep_alive" if keep else "new_connection"
                _load(lambda i: f"{ours_base}/sparql?query={texts[i % len(texts)]}", min(200, total), clients, keep, accept)
                _load(lambda i: f"{theirs_base}/query?query={texts[i % len(texts)]}", min(200, total), clients, keep, accept)
                out[f"rightsgraph_{key}"] = _load(lambda i: f"{ours_base}/sparql?query={texts[i % len(texts)]}",
                                                  total, clients, keep, accept)
                out[f"oxigraph_{key}"] = _load(lambda i: f"{theirs_base}/query?query={texts[i % len(texts)]}",
                                               total, clients, keep, accept)
                out[f"ratio_{key}"] = round(out[f"rightsgraph_{key}"]["req_per_s"] / out[f"oxigraph_{key}"]["req_per_s"], 3)
        finally:
            theirs.terminate()
            theirs.wait(10)
        html = {"Accept": "text/html"}
        out["pages_first"] = _load(lambda i: ours_base + pages[i % len(pages)], len(pages), clients, True, html)
        out["pages_keep_alive"] = _load(lambda i: ours_base + pages[i % len(pages)], total, clients, True, html)
    finally:
        ours.terminate()
        ours.wait(10)
    out["targets"] = [
        _target("SPARQL lookups >= 50% of oxigraph serve-read-only's req/s with keep-alive", out["ratio_keep_alive"] >= 0.5,
                f"{out['ratio_keep_alive']:.0%} ({out['rightsgraph_keep_alive']['req_per_s']} vs "
                f"{out['oxigraph_keep_alive']['req_per_s']} req/s)"),
        _target(f"SPARQL lookup p99 < 50 ms at {clients} clients", out["rightsgraph_keep_alive"]["p99_ms"] < 50,
                f"p99 {out['rightsgraph_keep_alive']['p99_ms']} ms (keep-alive), "
                f"{out['rightsgraph_new_connection']['p99_ms']} ms (a new connection per request)"),
        _target("HTML entity pages >= 300 req/s", out["pages_keep_alive"]["req_per_s"] >= 300,
                f"{out['pages_keep_alive']['req_per_s']} req/s, p99 {out['pages_keep_alive']['p99_ms']} ms"),
    ]
    return out


def endpoint_on_the_project(work: Path | None, total: int) -> dict:
    """Build this checkout's graph into a temporary store and measure the endpoint on it."""
    from rightsgraph.paths import project
    from rightsgraph.store import build

    folder = Path(tempfile.mkdtemp(prefix="rightsgraph-endpoint-", dir=work))
    try:
        build.build(project(CHECKOUT), None, folder / "store", folder / "exports")
        return measure_endpoint(folder / "store", CHECKOUT, total=total)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def endpoint_markdown(e: dict) -> list[str]:
    """The endpoint section of results.md and of the README block."""
    if not e:
        return []
    lines = ["## The endpoint against `oxigraph serve-read-only`", "",
             f"Same store, same run, {e['clients']} concurrent clients, {e['total']:,} requests each: a SPARQL "
             f"lookup (an entity's labels, JSON results) and the HTML page of an entity, over the {e['entities']} "
             "entities in turn. The pages are rendered once and kept (the store is read-only): the first row "
             "renders each page once, the second is the steady state.", "",
             "| | rightsgraph serve | oxigraph serve-read-only | ratio |", "| --- | ---: | ---: | ---: |"]
    for key, name in (("keep_alive", "lookups, keep-alive"), ("new_connection", "lookups, a new connection per request")):
        ours, theirs = e[f"rightsgraph_{key}"], e[f"oxigraph_{key}"]
        lines.append(f"| {name} | {ours['req_per_s']:,} req/s (p50 {ours['p50_ms']} ms, p99 {ours['p99_ms']} ms) | "
                     f"{theirs['req_per_s']:,} req/s (p50 {theirs['p50_ms']} ms, p99 {theirs['p99_ms']} ms) | "
                     f"{e[f'ratio_{key}']:.0%} |")
    for key, name in (("pages_first", "entity pages (HTML), each the first time"),
                      ("pages_keep_alive", "entity pages (HTML), keep-alive")):
        p = e[key]
        lines.append(f"| {name} | {p['req_per_s']:,} req/s (p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms) | | |")
    lines += ["", *(f"- {'met' if t['met'] else 'missed'}: {t['target']}: {t['value']}" for t in e["targets"]), ""]
    return lines


def measure_release(s: Session, dump: Path, folder: Path, build: dict) -> dict:
    """The release step: the build with its public release (``folder/store-released``) against the build alone
    (``build``, measured in a process of its own): the difference, its share of the build (issue 12: at most
    30%), and the leak query's own time."""
    res = run_child(_child("release", dump=str(dump), folder=str(folder)), timeout=7200)
    shutil.rmtree(folder / "releases", ignore_errors=True)
    shutil.rmtree(folder / "store-released", ignore_errors=True)
    if not res.lines:
        return {"error": (res.stderr or "no result").strip()[-500:]}
    line = res.lines[0]
    out = {"with_release_s": round(line["seconds"], 3), "with_release_cpu_s": round(line["cpu_s"], 3),
           "wall_s": round(res.wall_s, 2), "peak_mb": res.peak_mb, "quads": line["quads"], "withheld": line["withheld"],
           "finish_s": round(line["finish_s"], 3), "leak_query_s": round(line["leak_query_s"], 3),
           "leak_query_cpu_s": round(line["leak_query_cpu_s"], 3), "leak_rows": line["leak_rows"]}
    if build.get("s"):
        out["s"] = round(max(out["with_release_s"] - build["s"], 0.0), 3)
        out["share_of_build"] = round(out["s"] / build["s"], 3)
    if build.get("cpu_s"):
        out["cpu_s"] = round(max(out["with_release_cpu_s"] - build["cpu_s"], 0.0), 3)
        out["cpu_share_of_build"] = round(out["cpu_s"] / build["cpu_s"], 3)
    s.log(f"release step: {out}")
    return out


def measure_size(s: Session, target: int, work: Path) -> dict:
    """Every measurement at one size, on one synthetic dump."""
    import synth

    folder = work / f"n{target}"
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "synthetic.nq"
    started = time.perf_counter()
    summary = synth.write(dump, target, s.plan.seed)
    row: dict = {"target": target, "quads": summary.quads, "claims": summary.claims, "entities": summary.entities,
                 "sources": summary.sources, "dump_mb": round(dump.stat().st_size / 1e6, 1),
                 "generate_s": round(time.perf_counter() - started, 2), "params": summary.params}
    s.log(f"{target:,}: generated {summary.quads:,} quads in {row['generate_s']} s ({s.left() / 60:.1f} min left)")
    params = _params(summary.params)
    n = summary.quads
    try:
        row["load"] = measure_loads(s, dump, folder, n)
        store_path = folder / "store"
        if not (store_path / "CURRENT").exists():
            row["error"] = "the build did not produce a store"
            return row
        row["release"] = measure_release(s, dump, folder, row["load"].get("build", {}))
        todo = [(name, params[name]) for _, name, _ in QUERIES] + [("label-index", params["label-index"])]
        opened, row["queries"] = timed_queries(s, "pyoxigraph", todo, n, store=str(store_path))
        s.log(f"pyoxigraph (p50 ms): { {k: v.get('p50_ms', '-') for k, v in row['queries'].items()} }")
        row["describe"] = measure_describe(s, store_path, summary.params["label"], n)
        s.log(f"describe: {row['describe']}")
        row["rdflib"] = measure_rdflib(s, dump, n, params)
        row["viz"] = measure_viz(s, store_path, summary.params["label"], folder, n)
        s.log(f"viz: {row['viz']}")
        row["exports"] = measure_exports(s, store_path, folder, n)
        if s.plan.http:
            row["http"] = measure_http(s, store_path, folder, n, params)
            s.log(f"http: push {row['http'].get('push')}, (p50 ms) "
                  f"{ {k: v.get('p50_ms', '-') for k, v in row['http'].get('queries', {}).items()} }")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return row


# --------------------------------------------------------------------------------------------
# Targets, growth, and the written results
# --------------------------------------------------------------------------------------------

def slope(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(time) against log(size): 1 is linear growth, 0 is flat.

    >>> round(slope([(1e4, 0.1), (1e5, 1.0), (1e6, 10.0)]), 2)
    1.0
    """
    pts = [(math.log10(n), math.log10(t)) for n, t in points if t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def _get(row: dict, *path, default=None):
    for key in path:
        if not isinstance(row, dict) or key not in row:
            return default
        row = row[key]
    return row


def series(rows: list[dict]) -> dict[str, list[tuple[int, float]]]:
    """Seconds against quads for each measured cost (the curves of the plot and the growth table)."""
    out: dict[str, list[tuple[int, float]]] = {}

    def add(name, row, value):
        if isinstance(value, (int, float)) and value > 0:
            out.setdefault(name, []).append((row["quads"], value))

    for row in rows:
        add("raw bulk load", row, _get(row, "load", "raw", "s"))
        add("rightsgraph build", row, _get(row, "load", "build", "s"))
        add("rdflib Dataset load", row, _get(row, "rdflib", "load", "s"))
        add("push over HTTP", row, _get(row, "http", "push", "s"))
        for fmt in EXPORTS:
            add(f"export {fmt}", row, _get(row, "exports", fmt, "s"))
        for _, name, _ in QUERIES:
            p50 = _get(row, "queries", name, "p50_ms")
            add(f"query {name}", row, p50 / 1000 if p50 else None)
        p50 = _get(row, "queries", "label-index", "p50_ms")
        add("label index search", row, p50 / 1000 if p50 else None)
        p50 = _get(row, "describe", "library", "p50_ms")
        add("describe", row, p50 / 1000 if p50 else None)
        p50 = _get(row, "viz", "library", "p50_ms")
        add("viz --focus", row, p50 / 1000 if p50 else None)
    return out


#: What the text of a query says about its growth (the rest is read from the measured rows).
GROWTH_NOTES = {
    "label-search": "a CONTAINS filter reads every name; the label index does not",
}


def _rows_at(rows: list[dict], cost: str, quads: int) -> int | None:
    """How many rows the query behind ``cost`` answered at ``quads``."""
    key = "label-index" if cost == "label index search" else cost[len("query "):] if cost.startswith("query ") else None
    row = next((r for r in rows if r["quads"] == quads), None)
    return _get(row, "queries", key, "rows") if key and row else None


def _growth_note(rows: list[dict], cost: str, s: float, first: int, last: int) -> str:
    """Why a cost grows as it does, from the query's text or from how its answer grew."""
    note = GROWTH_NOTES.get(cost.replace("query ", ""), "")
    a, b = _rows_at(rows, cost, first), _rows_at(rows, cost, last)
    if a and b:
        answer = slope([(first, a), (last, b)]) or 0.0
        if answer > 0.7:
            note = note or f"its answer grows with the data ({a:,} to {b:,} rows)"
        elif s > 0.3:
            note = note or (f"its answer stays the same size ({a:,} to {b:,} rows) but its time grows: it reads more "
                            "than the rows it answers with")
    if not note and s > 1.15:
        note = "grows faster than the data"
    return note


def growth(rows: list[dict]) -> list[dict]:
    """The slope of each cost over the sizes measured (from 10^5 up when there are three sizes or more), with why."""
    out = []
    for name, pts in series(rows).items():
        big = [p for p in pts if p[0] >= 0.9e5] if len([p for p in pts if p[0] >= 0.9e5]) >= 2 else pts
        s = slope(big)
        if s is None:
            continue
        out.append({"cost": name, "slope": round(s, 2), "from": big[0][0], "to": big[-1][0],
                    "note": _growth_note(rows, name, s, big[0][0], big[-1][0])})
    return out


def _closest(rows: list[dict], n: int) -> dict | None:
    return next((r for r in rows if abs(r["target"] - n) <= n * 0.1), None)


def _target(name: str, met: bool | None, value: str, status: str | None = None) -> dict:
    """A target's verdict: met, missed, not measured, or unproven (the reference was stopped too soon to tell)."""
    return {"target": name, "met": met, "value": value,
            "status": status or ("met" if met else "not measured" if met is None else "missed")}


def targets(rows: list[dict]) -> list[dict]:
    """The issue's targets, each met, missed, or not measured (None), with the numbers."""
    out = []
    for row in rows:
        share = _get(row, "load", "build", "share_of_raw")
        if share is not None:
            out.append(_target(f"build >= 70% of raw bulk-load throughput at {row['quads']:,} quads", share >= 0.7,
                               f"{share:.0%} ({row['load']['build']['quads_per_s']:,} vs {row['load']['raw']['quads_per_s']:,} quads/s)"))
        rd = _get(row, "rdflib", "load", "quads_per_s")
        bq = _get(row, "load", "build", "quads_per_s")
        if rd and bq:
            out.append(_target(f"build >= 8x rdflib load throughput at {row['quads']:,} quads", bq >= 8 * rd,
                               f"{bq / rd:.1f}x ({bq:,} vs {rd:,} quads/s)"))
        rel, build = row.get("release") or {}, _get(row, "load", "build") or {}
        if "share_of_build" in rel:
            out.append(_target(f"release step <= 30% of the build at {row['quads']:,} quads",
                               rel["share_of_build"] <= 0.3,
                               f"{rel['share_of_build']:.0%} ({rel['s']} s vs {build['s']} s; CPU "
                               f"{rel.get('cpu_share_of_build', 0):.0%})"))
    m = _closest(rows, 10**6)
    for label, path, limit in (("entity lookup with provenance p50 < 10 ms at 10^6", ("queries", "describe-entity", "p50_ms"), 10),
                               ("label search p50 < 20 ms at 10^6 (label index)", ("queries", "label-index", "p50_ms"), 20),
                               ("describe < 100 ms at 10^6 (p50, library)", ("describe", "library", "p50_ms"), 100)):
        v = _get(m, *path) if m else None
        out.append(_target(label, None if v is None else v < limit, "not measured" if v is None else _ms(v)))
    k = _closest(rows, 10**5)
    for title, name, _ in QUERIES:
        ox_ms = _get(k, "queries", name, "p50_ms") if k else None
        rd = _get(k, "rdflib", "queries", name) if k else None
        if ox_ms is None or not rd:
            out.append(_target(f"{name} >= 50x faster than rdflib at 10^5", None, "not measured"))
        elif "p50_ms" in rd:
            ratio = rd["p50_ms"] / ox_ms
            out.append(_target(f"{name} >= 50x faster than rdflib at 10^5", ratio >= 50,
                               f"{ratio:,.0f}x ({_ms(ox_ms)} vs {_ms(rd['p50_ms'])})"))
        elif "timeout_s" in rd:
            bound = rd["timeout_s"] * 1000 / ox_ms
            value = f"rdflib did not finish in {rd['timeout_s']:.0f} s, pyoxigraph took {_ms(ox_ms)}: over {bound:,.0f}x"
            out.append(_target(f"{name} >= 50x faster than rdflib at 10^5", True if bound >= 50 else None,
                               value + ("" if bound >= 50 else " (the limit is too short to show 50x)"),
                               None if bound >= 50 else "unproven"))
        else:
            out.append(_target(f"{name} >= 50x faster than rdflib at 10^5", None, str(rd.get("skipped", rd))))
    for g in growth(rows):
        if g["cost"] in ("rightsgraph build", "raw bulk load") or g["cost"].startswith("export"):
            out.append(_target(f"{g['cost']} grows no worse than linearly", g["slope"] <= 1.15,
                               f"slope {g['slope']} from {g['from']:,} to {g['to']:,} quads"))
    return out


def _fmt_ms(d: dict | None) -> str:
    if not d:
        return ""
    if "p50_ms" in d:
        return f"{_ms(d['p50_ms'])} / {_ms(d['p95_ms'])}"
    if "timeout_s" in d:
        return f"> {d['timeout_s']:.0f} s"
    return "not run"


def _ms(v: float) -> str:
    """A latency in milliseconds, written in a readable unit.

    >>> _ms(0.004), _ms(12.34), _ms(2500)
    ('4 µs', '12.3 ms', '2.50 s')
    """
    if v < 0.1:
        return f"{v * 1000:.0f} µs"
    return f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s"


def _s(v) -> str:
    return "" if v is None else f"{v:.2f}" if v < 100 else f"{v:.0f}"


def _cmd(v) -> str:
    return "not run" if v is None else f"{_s(v)} s"


def _rate_cell(d: dict | None) -> str:
    if not d:
        return ""
    if "s" in d:
        return f"{_s(d['s'])} s, {d['quads_per_s']:,}/s, {d.get('peak_mb', d.get('client_peak_mb', ''))} MB"
    return d.get("skipped", d.get("error", ""))[:160] if isinstance(d.get("skipped", d.get("error", "")), str) else ""


def markdown(results: dict) -> str:
    """The results as Markdown tables: loading, queries, exports, describe and viz, growth, targets."""
    rows = results["sizes"]
    mc = results["machine"]
    lines = ["# Benchmark results", "",
             f"Machine: {mc.get('cpu')}, {mc.get('cpus')} cores, {mc.get('ram_gb')} GB RAM; {mc.get('platform')}; "
             f"Python {mc.get('python')}; " + ", ".join(f"{k} {v}" for k, v in mc.get("libraries", {}).items()) +
             f". Load average when the run started: {mc.get('load_average')}. "
             f"Total run time: {results.get('total_s', 0) / 60:.1f} min{' (quick mode)' if results.get('quick') else ''}.",
             "", "Synthetic data: `rightsgraph.synth`, the project's data model exactly (seed "
             f"{results.get('seed')}).", ""]
    ex = results.get("extraction")
    if ex:
        lines += ["## Extraction", ""]
        if "mb_per_s" in ex:
            lines += ["| text | documents | wall | MB/s (wall) | MB/s (CPU time) | candidate claims | peak memory |",
                      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                      f"| {ex['mb']} MB | {ex['documents']:,} | {ex['seconds']} s | {ex['mb_per_s']} | {ex['mb_per_s_cpu']} | "
                      f"{ex['claims']:,} | {ex['peak_mb']} MB |", "",
                      "The five corpus sources read again and again, each time as a document of its own: read and clean, "
                      "mentions, claims proposed by every rule; one process, one core.", ""]
        else:
            lines += [f"Not measured: {ex['skipped']}", ""]
    if rows:
        lines += ["## Loading", "",
                  "| quads | claims | raw pyoxigraph bulk load | `rightsgraph build --from` | build / raw | build command (wall) | rdflib Dataset | build / rdflib | `rightsgraph push` to oxigraph serve |",
                  "| ---: | ---: | --- | --- | ---: | --- | --- | ---: | --- |"]
        for r in rows:
            ld = r.get("load", {})
            rd = _get(r, "rdflib", "load") or {}
            share = _get(ld, "build", "share_of_raw")
            bq, rq = _get(ld, "build", "quads_per_s"), rd.get("quads_per_s")
            cli = ld.get("build_cli", {})
            cli_cell = (f"{_s(cli['wall_s'])} s, {cli['peak_mb']} MB" if "wall_s" in cli else "not run" if "skipped" in cli else
                        str(cli.get("error", "")))
            lines.append(f"| {r['quads']:,} | {r['claims']:,} | {_rate_cell(ld.get('raw'))} | {_rate_cell(ld.get('build'))} | "
                         f"{'' if share is None else f'{share:.0%}'} | {cli_cell} | {_rate_cell(rd)} | "
                         f"{f'{bq / rq:.1f}x' if bq and rq else ''} | {_rate_cell(_get(r, 'http', 'push'))} |")
        lines += ["", "Each load runs in a process of its own; throughput is quads per second of the load itself "
                  "(without interpreter start-up), peak memory is the process's maximum resident set.", ""]
        lines += ["## Release step", "",
                  "| quads | withheld (claims, entities, sources) | build alone | build with the public release | "
                  "release step (the difference) | release / build | of which the leak query |",
                  "| ---: | --- | --- | --- | --- | ---: | --- |"]
        for r in rows:
            b, rel = _get(r, "load", "build") or {}, r.get("release") or {}
            if "s" not in rel:
                lines.append(f"| {r['quads']:,} | | | | {rel.get('error', 'not measured')[:200]} | | |")
                continue
            w = rel["withheld"]
            lines.append(f"| {r['quads']:,} | {w['claims']:,}, {w['entities']:,}, {w['sources']:,} | "
                         f"{_s(b.get('s'))} s ({_s(b.get('cpu_s'))} s CPU) | "
                         f"{_s(rel['with_release_s'])} s ({_s(rel['with_release_cpu_s'])} s CPU) | "
                         f"{_s(rel['s'])} s ({_s(rel.get('cpu_s'))} s CPU) | "
                         f"{rel.get('share_of_build', 0):.0%} ({rel.get('cpu_share_of_build', 0):.0%} of CPU) | "
                         f"{_s(rel['leak_query_s'])} s ({_s(rel['leak_query_cpu_s'])} s CPU) |")
        lines += ["", "The build alone (`store.build.load_dump` without a project: the internal store, its checks and "
                  "label index) against the same call with the project, which also makes the public release as "
                  "`rightsgraph build --from` does, without the exports (measured below): plan the release on the "
                  "dump's access lines, cut the dump in two, load the release, copy it and add the rest to make the "
                  "internal store, decide again on the whole store, scan the release's text for withheld names, its "
                  "label index and the leak query. Each in a process of its own; the release step is the difference. "
                  "The leak query is timed once more on its own. Issue 12's budget: the release step at most 30% of "
                  "the build.", ""]
        lines += ["## Queries", "", "p50 / p95 after a warm-up run. pyoxigraph: the on-disk store built by "
                  "`rightsgraph build`; rdflib: `Dataset(default_union=True)` in memory; HTTP: `oxigraph serve "
                  "--union-default-graph` loaded by `rightsgraph push --method dataset`. Label search on pyoxigraph "
                  "is given twice: the label index written by the build (what `describe` uses), and the CONTAINS query.", ""]
        for r in rows:
            lines += [f"### {r['quads']:,} quads", "",
                      "| query | rows | pyoxigraph | rdflib | pyoxigraph vs rdflib (p50) | HTTP |", "| --- | ---: | --- | --- | ---: | --- |"]
            for title, name, _ in QUERIES:
                ox_d = _get(r, "queries", name)
                rd_d = _get(r, "rdflib", "queries", name)
                ratio = ""
                if ox_d and rd_d and "p50_ms" in rd_d:
                    ratio = f"{rd_d['p50_ms'] / ox_d['p50_ms']:,.0f}x"
                elif ox_d and rd_d and "timeout_s" in rd_d:
                    ratio = f"> {rd_d['timeout_s'] * 1000 / ox_d['p50_ms']:,.0f}x"
                lines.append(f"| {title} (`{name}`) | {_get(ox_d, 'rows', default='')} | {_fmt_ms(ox_d)} | "
                             f"{_fmt_ms(rd_d) if rd_d else 'not run'} | {ratio} | {_fmt_ms(_get(r, 'http', 'queries', name))} |")
            li = _get(r, "queries", "label-index")
            if li:
                lines.append(f"| label search, label index | {li['rows']} | {_fmt_ms(li)} | | | |")
            lines.append("")
        lines += ["## Exports, describe and viz", "",
                  "| quads | " + " | ".join(EXPORTS) + " | describe (library p50 / command) | viz --focus, 1 hop (library p50 / command) |",
                  "| ---: | " + " | ".join("---" for _ in EXPORTS) + " | --- | --- |"]
        for r in rows:
            cells = []
            for fmt in EXPORTS:
                d = _get(r, "exports", fmt) or {}
                cells.append(f"{_s(d['s'])} s, {d['mb']} MB" if "s" in d else f"> {d['timeout_s']:.0f} s" if "timeout_s" in d
                             else "not run" if "skipped" in d else "")
            de, vz = r.get("describe", {}), r.get("viz", {})
            dlib, vlib = de.get("library", {}), vz.get("library", {})
            lines.append(f"| {r['quads']:,} | " + " | ".join(cells) +
                         f" | {_ms(dlib['p50_ms']) if 'p50_ms' in dlib else ''} / {_cmd(de.get('cli_s'))}"
                         f" | {(_ms(vlib['p50_ms']) + ' / ' + _cmd(vz.get('cli_s'))) if 'p50_ms' in vlib else _fmt_ms(vlib)} |")
        lines += ["", "## Growth with size", "", "| cost | slope of log time / log size | sizes | why |", "| --- | ---: | --- | --- |"]
        for g in results.get("growth", []):
            lines.append(f"| {g['cost']} | {g['slope']} | {g['from']:,} to {g['to']:,} | {g['note']} |")
        lines += ["", "## Targets", "", "| target | met | measured |", "| --- | --- | --- |"]
        for t in results.get("targets", []):
            status = t.get("status", "met" if t["met"] else "not measured" if t["met"] is None else "missed")
            lines.append(f"| {t['target']} | {'**missed**' if status == 'missed' else status} | {t['value']} |")
        lines.append("")
        for note in results.get("notes", []):
            lines.append(f"- {note}")
        lines.append("")
    if results.get("pages"):
        lines += ["## Interactive pages", "",
                  "| nodes | edges | build (s) | pyvis from_nx (s) | page (MB) | time to stable page in Chromium (s) |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in results["pages"]:
            lines.append(f"| {r['nodes']:,} | {r['edges']:,} | {r['build_s']} | {r.get('pyvis_from_nx_s', '')} | "
                         f"{r['page_mb']} | {r.get('stable_page_s', '')} |")
    lines += endpoint_markdown(results.get("endpoint") or {})
    return "\n".join(lines) + "\n"


#: docs/benchmark.md's results block lies between these two lines (written by ``make bench``).
README_START = "<!-- bench-results: written by `make bench` (bench/benchmark.py --readme) from bench/results.json -->"
README_END = "<!-- bench-results: end -->"


def readme_block(results: dict) -> str:
    """The README's summary of a run: loading with ratios, query latencies against rdflib and over HTTP,
    exports, describe and viz, the plot, and the targets met and missed with their numbers."""
    rows = results["sizes"]
    mc = results["machine"]
    out = [f"Measured by `make bench` on {mc.get('cpu')} ({mc.get('cpus')} cores, {mc.get('ram_gb')} GB RAM), Python "
           f"{mc.get('python')}, pyoxigraph {mc.get('libraries', {}).get('pyoxigraph')}, rdflib "
           f"{mc.get('libraries', {}).get('rdflib')}; the whole run took {results.get('total_s', 0) / 60:.1f} minutes "
           f"(load average {mc.get('load_average', ['?'])[0]} when it started). Every figure of the run is in "
           "[bench/results.md](bench/results.md) and [bench/results.json](bench/results.json).", "",
           "| quads | raw pyoxigraph bulk load | `rightsgraph build --from` | build / raw | rdflib Dataset | build / rdflib "
           "| push to `oxigraph serve` (command) | describe (p50 / p95) | viz --focus (p50 / p95) |",
           "| ---: | --- | --- | ---: | --- | ---: | --- | ---: | ---: |"]
    for r in rows:
        ld, rd = r.get("load", {}), _get(r, "rdflib", "load") or {}
        share, bq, rq = _get(ld, "build", "share_of_raw"), _get(ld, "build", "quads_per_s"), rd.get("quads_per_s")
        short = lambda d: (f"{_s(d['s'])} s ({d['quads_per_s']:,}/s, {d.get('peak_mb', d.get('client_peak_mb'))} MB)"  # noqa: E731
                           if d and "s" in d else "not run")
        de, vz = _get(r, "describe", "library") or {}, _get(r, "viz", "library") or {}
        out.append(f"| {r['quads']:,} | {short(ld.get('raw'))} | {short(ld.get('build'))} | "
                   f"{'' if share is None else f'{share:.0%}'} | {short(rd)} | {f'{bq / rq:.1f}x' if bq and rq else ''} | "
                   f"{short(_get(r, 'http', 'push'))} | {_fmt_ms(de) if de else ''} | {_fmt_ms(vz) if vz else ''} |")
    out += ["", "Query latency, p50 / p95 after a warm-up, on the on-disk store (pyoxigraph), on rdflib's in-memory "
            "Dataset at 10^5 quads with the speed-up, and over HTTP:", "",
            "| query | " + " | ".join(f"{r['quads']:,}" for r in rows) + " | rdflib at 10^5 | speed-up | HTTP at "
            + ", ".join(f"{r['quads']:,}" for r in rows if r.get("http", {}).get("queries")) + " |",
            "| --- | " + " | ".join("---" for _ in rows) + " | --- | ---: | --- |"]
    k = _closest(rows, 10**5)
    for title, name, _ in QUERIES + [("label search, label index", "label-index", ())]:
        rd_d = _get(k, "rdflib", "queries", name) if k else None
        ox_d = _get(k, "queries", name) if k else None
        ratio = ""
        if ox_d and rd_d and "p50_ms" in rd_d and "p50_ms" in ox_d:
            ratio = f"{rd_d['p50_ms'] / ox_d['p50_ms']:,.0f}x"
        elif ox_d and rd_d and "timeout_s" in rd_d and "p50_ms" in ox_d:
            ratio = f"> {rd_d['timeout_s'] * 1000 / ox_d['p50_ms']:,.0f}x"
        http = " · ".join(_fmt_ms(_get(r, "http", "queries", name)) for r in rows if r.get("http", {}).get("queries"))
        out.append(f"| {title} | " + " | ".join(_fmt_ms(_get(r, "queries", name)) or "" for r in rows) +
                   f" | {_fmt_ms(rd_d) if rd_d else ''} | {ratio} | {http if name != 'label-index' else ''} |")
    out += ["", "Exports, one process each (seconds, file size):", "",
            "| quads | " + " | ".join(EXPORTS) + " |", "| ---: | " + " | ".join("---" for _ in EXPORTS) + " |"]
    for r in rows:
        cells = []
        for fmt in EXPORTS:
            d = _get(r, "exports", fmt) or {}
            cells.append(f"{_s(d['s'])} s, {d['mb']} MB" if "s" in d else "not run" if d else "")
        out.append(f"| {r['quads']:,} | " + " | ".join(cells) + " |")
    out += ["", "![Time against size, log-log: loads and exports, and query latencies](bench/scale.png)", "",
            "Closing note: the targets, met and missed, with this run's numbers (ratios from the same run):", ""]
    for t in results.get("targets", []):
        status = t.get("status", "met" if t["met"] else "not measured" if t["met"] is None else "missed")
        out.append(f"- {'**missed**' if status == 'missed' else status}: {t['target']}: {t['value']}")
    fast = [g for g in results.get("growth", []) if g["slope"] > 1.15 or (g["note"] and g["cost"].startswith(("query", "describe")))]
    if fast:
        out += ["", "How the query costs grow (slope of log time against log size; 1 is linear):", ""]
        out += [f"- {g['cost']}: slope {g['slope']} ({g['from']:,} to {g['to']:,} quads): {g['note']}" for g in fast]
    notes = results.get("notes", [])
    if notes:
        out += ["", "Not run or stopped:", ""] + [f"- {n}" for n in notes]
    out += ["", *endpoint_markdown(results.get("endpoint") or {})]
    return "\n".join(out) + "\n"


def update_readme(path: Path, results: dict) -> bool:
    """Replace the README's benchmark block with this run's; return False if the README has no block."""
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    path.write_text(f"{head}{README_START}\n\n{readme_block(results)}\n{README_END}{tail}", encoding="utf-8")
    return True


#: The curves of the plot: loads and exports (left), latencies (right).
PLOTTED = (("loads and exports", ["raw bulk load", "rightsgraph build", "rdflib Dataset load", "push over HTTP",
                                  "export nquads", "export trig", "export turtle", "export jsonld"]),
           ("latencies (p50)", ["query describe-entity", "query entity-claims", "query claims-by-source", "query figures-sources-disagree-on",
                                "query two-hop-paths", "query label-search", "label index search",
                                "query events-in-date-order", "describe", "viz --focus"]))


def plot(results: dict, path: Path) -> Path:
    """Draw time against size on log axes, loads and exports beside latencies (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = series(results["sizes"])
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.5), dpi=100)
    colours = plt.get_cmap("tab10").colors
    for ax, (title, names) in zip(axes, PLOTTED):
        for i, name in enumerate(names):
            pts = curves.get(name)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "-" if i < 10 else "--", marker="o", markersize=4,
                        color=colours[i % 10], label=name.replace("query ", ""))
        pts = [p for name in names for p in curves.get(name, [])]
        if pts:
            x0, y0 = min(pts)
            xs = sorted({p[0] for p in pts})
            ax.plot(xs, [y0 * x / x0 for x in xs], ":", color="grey", label="linear growth")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("quads")
        ax.set_ylabel("seconds")
        ax.set_title(title)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left", framealpha=0.85)
    fig.suptitle("rightsgraph: cost against size (log-log)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------------------------
# Interactive pages (the earlier section, kept)
# --------------------------------------------------------------------------------------------

def synthetic_network(nodes: int, edges_per_node: float = 2.5, seed: int = 7):
    """A random graph with the attributes ``visuals.network`` gives, deterministic from ``seed``.

    >>> g = synthetic_network(50)
    >>> g.number_of_nodes(), g.number_of_edges() > 0
    (50, True)
    """
    import networkx as nx

    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    ids = [str(entity_iri(rng.choice(_KINDS), f"n{i}")) for i in range(nodes)]
    for i, n in enumerate(ids):
        g.add_node(n, iri=n, label=f"Entity {i}", kind=n.split("/")[-2], cls="class", claims=rng.randint(1, 9))
    for j in range(int(nodes * edges_per_node)):
        s, o = rng.sample(ids, 2) if rng.random() > 0.3 else (ids[rng.randrange(min(20, nodes))], rng.choice(ids))
        claim = str(claim_iri("synthetic", str(j)))
        g.add_edge(s, o, key=claim, predicate=str(RG.about), label="about",
                   claims=claim, sources=f"source-{j % 5}", certainty="reported", quote=f"A quoted passage number {j}.")
    return g


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def _chromium_seconds(url: str, profile: Path) -> float | None:
    exe = shutil.which("chromium")
    if not exe:
        return None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--virtual-time-budget=120000", "--dump-dom", url]
    started = time.perf_counter()
    out = subprocess.run([exe, *flags], capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - started
    if url.endswith("empty.html"):
        return elapsed
    return elapsed if 'data-stabilized-ms="' in out.stdout and 'data-stabilized-ms=""' not in out.stdout else None


def pages(sizes: tuple[int, ...] = (1_000, 10_000), browser_sizes: tuple[int, ...] = (1_000,),
          pyvis_sizes: tuple[int, ...] = (1_000,)) -> list[dict]:
    """Measure page building (ours and pyvis's from_nx), page size and time to a stable page."""
    import networkx as nx

    from rightsgraph.outputs import visuals

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "empty.html").write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
        baseline = _chromium_seconds((folder / "empty.html").as_uri(), folder / "p0")
        for n in sizes:
            g = synthetic_network(n)
            seconds, text = _timed(visuals.render, g, "bench", n + 1)
            path = folder / f"page-{n}.html"
            path.write_text(text, encoding="utf-8")
            row = {"nodes": n, "edges": g.number_of_edges(), "build_s": round(seconds, 3),
                   "page_mb": round(path.stat().st_size / 1e6, 2)}
            if n in pyvis_sizes:
                from pyvis.network import Network

                net = Network(directed=True)
                row["pyvis_from_nx_s"] = round(_timed(net.from_nx, nx.DiGraph(g))[0], 3)
            if n in browser_sizes and baseline is not None:
                total = _chromium_seconds(path.as_uri(), folder / f"p{n}")
                row["stable_page_s"] = None if total is None else round(max(total - baseline, 0.0), 2)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------

def _skipped(prefix: str, value, out: list[str]) -> None:
    """Collect every ``skipped`` reason and stopped run under ``value``, named by where it sits."""
    if isinstance(value, dict):
        if "skipped" in value:
            out.append(f"{prefix}: {value['skipped']}")
        elif "timeout_s" in value and "p50_ms" not in value:
            out.append(f"{prefix}: stopped after {value['timeout_s']:.0f} s")
        for k, v in value.items():
            _skipped(f"{prefix}, {k}", v, out)


def _notes(results: dict) -> list[str]:
    """Plain statements about what was not run or was stopped, and why."""
    notes: list[str] = []
    for r in results["sizes"]:
        for section in ("load", "rdflib", "queries", "describe", "viz", "exports", "http"):
            _skipped(f"{r['quads']:,} quads, {section}", r.get(section), notes)
    return notes


def extraction(megabytes: float, log: Callable[[str], None] = lambda _: None) -> dict:
    """The extraction throughput on the corpus (``RIGHTSGRAPH_CORPUS`` or ../shared/corpus) repeated to ``megabytes``.

    Run in a child process of its own, so that it has one core and nothing else of the run in memory.
    """
    from rightsgraph.paths import corpus_dir

    folder = corpus_dir(None) or (CHECKOUT.parent / "shared" / "corpus")
    if not (Path(folder) / "manifest.yaml").exists():
        return {"skipped": f"no corpus at {folder} (set RIGHTSGRAPH_CORPUS)"}
    log(f"extraction throughput on the corpus repeated to {megabytes:g} MB")
    res = run_child([sys.executable, "-c", "import json, sys; from rightsgraph import paths; from rightsgraph.extraction import evaluate; "
                     "print(json.dumps(evaluate.throughput(sys.argv[1], float(sys.argv[2]), "
                     "paths=paths.project(sys.argv[3]))), flush=True)",
                     str(folder), str(megabytes), str(CHECKOUT)], timeout=600)
    if not res.lines:
        return {"skipped": f"the extraction did not finish: {res.stderr[-300:]}"}
    return {**res.lines[-1], "peak_mb": res.peak_mb, "corpus": str(folder)}


def extraction_targets(ex: dict | None) -> list[dict]:
    """The extraction throughput target (issue 4): at least 1 MB/s on one core."""
    if not ex or "mb_per_s" not in ex:
        return [_target("extraction >= 1 MB/s on one core", None, (ex or {}).get("skipped", "not measured"))]
    return [_target("extraction >= 1 MB/s on one core", ex["mb_per_s"] >= 1.0,
                    f"{ex['mb_per_s']} MB/s wall, {ex['mb_per_s_cpu']} MB/s of CPU time ({ex['mb']} MB in {ex['seconds']} s)")]


def run(out_dir: Path, quick: bool = False, sizes: tuple[int, ...] | None = None, plan: Plan | None = None,
        work: Path | None = None, log: Callable[[str], None] = lambda _: None, budget_min: float | None = None) -> dict:
    """Run the benchmark and write ``results.json``, ``results.md`` and ``scale.png`` into ``out_dir``."""
    plan = plan or (QUICK if quick else Plan())
    if sizes:
        plan = Plan(**{**plan.__dict__, "sizes": tuple(sizes)})
    if budget_min:
        plan = Plan(**{**plan.__dict__, "total": budget_min * 60.0})
    started = time.perf_counter()
    results: dict = {"machine": machine(), "quick": quick, "seed": plan.seed, "plan": dict(plan.__dict__), "sizes": []}
    session = Session(plan, log)
    own = work is None
    work = Path(tempfile.mkdtemp(prefix="rightsgraph-bench-")) if own else Path(work)
    if plan.extraction_mb:
        results["extraction"] = extraction(plan.extraction_mb, log)
    try:
        for n in plan.sizes:
            results["sizes"].append(measure_size(session, n, work))
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    if plan.http:
        results["endpoint"] = endpoint_on_the_project(work if not own else None, total=300 if quick else 2000)
    if plan.pages:
        page_sizes = (200, 1_000) if quick else (1_000, 10_000)
        results["pages"] = pages(sizes=page_sizes, browser_sizes=(page_sizes[0],), pyvis_sizes=(page_sizes[0],))
    results["growth"] = growth(results["sizes"])
    results["targets"] = (targets(results["sizes"]) + extraction_targets(results.get("extraction"))
                          + (results.get("endpoint") or {}).get("targets", []))
    results["notes"] = _notes(results)
    results["total_s"] = round(time.perf_counter() - started, 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=list), encoding="utf-8")
    (out_dir / "results.md").write_text(markdown(results), encoding="utf-8")
    if results["sizes"]:
        plot(results, out_dir / "scale.png")
    return results


def main(argv: list[str] | None = None) -> int:
    """``python bench/benchmark.py [--quick] [--sizes N,N] [--out DIR] [--work DIR] [--readme]``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="bench/benchmark.py",
        description="Measure costs and write results.json, results.md and scale.png. On synthetic dumps of the "
                    "data model at each size: loading (raw pyoxigraph bulk load, `rightsgraph build --from`, "
                    "rdflib's Dataset, `rightsgraph push` to oxigraph serve) with throughput and peak memory; "
                    "p50/p95 of the benchmark queries on pyoxigraph, rdflib and HTTP; export time per format; "
                    "describe and viz --focus latency; the targets met and missed; interactive pages.")
    parser.add_argument("--quick", action="store_true", help="sizes 10^4 and 10^5 only, few repetitions (used by the tests)")
    parser.add_argument("--budget", type=float, metavar="MINUTES", default=None,
                        help="the run's time budget: optional measurements that would overrun it are skipped "
                             "[default: 18, or 2 with --quick]")
    parser.add_argument("--sizes", metavar="N,N,...", help="sizes in quads, e.g. 1e4,1e5,1e6 [default: 1e4,1e5,1e6,1e7]")
    parser.add_argument("--out", type=Path, default=CHECKOUT / "bench", help="folder for the results [default: bench/]")
    parser.add_argument("--work", type=Path, default=None, help="folder for the dumps and stores [default: a temporary folder]")
    parser.add_argument("--readme", action="store_true", help="also write the summary into the results block of --readme-file")
    parser.add_argument("--readme-file", type=Path, default=CHECKOUT / "docs" / "benchmark.md",
                        help="the Markdown file with the results block [default: docs/benchmark.md]")
    args = parser.parse_args(argv)
    try:
        chosen = tuple(int(float(x)) for x in args.sizes.split(",")) if args.sizes else None
    except ValueError:
        parser.error(f"--sizes takes numbers separated by commas, like 1e4,1e5, not {args.sizes!r}")
    results = run(args.out, quick=args.quick, sizes=chosen, work=args.work, budget_min=args.budget,
                  log=lambda msg: print(f"· {msg}", file=sys.stderr, flush=True))
    for t in results["targets"]:
        print(f"{t['status'].upper() if t['status'] == 'missed' else t['status']}: {t['target']}: {t['value']}", file=sys.stderr)
    print(f"Wrote {args.out / 'results.json'}, {args.out / 'results.md'} and {args.out / 'scale.png'} "
          f"in {results['total_s'] / 60:.1f} min", file=sys.stderr)
    if args.readme:
        if not update_readme(args.readme_file, results):
            print(f"{args.readme_file} has no benchmark block ({README_START})", file=sys.stderr)
            return 2
        print(f"Updated the benchmark section of {args.readme_file}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child_main(sys.argv[2:])
    else:
        sys.exit(main())
