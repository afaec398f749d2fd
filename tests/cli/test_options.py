"""What every command shares: the project found or refused in one line, errors turned into exit codes."""

from __future__ import annotations

from ..conftest import run_cli


def test_outside_any_project_a_command_says_so_in_one_line_with_exit_2(tmp_path):
    done = run_cli("stats", env={"RIGHTSGRAPH_ROOT": None}, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not inside a rightsgraph project" in lines[0] and "--root" in lines[0]


def test_a_root_that_does_not_exist_is_a_usage_error(tmp_path):
    done = run_cli("--root", str(tmp_path / "nowhere"), "stats")
    assert done.returncode == 2 and "no such folder" in done.stderr


def test_data_problems_are_listed_with_file_and_line_and_exit_1(mini):
    f = mini / "graph" / "claims" / "report.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("subject:", "subjekt:", 1), encoding="utf-8")
    done = run_cli("--root", str(mini), "validate")
    assert done.returncode == 1
    assert "graph/claims/report.yaml:" in done.stderr and "nothing was changed" in done.stderr
