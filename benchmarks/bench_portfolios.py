"""Follow-the-filings portfolios: what they add to the dbt run, and a custom filter's answer time.

1. Data: a demo-built warehouse (the bundled real sample), copied.
2. dbt, in the same run on the same copy: `dbt build` of every model but the portfolios, then
   `dbt build` of the portfolio models alone (every precomputed portfolio rebuilt, with their
   tests). Printed as seconds and as the share the portfolios add.
3. Custom filters (none precomputed): each answered --repeats times through the API
   (`GET /api/portfolio`, server time from the request's start to its last byte in the
   in-process client), beside the same SQL (`portfolio_sql` daily + stats, over the same trade
   ids) run on a bare DuckDB connection to the same snapshot. Target: API p95 ≤ 300 ms.

Run: `python benchmarks/bench_portfolios.py [--repeats 20] [--source PATH/warehouse.duckdb]`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
from fastapi.testclient import TestClient
from local_server import demo_warehouse, wide_console
from rich.table import Table

from stockyard.api.routes.portfolios import PortfolioQuery
from stockyard.config import MarketSettings, Settings
from stockyard.warehouse.dbt import run_dbt
from stockyard.warehouse.portfolio_sql import daily_sql, stats_sql
from stockyard.warehouse.queries import trade_id_select
from stockyard.warehouse.serving import write_snapshot
from stockyard.web.app import create_web_app

TARGET_MS = 300.0
PORTFOLIOS = "path:models/marts/portfolios"
FILTERS: list[dict[str, str]] = [
    {"state": "CA"},
    {"party": "D", "oversight": "true"},
    {"chamber": "senate", "owner": "SP"},
    {"member": "Wyden", "ticker": "MSFT"},
    {"party": "R", "tx_type": "P"},
]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _dbt_seconds(warehouse: Path, args: list[str]) -> float:
    started = time.perf_counter()
    result = run_dbt(
        ["build", *args],
        warehouse_path=warehouse,
        market=MarketSettings(benchmark="market_equal_weight"),
    )
    if not result.success:
        raise SystemExit(f"dbt build {' '.join(args)} failed: see {result.log_path}")
    return time.perf_counter() - started


def _raw_ms(snapshot: Path, query: dict[str, str], repeats: int) -> list[float]:
    con = duckdb.connect(str(snapshot), read_only=True)
    ids, params = trade_id_select(con, PortfolioQuery.model_validate(query).to_filters())
    members = f"SELECT 'custom' AS portfolio_id, trade_id FROM ({ids})"
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TEMP TABLE d AS {daily_sql('marts', members)}", params)
        con.execute(f"SELECT * FROM ({stats_sql('marts', members, 'd')})", params).fetchall()
        con.execute("SELECT * FROM d WHERE portfolio_id = 'custom'").fetchall()
        times.append((time.perf_counter() - started) * 1000)
    con.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--source", help="a demo-built warehouse.duckdb to copy")
    args = parser.parse_args()
    console = wide_console()
    with tempfile.TemporaryDirectory(prefix="stockyard-bench-portfolios-") as scratch_dir:
        scratch = Path(scratch_dir)
        source = demo_warehouse(args.source, scratch, console)
        home = scratch / "home"
        home.mkdir()
        warehouse = home / "warehouse.duckdb"
        shutil.copyfile(source, warehouse)

        console.print("dbt build without the portfolios, then the portfolios alone…")
        without = _dbt_seconds(warehouse, ["--exclude", PORTFOLIOS])
        only = _dbt_seconds(warehouse, ["--select", PORTFOLIOS])
        dbt_table = Table(title="dbt run (same warehouse, same run)")
        for column in ("build", "seconds", "share of the run"):
            dbt_table.add_column(column)
        dbt_table.add_row("every model but the portfolios", f"{without:.1f}", "1.00×")
        dbt_table.add_row(
            "the portfolio models (every precomputed portfolio)",
            f"{only:.1f}",
            f"+{only / without:.2f}×",
        )
        console.print(dbt_table)

        # What was just built, copied audit → marts by hand (no audit run is recorded here, so
        # wap.publish would refuse), then snapshotted as the pipeline's publish does.
        con = duckdb.connect(str(warehouse))
        for (table,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'audit'"
        ).fetchall():
            con.execute(f"CREATE OR REPLACE TABLE marts.{table} AS SELECT * FROM audit.{table}")
        snapshot = write_snapshot(con, home / "serving", publish_id="bench-portfolios").path
        con.close()

        table = Table(title=f"Custom-filter portfolio, {args.repeats} answers each")
        for column in ("filter", "API p50 ms", "API p95 ms", "raw DuckDB p95 ms", "API / raw"):
            table.add_column(column)
        worst = 0.0
        with TestClient(create_web_app(Settings(home=home))) as client:
            for query in FILTERS:
                client.get("/api/portfolio", params=query).raise_for_status()  # warm
                api = []
                for _ in range(args.repeats):
                    started = time.perf_counter()
                    client.get("/api/portfolio", params=query).raise_for_status()
                    api.append((time.perf_counter() - started) * 1000)
                raw = _raw_ms(snapshot, query, args.repeats)
                worst = max(worst, _p95(api))
                table.add_row(
                    "&".join(f"{k}={v}" for k, v in query.items()),
                    f"{statistics.median(api):.0f}",
                    f"{_p95(api):.0f}",
                    f"{_p95(raw):.0f}",
                    f"{_p95(api) / _p95(raw):.2f}×",
                )
        console.print(table)
        verdict = "meets" if worst <= TARGET_MS else "misses"
        console.print(f"Worst API p95 {worst:.0f} ms: {verdict} the {TARGET_MS:.0f} ms target.")


if __name__ == "__main__":
    main()
