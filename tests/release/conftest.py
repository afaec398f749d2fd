"""The fictional testimony project (tests/fixtures/testimony), copied and built for each test that needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsgraph import paths
from rightsgraph.store import build
from tests.conftest import FIXTURES, copy_project

TESTIMONY = FIXTURES / "testimony"


def internal_only(root: Path) -> list[str]:
    """The needles: every string the public must never see (restricted names, aliases, quotes, IRIs)."""
    return ["Pak Sun-ok", "Sun-ok Pak", "Little Magpie", "Ri Tae-ho", "revolutionising zone",
            "missed their quota", "died there in 2007", "id/person/pak-sun-ok", "id/person/ri-tae-ho",
            "test-interview-7", "Interview 7", "zone's name"]


@pytest.fixture
def testimony(tmp_path) -> Path:
    return copy_project(tmp_path / "testimony", "testimony")


@pytest.fixture
def built_testimony(testimony) -> tuple[Path, build.Report]:
    return testimony, build.build(paths.project(testimony))
