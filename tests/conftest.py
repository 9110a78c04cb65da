"""Shared fixtures: a replay server over the bundled sample, isolated Stockyard homes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stockyard.replay import SAMPLE_ROOT, ReplayServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own STOCKYARD_* variables or .env must not leak into tests."""
    import os

    for key in list(os.environ):
        if key.startswith("STOCKYARD_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DO_NOT_TRACK", "1")


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer([SAMPLE_ROOT, FIXTURES / "http"]) as server:
        yield server
