"""Polygon calls for a one-year backfill of every traded ticker: planned ingest vs the seed's way.

Runs the real ingest path (plan → fetch over HTTP → land) against the replay server, which serves
the bundled real daily bars in Polygon's shapes, and counts the requests the server receives. The
seed's way (one ``/v1/open-close`` call per ticker per trading day) is computed, not executed:
at 5 calls a minute it would take weeks. Both are priced at the free tier's 5 calls/minute.
Target: at most one call per trading day for all tickers together, ≥ 100× fewer than the seed.

The traded tickers come from ``marts.fct_trades`` of the warehouse under ``--home`` (default
``/tmp/demo-home``); without one, the demo pipeline (minus market data) builds it first (~2 min).
Run: `python benchmarks/bench_polygon_calls.py [--home DIR]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from stockyard.cli.app import DEMO_DAILY_WINDOWS, DEMO_FROM, DEMO_TO, DEMO_YEARS
from stockyard.config import Settings
from stockyard.pipeline.definitions import HOUSE_JOB, SENATE_JOB, SNAPSHOTS_JOB, TRANSFORM_JOB
from stockyard.pipeline.ingest import polygon
from stockyard.pipeline.run import run_pipeline
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides
from stockyard.sources.polygon.plan import seconds_at_limit
from stockyard.warehouse.market_reads import WarehouseNotBuilt, traded_tickers

START, END = date(2021, 7, 1), date(2022, 6, 30)
FREE_RATE, FREE_BURST = 5 / 60, 5
TARGET_RATIO = 100.0


def _traded(home: Path, console: Console) -> list[str]:
    path = home / "warehouse.duckdb"
    if path.exists():
        con = duckdb.connect(str(path), read_only=True)
        try:
            return traded_tickers(con)
        except WarehouseNotBuilt:
            pass
        finally:
            con.close()
    console.print(f"No trades under {home}: building the demo warehouse (without market data)…")
    with ReplayServer(SAMPLE_ROOT) as replay:
        settings = Settings(home=home, **demo_source_overrides(replay.url))
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            summary = run_pipeline(
                settings,
                DEMO_FROM,
                DEMO_TO,
                years=DEMO_YEARS,
                windows=DEMO_DAILY_WINDOWS,
                jobs=[SNAPSHOTS_JOB, HOUSE_JOB, SENATE_JOB, TRANSFORM_JOB],
            )
    if not summary.success:
        raise SystemExit("the demo pipeline failed; see `stockyard status`")
    con = duckdb.connect(str(path), read_only=True)
    try:
        return traded_tickers(con)
    finally:
        con.close()


def _minutes(seconds: float) -> str:
    return f"{seconds / 86400:,.1f} days" if seconds > 2 * 86400 else f"{seconds / 60:,.1f} min"


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/demo-home"))
    args = parser.parse_args()
    console = Console()
    tickers = _traded(args.home, console)
    with tempfile.TemporaryDirectory() as scratch, ReplayServer(SAMPLE_ROOT) as replay:
        # A fresh landing zone, so nothing is "already landed"; the local replay runs unthrottled.
        settings = Settings(home=Path(scratch), **demo_source_overrides(replay.url))
        runtime = Runtime(settings)
        started = time.perf_counter()
        report, plan = polygon.fetch_bars(runtime, START, END, tickers)
        fetch_seconds = time.perf_counter() - started
        runtime.close()
        requests = replay.count("/polygon/*")
    if report.errors:
        raise SystemExit(f"fetch failed: {report.errors[:3]}")
    naive = plan.naive_calls
    ours_at_limit = seconds_at_limit(requests, FREE_RATE, FREE_BURST)
    naive_at_limit = seconds_at_limit(naive, FREE_RATE, FREE_BURST)
    table = Table(title=f"One-year backfill {START}..{END}, {len(tickers):,} traded tickers")
    for column in ("way", "calls", "per day", "at 5/min", "vs seed"):
        table.add_column(column, justify="right" if column != "way" else "left")
    days = plan.trading_days
    table.add_row(
        "seed: open-close/ticker/day (computed)",
        f"{naive:,}",
        f"{naive / days:,.0f}",
        _minutes(naive_at_limit),
        "1×",
    )
    table.add_row(
        f"planned: {plan.grouped_calls} grouped + {plan.range_calls} range (received)",
        f"{requests:,}",
        f"{requests / days:.2f}",
        _minutes(ours_at_limit),
        f"{naive / requests:,.0f}× fewer",
    )
    console.print(table)
    ratio = naive / requests
    verdict = "met" if requests <= days and ratio >= TARGET_RATIO else "MISSED"
    console.print(
        f"{days} trading days; replay served the {requests} requests in {fetch_seconds:.1f} s "
        f"({report.landed} landed). Ratio {ratio:,.0f}× = {ratio / TARGET_RATIO:.1f}× the "
        f"{TARGET_RATIO:.0f}× target; ≤ 1 call per trading day: {verdict}."
    )


if __name__ == "__main__":
    main()
