"""Shared fixtures: the real project built once per session, a small fixture project, a real oxigraph server."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rightsgraph.store import build
from rightsgraph import paths

#: This checkout: the North Korea project the tests build, and the home of the benchmark tools.
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))  # the benchmark and the synthetic generator are tools of the repository


def corpus_folder() -> Path:
    """The corpus: $RIGHTSGRAPH_CORPUS, or ../shared/corpus beside the checkout."""
    return Path(os.environ.get("RIGHTSGRAPH_CORPUS") or ROOT.parent / "shared" / "corpus").resolve()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    folder = corpus_folder()
    if not (folder / "manifest.yaml").exists():
        pytest.fail(f"the corpus is needed at {folder} (set RIGHTSGRAPH_CORPUS)")
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> build.Report:
    """The real graph, built without the corpus (from the recorded offsets) into a temporary place."""
    out = tmp_path_factory.mktemp("built")
    return build.build(paths.project(ROOT), None, out / "store", out / "exports")


@pytest.fixture(scope="session")
def real_store(built):
    from rightsgraph.store import embedded as store

    return store.open(built.store)


def copy_project(dest: Path, fixture: str | None = None) -> Path:
    """Make a project root at ``dest``: the fixture's graph/ and corpus/ (or the real graph/), and
    the real ontology/ and queries/."""
    dest.mkdir(parents=True, exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    else:
        shutil.copytree(ROOT / "graph", dest / "graph")
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "queries", dest / "queries")
    return dest


@pytest.fixture
def mini(tmp_path) -> Path:
    """A small project with a corpus of one text written for the tests."""
    return copy_project(tmp_path / "mini", "mini")


def run_cli(*args: str, env: dict | None = None, input: str | None = None,
            cwd: str | os.PathLike | None = None) -> subprocess.CompletedProcess:
    """Run the real ``rightsgraph`` command in a subprocess (an ``env`` value of None removes the variable)."""
    exe = Path(sys.executable).with_name("rightsgraph")
    full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env, input=input, timeout=600,
                          cwd=cwd)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real `oxigraph serve` on 127.0.0.1 (free port, union default graph); yields its base URL."""
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"oxigraph did not start: {proc.stderr.read().decode()[:500]}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  # no network at all: every host resolves to nothing and every request goes to a dead proxy
                  "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def chromium() -> str:
    """The path of Debian's Chromium (installed by `make test`), or fail with how to get it."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("Chromium is needed for the browser tests: `make test` installs it (apt-get install chromium)")
    return exe


def _flags(url: str) -> list[str]:
    """The no-network flags; a page served on 127.0.0.1 may still be reached (and nothing else)."""
    if url.startswith("http://127.0.0.1"):
        kept = [f for f in CHROMIUM_FLAGS if not f.startswith(("--proxy", "--host-resolver-rules"))]
        return kept + ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--no-proxy-server"]
    return CHROMIUM_FLAGS


def chromium_dom(url: str, tmp: Path, budget_ms: int = 30000) -> str:
    """Open ``url`` in headless Chromium with no network, let it run, and return the DOM it ends with."""
    out = subprocess.run([chromium(), *_flags(url), f"--user-data-dir={tmp / 'profile-dom'}",
                          f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
                         capture_output=True, text=True, timeout=180)
    return out.stdout


def chromium_screenshot(url: str, png: Path, tmp: Path, budget_ms: int = 30000) -> Path:
    """Take a 1280x800 screenshot of ``url`` in headless Chromium with no network."""
    subprocess.run([chromium(), *_flags(url), f"--user-data-dir={tmp / 'profile-shot'}", "--window-size=1280,800",
                    f"--virtual-time-budget={budget_ms}", f"--screenshot={png}", url],
                   capture_output=True, text=True, timeout=180)
    return png


def script_project(tmp_path: Path) -> Path:
    """A project whose only source contains a quote with a <script> element in it."""
    root = copy_project(tmp_path / "xss", "mini")
    text = "Camp Report\n\nCamp 99 holds prisoners. A guard wrote <script>alert(1)</script> on the wall of Camp 99.\n"
    (root / "corpus" / "report.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    for f in (root / "corpus" / "manifest.yaml", root / "graph" / "sources.yaml"):
        f.write_text(re.sub(r"sha256: \w+", f"sha256: {sha}", f.read_text()), encoding="utf-8")
    (root / "graph" / "entities" / "all.yaml").write_text("""
- id: facility/camp-99
  type: PoliticalPrisonCamp
  label: Camp 99
  source: test-camp-report
  quote: "Camp 99 holds prisoners."
- id: person/a-guard
  type: Person
  label: A guard
  source: test-camp-report
  quote: "A guard wrote"
- id: org/example-watch
  type: NGO
  label: Example Watch
  source: test-camp-report
  quote: "Camp Report"
""", encoding="utf-8")
    (root / "graph" / "claims" / "report.yaml").write_text("""source: test-camp-report
claims:
  - subject: person/a-guard
    quote: "A guard wrote <script>alert(1)</script> on the wall of Camp 99."
    facts:
      workedAt: facility/camp-99
""", encoding="utf-8")
    return root
