"""Doctests see ``proj``: the Paths of this checkout's project (the North Korea graph), and ``built``:
the same project's store, built once for the test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsgraph import paths

CHECKOUT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctest_project(doctest_namespace):
    doctest_namespace["proj"] = paths.project(CHECKOUT)
