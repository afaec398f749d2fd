"""The benchmark runs end to end in quick mode and writes its results."""

import json

from .conftest import run_cli


def test_quick_benchmark_writes_results(tmp_path):
    out = run_cli("bench", "--quick", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    sizes = [row["nodes"] for row in results["pages"]]
    assert sizes == [200, 1000]
    first = results["pages"][0]
    assert first["build_s"] > 0 and first["page_mb"] > 0 and first["stable_page_s"] is not None
    assert "| 1,000 |" in (tmp_path / "results.md").read_text()
