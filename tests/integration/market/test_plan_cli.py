"""`stockyard plan prices`: the dry run's numbers, its JSON shape and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from stockyard.cli.app import app

runner = CliRunner()
YEAR = ["--from", "2021-07-01", "--to", "2022-06-30"]  # 252 trading days


def _warehouse_with_trades(home: Path, tickers: list[str]) -> None:
    """A real warehouse file holding just the published trades mart the planner reads."""
    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.fct_trades (trade_id VARCHAR, ticker VARCHAR)")
        rows = [(f"t{i}", t) for i, t in enumerate(tickers)] + [("blank", None), ("dup", "aapl")]
        con.executemany("INSERT INTO marts.fct_trades VALUES (?, ?)", rows)
    finally:
        con.close()


def test_json_is_exactly_calls_naive_calls_and_seconds(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["plan", "prices", *YEAR, "--tickers", "AAPL, msft", "--json", "--home", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    # Two tickers over a year: one range call each; the seed: 2 × 252 open-close calls.
    assert json.loads(result.stdout) == {"calls": 2, "naive_calls": 504, "seconds_at_limit": 0.0}


def test_traded_tickers_come_from_the_trades_mart(tmp_path: Path) -> None:
    tickers = ["AAPL", *(f"T{i:03d}" for i in range(299))]
    _warehouse_with_trades(tmp_path, tickers)
    args = ["plan", "prices", *YEAR, "--traded", "--home", str(tmp_path)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    # 300 tickers > 252 days: one grouped call per trading day; 5 go in the burst, the rest
    # at 5 a minute.
    assert json.loads(result.stdout) == {
        "calls": 252,
        "naive_calls": 300 * 252,
        "seconds_at_limit": 2964.0,
    }
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "grouped daily" in table.stdout and "300× fewer calls" in table.stdout
    assert "49.4 min" in table.stdout and "10.5 days" in table.stdout


def test_traded_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", "prices", *YEAR, "--traded", "--home", str(tmp_path)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # Rich wraps to the terminal's width
    assert "No warehouse" in said and "stockyard demo --no-serve" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2022-06-30", "--to", "2022-06-01"], "must not be before"),
        (["--from", "2022-13-01", "--to", "2022-12-31"], "YYYY-MM-DD"),
        ([*YEAR, "--tickers", "AAPL", "--traded"], "not both"),
    ],
)
def test_bad_options_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["plan", "prices", *args, "--home", str(tmp_path)])
    assert result.exit_code == 2 and message in result.output


def test_traded_before_the_trades_are_published_says_what_to_do(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()  # a warehouse, no marts yet
    result = runner.invoke(app, ["plan", "prices", *YEAR, "--traded", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "marts.fct_trades does not exist" in result.output and "stockyard run" in result.output
