"""``rightsgraph --root DIR`` works on DIR alone: its ontology, queries and graph, for every command.

Each command runs from an unrelated working folder with an audit hook (tests/fixtures/audit) that logs
every file Python opens, lists, writes, renames or removes. Nothing of this checkout may be touched
(except the package's own source, which an editable install runs from), nothing may be read or written
in the working folder, and nothing may be written outside DIR, the output folder and the temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import rightsgraph

from ..conftest import FIXTURES, ROOT, copy_project, free_port

AUDIT = FIXTURES / "audit"
PACKAGE = Path(rightsgraph.__file__).resolve().parent


def _env(log: Path, out: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("RIGHTSGRAPH_ROOT", "RIGHTSGRAPH_CORPUS")}
    env["PYTHONPATH"] = os.pathsep.join([str(AUDIT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["RIGHTSGRAPH_AUDIT_LOG"] = str(log)
    env["MPLCONFIGDIR"] = str(out / "mpl")
    return env


def _entries(log: Path) -> list[tuple[str, str, Path]]:
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        rw, event, path = line.split("\t", 2)
        out.append((rw, event, Path(path)))
    return out


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return path == folder


def _violations(log: Path, project: Path, out: Path, cwd: Path) -> list[str]:
    temp = Path(tempfile.gettempdir())
    bad = []
    for rw, event, path in _entries(log):
        # the installed package's own metadata (an editable install keeps src/rightsgraph.egg-info in the checkout;
        # rdflib's plugin lookup reads its entry_points.txt) belongs to the package, like its modules
        metadata = rw == "R" and _inside(path, PACKAGE.parent) and path.parent.name.endswith((".egg-info", ".dist-info"))
        # the Python environment the command runs in (make's .venv sits inside the checkout): interpreter, libraries
        environment = rw == "R" and any(_inside(path, Path(p)) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
        if metadata or environment:
            continue
        if _inside(path, ROOT) and not _inside(path, PACKAGE) and not _inside(path, project) and not _inside(path, out):
            bad.append(f"{rw} {event} {path} (in the checkout)")
        elif _inside(path, cwd) and not _inside(path, project) and not _inside(path, out):
            bad.append(f"{rw} {event} {path} (in the working folder)")
        elif rw == "W" and not any(_inside(path, f) for f in (project, out, temp)):
            bad.append(f"{rw} {event} {path} (written outside the project and the outputs)")
    return sorted(set(bad))


@pytest.fixture
def elsewhere(tmp_path):
    """A project copied from the mini fixture, an output folder, and an unrelated working folder."""
    project = copy_project(tmp_path / "project", "mini")
    (project / "queries" / "fixture-only.rq").write_text(
        "# Which camps does the fixture project hold? (only this project has this query)\n"
        "PREFIX rg: <https://w3id.org/rightsgraph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?camp ?name WHERE { ?camp a rg:PoliticalPrisonCamp ; rdfs:label ?name }\n", encoding="utf-8")
    out = tmp_path / "out"
    (out / "mpl").mkdir(parents=True)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return project, out, cwd


COMMANDS = [
    ["build", "--corpus", "{project}/corpus"],
    ["validate", "--corpus", "{project}/corpus"],
    ["stats"],
    ["query", "--list"],
    ["query", "fixture-only"],
    ["describe", "Camp 99"],
    ["export", "--format", "turtle", "-o", "{out}/x.ttl"],
    ["viz", "-o", "{out}/network.html"],
    ["viz", "--focus", "Camp 99", "--hops", "1", "-o", "{out}/focus.html"],
    ["timeline", "-o", "{out}/timeline.html"],
    ["timeline", "-o", "{out}/timeline.png"],
    ["extract", "{project}/corpus/report.txt", "--out", "{out}/review"],
]


def test_every_command_reads_and_writes_only_the_project_and_its_outputs(elsewhere):
    import subprocess

    project, out, cwd = elsewhere
    exe = Path(sys.executable).with_name("rightsgraph")
    for args in COMMANDS:
        log = out / f"audit-{args[0]}.log"
        argv = [a.format(project=project, out=out) for a in args]
        done = subprocess.run([str(exe), "--root", str(project), *argv], cwd=cwd, env=_env(log, out),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (argv, done.stderr[-2000:])
        if args[:2] == ["query", "fixture-only"]:
            assert "Camp 99" in done.stdout
        assert _violations(log, project, out, cwd) == [], argv


def test_the_server_pages_read_only_the_project(elsewhere):
    import subprocess

    project, out, cwd = elsewhere
    exe = Path(sys.executable).with_name("rightsgraph")
    subprocess.run([str(exe), "--root", str(project), "build", "--corpus", str(project / "corpus")], check=True,
                   capture_output=True, cwd=cwd, env=_env(out / "build.log", out))
    log = out / "audit-serve.log"
    port = free_port()
    proc = subprocess.Popen([str(exe), "--root", str(project), "serve", "--port", str(port)], cwd=cwd,
                            env=_env(log, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # uvicorn and the query workers took 14 s to start on a loaded machine
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the server did not answer within 120 s"
                time.sleep(0.2)
        pages = {}
        for path in ("/", "/search?q=camp", "/id/facility/camp-99", "/viz?focus=Camp%2099&hops=1", "/queries",
                     "/queries/fixture-only"):
            req = urllib.request.Request(base + path, headers={"Accept": "text/html"})
            with urllib.request.urlopen(req, timeout=30) as resp:
                pages[path] = resp.read().decode("utf-8")
        assert "Camp 99" in pages["/id/facility/camp-99"]
        assert "only this project has this query" in pages["/queries"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert _violations(log, project, out, cwd) == []


def test_the_audit_hook_sees_a_read_of_the_checkout(tmp_path):
    """The check above can fail: a process that reads this checkout's ontology is caught."""
    import subprocess

    log = tmp_path / "audit.log"
    subprocess.run([sys.executable, "-c", f"open({str(ROOT / 'ontology' / 'rightsgraph.ttl')!r}).read()"],
                   env=_env(log, tmp_path), check=True, cwd=tmp_path)
    found = _violations(log, tmp_path / "project", tmp_path / "out", tmp_path / "cwd")
    assert any("ontology/rightsgraph.ttl" in v and "in the checkout" in v for v in found)


def test_the_audit_hook_resolves_names_opened_through_a_folder_descriptor(tmp_path):
    """shutil.rmtree opens and removes each entry by its bare name relative to its folder's descriptor: the log
    names the real files, not files of that name in the working folder; a bare name opened by the program
    itself is still logged in the working folder."""
    import subprocess

    log, cwd = tmp_path / "audit.log", tmp_path / "cwd"
    (tmp_path / "doomed" / "releases").mkdir(parents=True)
    (tmp_path / "doomed" / "releases" / "x.txt").write_text("x")
    cwd.mkdir()
    (cwd / "notes.txt").write_text("mine")
    code = f"import shutil; shutil.rmtree({str(tmp_path / 'doomed')!r}); open('notes.txt').read()"
    subprocess.run([sys.executable, "-c", code], env=_env(log, tmp_path), check=True, cwd=cwd)
    logged = {(rw, event, str(path)) for rw, event, path in _entries(log)}
    assert ("W", "os.rmdir", str(tmp_path / "doomed" / "releases")) in logged
    assert ("W", "os.remove", str(tmp_path / "doomed" / "releases" / "x.txt")) in logged
    assert not any(path.startswith(str(cwd / "releases")) for _, _, path in logged)
    found = _violations(log, tmp_path / "project", tmp_path / "out", cwd)
    assert found == [f"R open {cwd / 'notes.txt'} (in the working folder)"]
