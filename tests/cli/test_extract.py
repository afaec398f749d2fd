"""`rightsgraph extract`, `accept` and `build --include-candidates` as a user runs them: real subprocesses."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from rightsgraph.sources.reading import read

from ..conftest import ROOT, copy_project, run_cli
from ..extraction.test_workflow import FIXTURES, graph_hashes, mark


def test_acceptance_extract_a_corpus_document_accept_all_and_validate(tmp_path, corpus_dir):
    """Acceptance 1: extract a corpus text in a copy of the project, accept everything, and the graph validates."""
    root = copy_project(tmp_path / "copy")
    source = next(corpus_dir.glob("003_*.txt"))
    before = graph_hashes(root)
    out = run_cli("--root", str(root), "extract", str(source))
    assert out.returncode == 0, out.stderr
    target = root / "review" / "hrw-world-report-2019-north-korea.yaml"
    assert "-> review/hrw-world-report-2019-north-korea.yaml" in out.stdout or str(target) in out.stdout
    assert "known source hrw-world-report-2019-north-korea" in out.stdout
    assert graph_hashes(root) == before  # extract touches nothing in graph/
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    assert data["source"] == data["document"]["id"] == "hrw-world-report-2019-north-korea"
    assert data["claims"]
    for item in data["claims"] + data["new_entities"]:
        start, end = item["offsets"]
        assert text[start:end] == item["quote"]
    accepted = run_cli("--root", str(root), "accept", "--all", str(target))
    assert accepted.returncode == 0, accepted.stderr
    assert f"Accepted {len(data['claims'])} claim(s)" in accepted.stderr
    assert "wrote graph/claims/hrw-world-report-2019-north-korea.yaml" in accepted.stdout
    moved = yaml.safe_load((root / "graph" / "claims" / "hrw-world-report-2019-north-korea.yaml").read_text(encoding="utf-8"))
    assert all(c["method"].startswith("https://w3id.org/rightsgraph/activity/rule/") for c in moved["claims"])
    valid = run_cli("--root", str(root), "validate", "--corpus", str(corpus_dir))
    assert valid.returncode == 0, valid.stderr[-3000:]


def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "binary": (folder / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
        "utf-8": (folder / "latin1.md", b"Camp 99 notes\n\nCaf\xe9 near Camp 99.\n"),
        "empty": (folder / "empty.txt", b""),
        "suffix": (folder / "scan.pdf", b"%PDF-1.4 Camp 99"),
    }
    for path, data in files.values():
        path.write_bytes(data)
    return {k: p for k, (p, _) in files.items()}


def test_bad_inputs_get_clear_messages_and_no_review_file(tmp_path):
    root = copy_project(tmp_path / "mini", "mini")
    bad = _bad_inputs(tmp_path / "in")
    before = graph_hashes(root)
    messages = {"binary": "a binary file, not text", "utf-8": "not valid UTF-8 text (byte 18: invalid continuation byte)",
                "empty": "the file is empty", "suffix": "not a text, Markdown or HTML file"}
    for kind, path in bad.items():
        out = run_cli("--root", str(root), "extract", str(path), "--out", str(tmp_path / "review"))
        assert out.returncode == 1, (kind, out.stderr)
        assert f"Error: {path}: {messages[kind]}" in out.stderr, (kind, out.stderr)
        assert "Traceback" not in out.stderr
        assert not (tmp_path / "review").exists() or not list((tmp_path / "review").iterdir())
    missing = run_cli("--root", str(root), "extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "nope.txt: no such file or folder" in missing.stderr
    assert graph_hashes(root) == before


def test_a_batch_reports_every_bad_file_and_writes_the_good_ones(tmp_path):
    root = copy_project(tmp_path / "mini", "mini")
    folder = tmp_path / "in"
    bad = _bad_inputs(folder)
    shutil.copy(FIXTURES / "update.html", folder / "update.html")
    shutil.copy(FIXTURES / "notes.md", folder / "notes.md")
    out = run_cli("--root", str(root), "extract", str(folder), str(bad["suffix"]), "--out", str(tmp_path / "review"))
    assert out.returncode == 1
    for path in bad.values():
        assert f"Error: {path}:" in out.stderr
    assert "4 input(s) could not be read; no review file was written for them (2 written for the others)." in out.stderr
    assert "[1/6]" in out.stderr  # progress over many files (the .pdf of the folder is not picked up, the one named is)
    assert sorted(p.name for p in (tmp_path / "review").iterdir()) == ["notes.yaml", "update.yaml"]


def test_html_scripts_styles_and_comments_give_no_claims(tmp_path):
    root = copy_project(tmp_path / "mini", "mini")
    out = run_cli("--root", str(root), "extract", str(FIXTURES / "update.html"))
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load((root / "review" / "update.yaml").read_text(encoding="utf-8"))
    text = read(FIXTURES / "update.html").text
    for item in data["claims"] + data["new_entities"]:
        assert text[item["offsets"][0]:item["offsets"][1]] == item["quote"]
        for hidden in ("99,999", "77,777", "55,555", "66,666", "script", "<"):
            assert hidden not in item["quote"]


def test_usage_errors(tmp_path):
    root = copy_project(tmp_path / "mini", "mini")
    out = run_cli("--root", str(root), "extract")
    assert out.returncode == 2 and "give the documents to extract" in out.stderr
    out = run_cli("--root", str(root), "extract", str(FIXTURES), "--url", "https://example.org/x")
    assert out.returncode == 2 and "--url names one document" in out.stderr
    out = run_cli("--root", str(root), "accept", str(tmp_path / "none.yaml"))
    assert out.returncode == 2 and "no review file" in out.stderr


def test_evaluate_prints_precision_and_recall(corpus_dir):
    out = run_cli("extract", "--evaluate", "--corpus", str(corpus_dir))
    assert out.returncode == 0, out.stderr
    assert "prec" in out.stdout.lower() and "recall" in out.stdout.lower()


def test_accept_and_include_candidates_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv("RIGHTSGRAPH_CORPUS", raising=False)  # make test exports it; this project has its own corpus
    root = copy_project(tmp_path / "mini", "mini")
    corpus = str(root / "corpus")
    assert run_cli("--root", str(root), "extract", str(FIXTURES / "update.html")).returncode == 0
    review_file = root / "review" / "update.yaml"
    mark(review_file, ["accept", "accept", "pending"])
    review_file.write_text(review_file.read_text(encoding="utf-8").replace("subject: person/jane-doe", "subject: person/jane-roe"),
                           encoding="utf-8")
    query = ["query", "extracted-claims", "--format", "csv"]
    # unreviewed candidates in the graph only with the flag
    built = run_cli("--root", str(root), "build", "--corpus", corpus, "--include-candidates",
                    "--store", str(tmp_path / "s"), "--exports", str(tmp_path / "e"))
    assert built.returncode == 1 and "review/update.yaml:" in built.stderr and "person/jane-roe" in built.stderr
    review_file.write_text(review_file.read_text(encoding="utf-8").replace("person/jane-roe", "person/jane-doe"), encoding="utf-8")
    built = run_cli("--root", str(root), "build", "--corpus", corpus, "--include-candidates",
                    "--store", str(tmp_path / "s"), "--exports", str(tmp_path / "e"))
    assert built.returncode == 0, built.stderr
    checked = run_cli("--root", str(root), "validate", "--corpus", corpus, "--include-candidates")
    assert checked.returncode == 0 and "Valid with the corpus" in checked.stderr, checked.stderr
    rows = run_cli("--root", str(root), *query, "--store", str(tmp_path / "s")).stdout.splitlines()
    assert len(rows) == 4 and all(",update," in r and (",0.75," in r or ",0.85," in r) for r in rows[1:])
    plain = run_cli("--root", str(root), "build", "--corpus", corpus, "--store", str(tmp_path / "s2"),
                    "--exports", str(tmp_path / "e2"))
    assert plain.returncode == 0
    assert run_cli("--root", str(root), *query, "--store", str(tmp_path / "s2")).stdout.splitlines()[1:] == []
    # accept: an error names the review file's line, and nothing changes
    after_build = graph_hashes(root)
    review_file.write_text(review_file.read_text(encoding="utf-8").replace("jobTitle: senior researcher", "jobTitle: [a, b]: c"),
                           encoding="utf-8")
    mark(review_file, ["accept"])
    out = run_cli("--root", str(root), "accept", str(review_file), "--corpus", corpus)
    assert out.returncode == 1 and "nothing was changed" in out.stderr
    assert "review/update.yaml:" in out.stderr
    assert graph_hashes(root) == after_build
    review_file.write_text(review_file.read_text(encoding="utf-8").replace("jobTitle: [a, b]: c", "jobTitle: senior researcher"),
                           encoding="utf-8")
    out = run_cli("--root", str(root), "accept", str(review_file), "--corpus", corpus)
    assert out.returncode == 0, out.stderr
    assert "Accepted 3 claim(s)" in out.stderr and "Added the source record update" in out.stderr
    assert set(graph_hashes(root)) - set(after_build) == {"graph/claims/update.yaml"}
    assert run_cli("--root", str(root), "validate").returncode == 0  # from the recorded offsets, without the corpus


def test_evaluate_unseen_prints_the_tables():
    out = run_cli("extract", "--evaluate", "--unseen", str(ROOT / "tests" / "fixtures" / "unseen"))
    assert out.returncode == 0, out.stderr
    assert "invented documents" in out.stdout and "New people, reports and organisations" in out.stdout
