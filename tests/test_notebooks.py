"""The notebooks of notebooks/: each one runs from top to bottom on a fresh kernel, and is committed clean.

The notebooks open the public release (``release.open(project)``), never the internal store. Here they run
against the graph the test session builds (the ``built`` fixture), through a temporary project root
(``RIGHTSGRAPH_ROOT``) whose ``graph/``, ``ontology/`` and ``queries/`` are the checkout's and whose
``build/store`` and ``build/releases/`` are the fresh ones.
04-linked-data also queries a real oxigraph server loaded with the graph (``RIGHTSGRAPH_ENDPOINT``).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT, run_cli

NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
LINKED_DATA = "04-linked-data.ipynb"


def _param(path: Path):
    marks = [pytest.mark.server] if path.name == LINKED_DATA else []
    return pytest.param(path, id=path.stem, marks=marks)


def test_the_four_notebooks_are_there():
    names = [p.name for p in ALL]
    assert len(names) >= 4
    for name in ("01-tour.ipynb", "02-camps.ipynb", "03-timeline.ipynb", LINKED_DATA):
        assert name in names


@pytest.fixture
def fresh_root(built, tmp_path, monkeypatch) -> Path:
    """A project root whose build/store and build/releases/ are the ones built for this session."""
    root = tmp_path / "root"
    (root / "build").mkdir(parents=True)
    for folder in ("graph", "ontology", "queries"):
        (root / folder).symlink_to(ROOT / folder, target_is_directory=True)
    (root / "build" / "store").symlink_to(built.store, target_is_directory=True)
    (root / "build" / "releases").symlink_to(built.releases["public"].folder.parent, target_is_directory=True)
    monkeypatch.setenv("RIGHTSGRAPH_ROOT", str(root))
    return root


def execute(path: Path) -> nbformat.NotebookNode:
    """Run the notebook in a new python3 kernel (which inherits os.environ), in notebooks/."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return nb


def outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def printed(nb: nbformat.NotebookNode) -> str:
    return "".join(out.get("text", "") for out in outputs(nb) if out.output_type == "stream")


def images(nb: nbformat.NotebookNode) -> int:
    return sum(1 for out in outputs(nb) if "image/png" in out.get("data", {}))


@pytest.mark.parametrize("path", [_param(p) for p in ALL])
def test_notebook_runs(path, fresh_root, request, monkeypatch):
    if path.name == LINKED_DATA:
        base = request.getfixturevalue("oxigraph_server")
        built = request.getfixturevalue("built")
        pushed = run_cli("push", "--store", str(built.releases["public"].store), "--endpoint", f"{base}/store")
        assert pushed.returncode == 0, pushed.stderr
        monkeypatch.setenv("RIGHTSGRAPH_ENDPOINT", f"{base}/query")
    else:
        monkeypatch.delenv("RIGHTSGRAPH_ENDPOINT", raising=False)

    nb = execute(path)  # raises CellExecutionError, naming the cell, if any cell fails

    assert not [out for out in outputs(nb) if out.output_type == "error"]
    text = printed(nb)
    if path.name == "01-tour.ipynb":
        assert "Yodok political prison camp" in text
        assert any("<iframe" in out.get("data", {}).get("text/html", "") for out in outputs(nb)), "no inline network"
    elif path.name == "02-camps.ipynb":
        assert images(nb) >= 2, "the estimates chart and the political-prisoner chart"
    elif path.name == "03-timeline.ipynb":
        assert images(nb) >= 2, "the timeline and the events per decade"
        assert "claims:" in text
    elif path.name == LINKED_DATA:
        assert "not set" not in text, "the endpoint part was skipped"
        assert "same rows: True" in text
        assert "same as the local store: True" in text


def test_linked_data_notebook_skips_the_endpoint_part_without_the_variable(fresh_root, monkeypatch):
    monkeypatch.delenv("RIGHTSGRAPH_ENDPOINT", raising=False)
    text = printed(execute(NOTEBOOKS / LINKED_DATA))
    assert "RIGHTSGRAPH_ENDPOINT is not set" in text
    assert "same rows:" not in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"{path.name} cell {i} has outputs: clear them before committing"
        assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
        for word in ("SELECT ", "PREFIX "):
            assert word not in cell.source, f"{path.name} cell {i} holds SPARQL ({word.strip()}): use a named query"


def test_make_notebooks_opens_jupyterlab_from_an_extra():
    """Issue 15: `make notebooks` installs the `notebooks` extra (JupyterLab) and opens JupyterLab on notebooks/."""
    import subprocess
    import sys as _sys

    if _sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("jupyterlab") for d in extras["notebooks"])
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "notebooks"], capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0 and "jupyter lab notebooks/" in dry.stdout and "notebooks]" in dry.stdout
