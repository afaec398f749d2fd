"""The fictional testimony project (tests/fixtures/testimony), copied and built for each test that needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rightsgraph import paths
from rightsgraph.store import build
from tests.conftest import FIXTURES, copy_project

TESTIMONY = FIXTURES / "testimony"


def internal_only(root: Path) -> list[str]:
    """The needles: every string the public must never see (restricted names, aliases, quotes, IRIs).

    The names and IRIs are written here; every quote and note of the confidential interview's claims
    and of the restricted entities' records is read from the fixture's YAML, so a new one is a needle too.
    (Every claim IRI of the interview holds its source id, ``test-interview-7``.)"""
    needles = ["Pak Sun-ok", "Sun-ok Pak", "Little Magpie", "Ri Tae-ho", "revolutionising zone",
               "missed their quota", "died there in 2007", "id/person/pak-sun-ok", "id/person/ri-tae-ho",
               "test-interview-7", "Interview 7", "zone's name", "example.org/internal/interview-7"]
    graph = root / "graph"
    interview = yaml.safe_load((graph / "claims" / "interview.yaml").read_text(encoding="utf-8"))
    records = [e for e in yaml.safe_load((graph / "entities" / "all.yaml").read_text(encoding="utf-8"))
               if e.get("access") == "restricted"]
    for item in [*interview["claims"], *records]:
        needles += [item[k] for k in ("quote", "note") if item.get(k)]
    return list(dict.fromkeys(needles))


def found_in(text: str, needles: list[str]) -> list[str]:
    """The needles that occur in ``text``, ignoring case."""
    folded = text.casefold()
    return [n for n in needles if n.casefold() in folded]


@pytest.fixture
def testimony(tmp_path) -> Path:
    return copy_project(tmp_path / "testimony", "testimony")


@pytest.fixture
def built_testimony(testimony) -> tuple[Path, build.Report]:
    return testimony, build.build(paths.project(testimony))
