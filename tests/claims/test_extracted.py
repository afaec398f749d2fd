"""Loading review files with the graph, and source texts that live outside the corpus."""

from __future__ import annotations

import hashlib

import pytest

from rightsgraph import paths
from rightsgraph.claims.extracted import Candidates, external_sources
from rightsgraph.claims.records import Origin, SourceRecord
from rightsgraph.errors import UsageError
from rightsgraph.sources.corpus import Corpus


def test_a_missing_review_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(UsageError, match="run `rightsgraph extract` first"):
        Candidates.folder(tmp_path / "review")


def test_a_folder_gives_its_review_files_and_takes_every_item_not_rejected(tmp_path):
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("x", encoding="utf-8")
    c = Candidates.folder(tmp_path)
    assert [p.name for p in c.files] == ["a.yaml"]
    assert c.select("pending") and c.select("accept") and not c.select("reject")


def test_a_source_outside_the_corpus_is_read_from_its_path_and_checked(tmp_path):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "b.txt").write_text("A bulletin.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = SourceRecord("b", "b.txt", "B", "P", "https://x.example/", hashlib.sha256(b"A bulletin.").hexdigest(),
                        Origin("graph/sources.yaml", 2), path="docs/b.txt")
    bad = SourceRecord("c", "c.txt", "C", "P", "https://x.example/", "0" * 64, Origin("graph/sources.yaml", 9), path="docs/c.txt")
    external, texts, problems = external_sources(paths.project(root), {"b": good, "c": bad}, Corpus(corpus))
    assert external == {"b", "c"}
    assert texts["b"] == "A bulletin."
    assert [str(p) for p in problems] == ["graph/sources.yaml:9: source 'c': its text is not in the corpus "
                                          f"{corpus} and not at 'docs/c.txt' (its path, relative to the project root)"]
