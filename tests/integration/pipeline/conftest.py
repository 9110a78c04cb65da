"""A demo-built warehouse shared by the pipeline tests (built once per session: it takes a minute)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from stockyard.cli.app import app
from support.browser import browser, console_errors, page, screenshot_dir  # noqa: F401 (fixtures)


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(name="run_cli")
def run_cli_fixture() -> object:
    return run_cli


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    run_cli("demo", "--no-serve", "--home", str(home))
    return home


@pytest.fixture
def demo_db(demo_home: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
