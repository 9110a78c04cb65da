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
from support.xdist_groups import GroupScheduling, order_and_check

FIXTURES = Path(__file__).parent / "fixtures"
_RAM_KEY = pytest.StashKey[Path]()
_OCR_OWNER_KEY = pytest.StashKey[bool]()


# Test homes go to RAM (tmpfs) when the machine has room: a pipeline run commits Dagster's SQLite
# event log once per partition and DuckDB checkpoints often, and on a VM's disk those syncs were
# a third of the pipeline suites' time. STOCKYARD_TEST_TMP=disk (or --basetemp) keeps them on disk.
RAM_DIR = Path("/dev/shm")
RAM_NEEDED = 6 * 1024**3
TMP_ENV = "STOCKYARD_TEST_TMP"


def _ram_basetemp() -> Path | None:
    if os.environ.get(TMP_ENV) == "disk" or not RAM_DIR.is_dir():
        return None
    try:
        free = shutil.disk_usage(RAM_DIR).free
    except OSError:
        return None
    return (
        Path(tempfile.mkdtemp(dir=RAM_DIR, prefix="stockyard-pytest-"))
        if free > RAM_NEEDED
        else None
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.option.basetemp is None:
        ram = _ram_basetemp()
        if ram is not None:
            config.option.basetemp = str(ram)
            config.stash[_RAM_KEY] = ram
    # Every home a test builds reads the same scans; one OCR cache for the session reads each page
    # once (tests of the cache itself use their own).
    # (Beside the basetemp, not in it: pytest empties the basetemp when it first uses it.)
    # An xdist worker shares its controller's cache (it inherits the environment), so a scan is
    # read once for the whole run, and only the controller removes the cache at the end.
    if not (os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get(OCR_CACHE_ENV)):
        on_ram = _RAM_KEY in config.stash
        os.environ[OCR_CACHE_ENV] = tempfile.mkdtemp(
            prefix="stockyard-test-ocr-", dir=RAM_DIR if on_ram else None
        )
        config.stash[_OCR_OWNER_KEY] = True
    # Set for the whole process, not only per test: the demo and faulty homes are built by
    # session and module fixtures, which pytest sets up before any per-test fixture runs.
    os.environ["STOCKYARD_OCR_CACHE_URL"] = os.environ[OCR_CACHE_ENV]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    order_and_check(items)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> GroupScheduling | None:
    """`--dist loadgroup` (as `make test` asks) with the groups of support.xdist_groups."""
    return GroupScheduling(config, log) if config.getoption("dist") == "loadgroup" else None


def pytest_unconfigure(config: pytest.Config) -> None:
    os.environ.pop("STOCKYARD_OCR_CACHE_URL", None)
    cache = os.environ.pop(OCR_CACHE_ENV, "")
    if config.stash.get(_OCR_OWNER_KEY, False):
        shutil.rmtree(cache, ignore_errors=True)
    ram = config.stash.get(_RAM_KEY, None)
    if ram is not None:
        shutil.rmtree(ram, ignore_errors=True)  # RAM is not for keeping old test homes in


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
