"""``rightsgraph init DIR`` makes a project that builds, validates, queries, serves and exports at once, and the
built wheel, installed into a fresh virtual environment, does all of that with nothing of this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsgraph.cli import main
from rightsgraph.cli.init import create

from ..conftest import FIXTURES, ROOT, free_port

AUDIT = FIXTURES / "audit"


def test_init_writes_a_project_that_builds_queries_and_describes_in_process(tmp_path, monkeypatch):
    monkeypatch.delenv("RIGHTSGRAPH_CORPUS", raising=False)
    monkeypatch.delenv("RIGHTSGRAPH_ROOT", raising=False)
    runner = CliRunner()
    done = runner.invoke(main, ["init", str(tmp_path / "team")])
    assert done.exit_code == 0, done.output
    project = tmp_path / "team"
    assert (project / "rightsgraph.toml").is_file() and not (project / "ontology").exists()
    assert "build/" in (project / ".gitignore").read_text()
    assert "INVENTED" in (project / "corpus" / "example-report.txt").read_text()
    monkeypatch.chdir(project / "graph")  # found from a subfolder
    for args in (["build"], ["validate"], ["query", "who-was-held-where", "--format", "csv"],
                 ["describe", "Alex Example"], ["export", "-o", str(tmp_path / "x.ttl")]):
        done = runner.invoke(main, args)
        assert done.exit_code == 0, (args, done.output)
        if args[0] == "query":
            assert "Alex Example,https://w3id.org/rightsgraph/id/facility/example-detention-centre" in done.output
    assert "@prefix" in (tmp_path / "x.ttl").read_text()


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert done.exit_code == 2 and "not empty" in done.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def _snapshot(folder: Path) -> dict[str, float]:
    """Every file of the checkout (except .git) with its size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for f in filenames:
            p = os.path.join(dirpath, f)
            try:
                st = os.stat(p)
            except OSError:
                continue
            out[p] = (st.st_size, st.st_mtime_ns)
    return out


def _source_copy(dest: Path) -> Path:
    """The files a wheel is built from, copied out of the checkout (a build writes build/ and *.egg-info)."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def test_the_wheel_installed_in_a_fresh_venv_runs_a_new_project_and_writes_only_there(tmp_path):
    (tmp_path / "src-copy").mkdir()
    src = _source_copy(tmp_path / "src-copy")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(src)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(wheels.glob("rightsgraph-*.whl"))
    import zipfile

    inside = set(zipfile.ZipFile(wheel).namelist())
    data = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "rightsgraph").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert sorted(data - inside) == []  # every file of the package ships (queries, shapes, template)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_ = env_dir / "bin"
    clean = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "RIGHTSGRAPH_ROOT", "RIGHTSGRAPH_CORPUS", "VIRTUAL_ENV")}
    subprocess.run([str(bin_ / "pip"), "install", "--quiet", str(wheel)], check=True, env=clean,
                   capture_output=True, timeout=1200)

    project = tmp_path / "empty" / "p"
    project.parent.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(ROOT)
    log = out / "audit.log"
    env = {**clean, "PYTHONPATH": str(AUDIT), "RIGHTSGRAPH_AUDIT_LOG": str(log), "MPLCONFIGDIR": str(out / "mpl"),
           "HOME": str(out / "home")}
    where = subprocess.run([str(bin_ / "python"), "-c", "import rightsgraph; print(rightsgraph.__file__)"],
                           env=clean, capture_output=True, text=True, check=True, cwd=project.parent).stdout
    assert where.startswith(str(env_dir)), where  # the installed copy, not this checkout's src/
    exe = str(bin_ / "rightsgraph")

    def run(*args, cwd=project):
        done = subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        return done

    run("init", str(project), cwd=project.parent)
    run("build")
    run("validate")
    assert "Example Detention Centre" in run("query", "camps-with-prisoner-estimates", "--format", "csv").stdout
    assert "Facility Zero" in run("describe", "Example Detention Centre").stdout
    run("export", "--format", "jsonld", "-o", str(project / "build" / "x.jsonld"))
    port = free_port()
    proc = subprocess.Popen([exe, "serve", "--port", str(port), "--workers", "1"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/id/person/alex-example", timeout=5) as resp:
                    body = resp.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None and "Alex Example" in body
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    assert _snapshot(ROOT) == before
    temp = Path(tempfile.gettempdir()).resolve()
    written = {line.split("\t")[2] for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("W")}
    outside = sorted(w for w in written
                     if not any(Path(w).resolve().is_relative_to(f) for f in (project.resolve(), out.resolve()))
                     and not (Path(w).resolve().is_relative_to(temp) and not Path(w).resolve().is_relative_to(tmp_path.resolve())))
    assert outside == [], outside[:10]
    assert not any(Path(w).resolve().is_relative_to(ROOT) for w in written)
