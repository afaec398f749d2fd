"""The corpus folder: its manifest, its texts and their checksums."""

from __future__ import annotations

import hashlib

import pytest

from rightsgraph.claims.records import Origin, SourceRecord
from rightsgraph.errors import UsageError
from rightsgraph.sources.corpus import Corpus


def _record(file: str, data: bytes) -> SourceRecord:
    return SourceRecord("s", file, "T", "P", "https://x.example/", hashlib.sha256(data).hexdigest(),
                        Origin("graph/sources.yaml", 5))


def test_a_missing_folder_says_how_to_give_one(tmp_path):
    with pytest.raises(UsageError, match="give --corpus DIR or set RIGHTSGRAPH_CORPUS"):
        Corpus(tmp_path / "nowhere")


def test_texts_are_read_and_their_checksums_checked(tmp_path):
    (tmp_path / "manifest.yaml").write_text("sources:\n  - {id: s, file: a.txt}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes("Kwan-li-so No. 15 — Yodŏk".encode())
    corpus = Corpus(tmp_path)
    good = _record("a.txt", (tmp_path / "a.txt").read_bytes())
    assert corpus.manifest["s"]["file"] == "a.txt"
    assert corpus.text(good) == "Kwan-li-so No. 15 — Yodŏk"
    assert corpus.check_source_files({"s": good}) == []
    changed = _record("a.txt", b"another text")
    missing = _record("b.txt", b"")
    found = [str(p) for p in Corpus(tmp_path).check_source_files({"s": changed, "t": missing})]
    assert any("sha256 of a.txt is" in p and p.startswith("graph/sources.yaml:5:") for p in found)
    assert any("file b.txt not found in the corpus" in p for p in found)


def test_a_text_that_is_not_utf8_reads_as_none(tmp_path):
    (tmp_path / "l.txt").write_bytes("caf\xe9".encode("latin-1"))
    assert Corpus(tmp_path).text(_record("l.txt", b"")) is None
