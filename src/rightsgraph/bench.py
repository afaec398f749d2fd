"""The benchmark: measured costs, written to ``bench/results.json`` and ``bench/results.md``.

Sections so far:

- ``pages``: building the interactive page for synthetic graphs of 1,000 and 10,000 nodes (the
  bulk way rightsgraph uses, against pyvis's ``Network.from_nx`` at 1,000 nodes), the page size,
  and the time headless Chromium needs to reach a stable layout (its run time on the page minus
  its run time on an empty page; virtual time lets it skip idle waits, so this is the work done).
"""

from __future__ import annotations

import json
import platform
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import networkx as nx

from . import visuals
from .namespaces import RG, claim_iri, entity_iri

_KINDS = ["facility", "person", "org", "group", "document", "event", "place"]


def synthetic_network(nodes: int, edges_per_node: float = 2.5, seed: int = 7) -> nx.MultiDiGraph:
    """A random graph with the attributes ``visuals.network`` gives, deterministic from ``seed``.

    >>> g = synthetic_network(50)
    >>> g.number_of_nodes(), g.number_of_edges() > 0
    (50, True)
    """
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


def machine() -> dict:
    """Describe the machine the numbers were measured on."""
    import os

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}


def run(out_dir: Path, quick: bool = False) -> dict:
    """Run the benchmark and write ``results.json`` and ``results.md`` into ``out_dir``."""
    sizes = (200, 1_000) if quick else (1_000, 10_000)
    results = {"machine": machine(), "quick": quick,
               "pages": pages(sizes=sizes, browser_sizes=(sizes[0],), pyvis_sizes=(sizes[0],))}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    lines = ["# Benchmark results", "", f"Machine: {results['machine']}", "",
             "## Interactive pages", "",
             "| nodes | edges | build (s) | pyvis from_nx (s) | page (MB) | time to stable page in Chromium (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results["pages"]:
        lines.append(f"| {r['nodes']:,} | {r['edges']:,} | {r['build_s']} | {r.get('pyvis_from_nx_s', '')} | "
                     f"{r['page_mb']} | {r.get('stable_page_s', '')} |")
    (out_dir / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results
