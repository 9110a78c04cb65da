"""`stockyard plan prices`: how many Polygon calls a price fetch needs, without making any."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from stockyard.config import Settings

plan_app = typer.Typer(help="Dry runs: what a fetch would cost, without calling anyone.")
console = Console(stderr=True)
out = Console()


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option} must be YYYY-MM-DD, got {value!r}") from None


def _minutes(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:,.1f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / 86400:,.1f} days"


@plan_app.command("prices")
def plan_prices_command(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD)")],
    tickers: Annotated[
        str | None, typer.Option("--tickers", help="Comma-separated tickers, e.g. AAPL,MSFT")
    ] = None,
    traded: Annotated[
        bool, typer.Option("--traded", help="Every ticker that appears in the trades")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"calls", "naive_calls", "seconds_at_limit"}')
    ] = False,
    home: Annotated[
        Path | None,
        typer.Option("--home", help="Stockyard home (default: STOCKYARD_HOME or .stockyard)"),
    ] = None,
) -> None:
    """Plan the Polygon calls for daily prices over a date range (a dry run: nothing is fetched)."""
    from stockyard.pipeline.ingest import polygon
    from stockyard.pipeline.runtime import Runtime
    from stockyard.sources.polygon.calendar import TradingCalendar
    from stockyard.warehouse.db import connect
    from stockyard.warehouse.market_reads import (
        WarehouseNotBuilt,
        known_ticker_count,
        market_days,
        traded_tickers,
    )

    start_day, end_day = _day(start, "--from"), _day(end, "--to")
    if end_day < start_day:
        raise typer.BadParameter("--to must not be before --from")
    if tickers and traded:
        raise typer.BadParameter("give --tickers or --traded, not both")
    settings = Settings(home=home) if home is not None else Settings()
    requested: list[str] | None = (
        [t for t in (p.strip() for p in tickers.split(",")) if t] if tickers else None
    )
    opened: set[date] = set()
    closed: set[date] = set()
    universe = 0
    path = settings.resolved_warehouse_path
    if path.exists():
        # Read-only: a dry run must not take the writer's lock from a running pipeline or server.
        con = connect(path, read_only=True)
        try:
            opened, closed = market_days(con)
            universe = known_ticker_count(con)
            if traded:
                requested = traded_tickers(con)
        except WarehouseNotBuilt as exc:
            console.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from None
        finally:
            con.close()
    elif traded:
        console.print(
            f"[red]No warehouse at {path}[/], so there are no traded tickers to plan for. "
            "Next: `stockyard demo --no-serve` (or `stockyard run`), or pass --tickers."
        )
        raise typer.Exit(1)
    runtime = Runtime(settings)
    try:
        result = polygon.plan(
            runtime,
            start_day,
            end_day,
            requested,
            universe_size=universe,
            trading_calendar=TradingCalendar(known_closed=closed, known_open=opened),
        )
    finally:
        runtime.close()
    if as_json:
        sys.stdout.write(json.dumps(result.summary()) + "\n")
        return
    cfg = settings.polygon
    table = Table(title=f"Polygon prices {start_day} → {end_day} (dry run)")
    table.add_column("")
    table.add_column("calls", justify="right")
    table.add_column(f"time at {cfg.rate_per_second * 60:g}/min", justify="right")
    table.add_row("planned", f"{result.count:,}", _minutes(result.seconds_at_limit))
    table.add_row("  grouped daily (whole market, 1/day)", f"{result.grouped_calls:,}", "")
    table.add_row("  range bars (1/ticker)", f"{result.range_calls:,}", "")
    table.add_row(
        "seed: open-close per ticker per day",
        f"{result.naive_calls:,}",
        _minutes(result.naive_seconds_at_limit),
    )
    out.print(table)
    scope = "the whole market" if result.tickers is None else f"{result.tickers:,} tickers"
    out.print(
        f"{result.trading_days:,} trading days for {scope}; "
        f"{result.already_landed_days:,} already landed."
    )
    if result.naive_calls and result.count:
        out.print(f"{result.naive_calls / result.count:,.0f}× fewer calls than the seed's way.")
    if result.tickers is None and not universe:
        out.print("No ticker reference yet, so the seed's count is unknown (shown as 0).")
    for note in result.notes:
        out.print(f"[dim]{note}[/]")
