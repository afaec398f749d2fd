"""The audit log: one line per release built and per accept; earlier lines never change."""

from __future__ import annotations

from rightsgraph import paths
from rightsgraph.release import audit
from rightsgraph.store import build


def test_audit_log_is_append_only(built_testimony):
    root, _ = built_testimony
    log = paths.project(root).audit_log
    first = log.read_bytes()
    assert [r["event"] for r in audit.read(log)] == ["release"]
    build.build(paths.project(root), audiences=("public", "partners"))
    second = log.read_bytes()
    assert second.startswith(first)
    records = audit.read(log)
    assert [(r["event"], r["audience"]) for r in records] == [("release", "public"), ("release", "public"),
                                                             ("release", "partners")]
    assert records[0]["withheld"] == {"claims": 7, "entities": 3, "sources": 1}
