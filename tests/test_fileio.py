"""Files and folders are replaced whole: a reader sees the old version or the new one."""

from __future__ import annotations

import pytest

from rightsgraph import fileio


def test_an_atomic_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    fileio.atomic_write(target, "one\n")
    fileio.atomic_write(target, "two\n")
    assert target.read_text() == "two\n" and [p.name for p in target.parent.iterdir()] == ["a.txt"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_a_failed_write_leaves_the_old_file_as_it_was(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with fileio.atomic_writer(target) as out:
            out.write(b"half")
            raise RuntimeError("the writer failed")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_staged_folder_is_swapped_in_whole_and_the_staging_folder_goes(tmp_path):
    final = tmp_path / "build" / "store"
    final.mkdir(parents=True)
    (final / "old").write_text("old")
    with fileio.staging(final) as staging:
        (staging / "store").mkdir()
        (staging / "store" / "new").write_text("new")
        (staging / "x.nq").write_text("quads")
        fileio.swap(staging / "store", final)
        moved = fileio.move_into({"nquads": staging / "x.nq"}, tmp_path / "exports")
    assert sorted(p.name for p in final.iterdir()) == ["new"]
    assert moved == {"nquads": tmp_path / "exports" / "x.nq"} and moved["nquads"].read_text() == "quads"
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["store"]
