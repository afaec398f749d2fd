"""The timeline of dated events: its points trace to their claims, and it reads the project it is given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rightsgraph import paths
from rightsgraph.outputs import timeline

from ..conftest import ROOT

#: The project the real store is built from: its ontology and named queries.
P = paths.project(ROOT)


def test_timeline_png_and_html_trace_points_to_claims(real_store, tmp_path):
    evs = timeline.events(real_store, P)
    assert len(evs) >= 40 and [e.year for e in evs] == sorted(e.year for e in evs)
    jang = next(e for e in evs if e.date == "2013-12-13")
    assert jang.claims and jang.sources == ["wikipedia-human-rights-in-north-korea"]
    page = timeline.page(evs, tmp_path / "t.html")
    text = page.read_text(encoding="utf-8")
    assert all(c in text for e in evs for c in e.claims)
    png = timeline.png(evs, tmp_path / "t.png")
    from PIL import Image

    assert Image.open(png).size[0] > 800


def relabelled_project(dest):
    """A project root whose ontology calls the class Statement "public pronouncement", and whose
    timeline query is a copy of the checkout's under the project's own queries/."""
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, dest / folder)
    ttl = dest / "ontology" / "rightsgraph.ttl"
    text = ttl.read_text(encoding="utf-8")
    assert 'rdfs:label "statement"@en' in text
    ttl.write_text(text.replace('rdfs:label "statement"@en', 'rdfs:label "public pronouncement"@en'), encoding="utf-8")
    return paths.project(dest)


def test_events_take_their_kinds_from_the_projects_ontology(real_store, tmp_path):
    other = relabelled_project(tmp_path / "other")
    kinds = {e.kind for e in timeline.events(real_store, other)}
    assert "public pronouncement" in kinds and "statement" not in kinds
    assert "statement" in {e.kind for e in timeline.events(real_store, P)}


def test_timeline_command_with_root_reads_that_project(built, tmp_path):
    root = tmp_path / "other"
    relabelled_project(root)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    exe = Path(sys.executable).with_name("rightsgraph")
    out = subprocess.run([str(exe), "--root", str(root), "timeline", "--store", str(built.store), "-o", str(tmp_path / "t.html")],
                         capture_output=True, text=True, cwd=elsewhere, timeout=300,
                         env={**os.environ, "RIGHTSGRAPH_ROOT": str(elsewhere)})
    assert out.returncode == 0, out.stderr
    assert "public pronouncement" in (tmp_path / "t.html").read_text(encoding="utf-8")


def test_every_point_of_the_timeline_picture_is_numbered_and_named_in_its_key():
    """Issue 15: the PNG's points carry numbers, and the key under the chart gives each number its date and name."""
    from rightsgraph.outputs import timeline as tl

    evs = [tl.Event(f"urn:e{i}", f"Event number {i}", f"{2000 + i}", 2000.5 + i, "vote" if i % 2 else "summit")
           for i in range(25)]
    fig = tl.figure(evs)
    ax = fig.axes[0]
    numbers = sorted(int(t.get_text()) for t in ax.texts)
    assert numbers == list(range(1, 26))
    key = "\n".join(t.get_text() for t in fig.texts)
    assert "  1  2000  Event number 0" in key and " 25  2024  Event number 24" in key
