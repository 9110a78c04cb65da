"""Shared fixtures: a replay server over the bundled sample, isolated Stockyard homes."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stockyard.replay import SAMPLE_ROOT, ReplayServer
from support.ocr import CACHE_ENV as OCR_CACHE_ENV

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # Every home a test builds reads the same scans; one OCR cache for the session reads each page
    # once (tests of the cache itself use their own).
    os.environ[OCR_CACHE_ENV] = tempfile.mkdtemp(prefix="stockyard-test-ocr-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop(OCR_CACHE_ENV, ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own STOCKYARD_* variables or .env must not leak into tests."""
    for key in list(os.environ):
        if key.startswith("STOCKYARD_") and key != OCR_CACHE_ENV:
            monkeypatch.delenv(key)
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("STOCKYARD_OCR_CACHE_URL", os.environ[OCR_CACHE_ENV])


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer([SAMPLE_ROOT, FIXTURES / "http"]) as server:
        yield server
