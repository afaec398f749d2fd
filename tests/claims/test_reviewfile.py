"""The review-file format: written atomically, read back, decisions kept when it is written again."""

from __future__ import annotations

import yaml

from rightsgraph.claims import reviewfile
from rightsgraph.claims.yamlfile import read_yaml

DOC = {"id": "bulletin", "file": "bulletin.txt", "title": "A bulletin", "publisher": "unknown",
       "url": "https://example.org/b", "sha256": "a" * 64, "path": "docs/bulletin.txt"}


def _claim(n: int) -> dict:
    return {"review": "pending", "subject": "facility/kwanliso-15", "quote": f"quote {n}",
            "facts": {"prisonerCount": n}, "offsets": [n, n + 7]}


def test_a_review_file_holds_the_document_the_items_and_how_to_accept_them(tmp_path):
    out = reviewfile.write(tmp_path / "review" / "bulletin.yaml", DOC, [_claim(1), _claim(2)], [], "docs/bulletin.txt", tmp_path)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Review file written by `rightsgraph extract`")
    assert "rightsgraph accept review/bulletin.yaml" in text
    data = yaml.safe_load(text)
    assert data["source"] == "bulletin" and data["document"] == DOC and data["new_entities"] == []
    assert [c["review"] for c in data["claims"]] == ["pending", "pending"]
    assert reviewfile.reviewed_documents(tmp_path / "review") == {"bulletin": "a" * 64}


def test_writing_again_keeps_the_reviewers_decisions(tmp_path):
    path = tmp_path / "bulletin.yaml"
    reviewfile.write(path, DOC, [_claim(1), _claim(2)], [], "x")
    path.write_text(path.read_text(encoding="utf-8").replace("- review: pending", "- review: reject", 1), encoding="utf-8")
    reviewfile.write(path, DOC, [_claim(1), _claim(2), _claim(3)], [], "x")
    assert [c["review"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]] == ["reject", "pending", "pending"]


def test_removing_items_keeps_the_rest_and_the_comments(tmp_path):
    path = tmp_path / "bulletin.yaml"
    reviewfile.write(path, DOC, [_claim(1), _claim(2)], [], "x")
    data = read_yaml(path, "bulletin.yaml")
    first = data["claims"][0].line
    text = reviewfile.remove_items(path, data, {first})
    assert text.startswith("# Review file") and [c["quote"] for c in yaml.safe_load(text)["claims"]] == ["quote 2"]
    assert reviewfile.strip({"review": "accept", "offsets": [1, 2], "quote": "q"}) == {"quote": "q"}
