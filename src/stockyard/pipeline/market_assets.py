"""Market-data assets: Polygon daily bars (daily partitions), the ticker reference, ticker matching.

Without a Polygon key the two Polygon assets log how to set one and materialise nothing, so a
fresh install's pipeline still completes.
"""

from collections.abc import Iterator

import dagster as dg

from stockyard.pipeline.assets import (
    SINGLE_RUN,
    member_resolutions,
    review_corrections,
    step_and_table,
)
from stockyard.pipeline.ingest import polygon
from stockyard.pipeline.ingest import polygon_details as details_ingest
from stockyard.pipeline.ingest import polygon_tickers as ticker_ingest
from stockyard.pipeline.partitions import DAILY, days_in
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.warehouse.market_reads import WarehouseNotBuilt, traded_tickers
from stockyard.warehouse.ticker_resolution import resolve_trade_tickers


def _log_errors(context: dg.AssetExecutionContext, report: StepReport) -> None:
    for error in report.errors[:20]:
        context.log.warning(error)
    if len(report.errors) > 20:
        context.log.warning(f"… and {len(report.errors) - 20} more errors")


def _requested_tickers(rt: Runtime) -> list[str] | None:
    """The traded tickers once trades are published; before that, the whole market."""
    with rt.warehouse() as con:
        try:
            return traded_tickers(con) or None
        except WarehouseNotBuilt:
            return None


@dg.asset(
    group_name="sources",
    partitions_def=DAILY,
    backfill_policy=SINGLE_RUN,
    required_resource_keys={"runtime"},
    kinds={"python", "duckdb"},
)
def polygon_daily_bars(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Daily bars for the partition days, with the fewest Polygon calls (see sources/polygon/plan.py)."""
    rt: Runtime = context.resources.runtime
    if not polygon.enabled(rt):
        context.log.info(polygon.MISSING_KEY)
        return dg.MaterializeResult(metadata=StepReport().metadata())
    start, end = days_in(context)
    report, plan = polygon.fetch_bars(rt, start, end, _requested_tickers(rt))
    report.absorb(polygon.load_bars(rt, start, end))
    _log_errors(context, report)
    return dg.MaterializeResult(
        metadata={
            **report.metadata(),
            "planned_calls": plan.count,
            "grouped_calls": plan.grouped_calls,
            "range_calls": plan.range_calls,
            "naive_calls": plan.naive_calls,
        }
    )


@dg.asset(group_name="sources", required_resource_keys={"runtime"}, kinds={"python", "duckdb"})
def polygon_tickers(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Polygon's ticker reference (active and delisted), merged as history: never emptied."""
    rt: Runtime = context.resources.runtime
    if not polygon.enabled(rt):
        context.log.info(polygon.MISSING_KEY)
        return dg.MaterializeResult(metadata=StepReport().metadata())
    report = ticker_ingest.refresh_tickers(rt)
    _log_errors(context, report)
    return dg.MaterializeResult(metadata=report.metadata())


TICKER_RESOLUTIONS = dg.AssetKey("ticker_resolutions")
# dbt reads this table as a source: produced by the same step, so dbt waits for the matching.
TRADE_TICKERS = dg.AssetKey(["raw", "trade_tickers"])


@dg.multi_asset(
    name="ticker_resolutions",
    specs=step_and_table(
        TICKER_RESOLUTIONS,
        TRADE_TICKERS,
        group="warehouse",
        deps=[member_resolutions, review_corrections, polygon_tickers, polygon_daily_bars],
        kinds={"python", "duckdb"},
        description="Every trade's ticker matched to a listed one, or kept with why not.",
        table_description="raw.trade_tickers, rewritten whole by ticker_resolutions",
    ),
    required_resource_keys={"runtime"},
)
def ticker_resolutions(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Run the ticker resolver over every trade line (before dbt, after member matching)."""
    rt: Runtime = context.resources.runtime
    with rt.warehouse() as con:
        summary = resolve_trade_tickers(con)
    context.log.info(f"resolved {summary.resolved} of {summary.total} trade tickers")
    yield dg.MaterializeResult(
        asset_key=TICKER_RESOLUTIONS,
        metadata={
            "total": summary.total,
            "resolved": summary.resolved,
            **{f"method:{k}": v for k, v in summary.by_method.items()},
        },
    )
    yield dg.MaterializeResult(asset_key=TRADE_TICKERS, metadata={"rows": summary.total})


POLYGON_TICKER_DETAILS = dg.AssetKey("polygon_ticker_details")
# dbt reads this table as a source; yielded by the same step so the transform job orders them.
TICKER_DETAILS_TABLE = dg.AssetKey(["raw", "ticker_details"])


@dg.multi_asset(
    name="polygon_ticker_details",
    specs=step_and_table(
        POLYGON_TICKER_DETAILS,
        TICKER_DETAILS_TABLE,
        group="sources",
        deps=[TRADE_TICKERS],
        kinds={"python", "duckdb"},
        description="Industry (SIC) of the most-traded tickers still without one, "
        "a bounded number per run.",
        table_description="raw.ticker_details, one row per ticker asked about",
    ),
    required_resource_keys={"runtime"},
)
def polygon_ticker_details(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Ask Polygon for the details of traded tickers (after ticker matching, before dbt)."""
    rt: Runtime = context.resources.runtime
    if polygon.enabled(rt):
        report = details_ingest.refresh_ticker_details(rt)
        _log_errors(context, report)
    else:
        context.log.info(polygon.MISSING_KEY)
        report = StepReport()
    yield dg.MaterializeResult(asset_key=POLYGON_TICKER_DETAILS, metadata=report.metadata())
    yield dg.MaterializeResult(
        asset_key=TICKER_DETAILS_TABLE, metadata={"rows": report.loaded_rows}
    )


MARKET_SOURCE_ASSETS = [polygon_daily_bars, polygon_tickers, polygon_ticker_details]

# The raw tables these assets write, declared so the lineage shows who feeds the dbt sources.
_WRITERS: dict[str, list[dg.AssetsDefinition]] = {
    "daily_bars": [polygon_daily_bars],
    "market_days": [polygon_daily_bars],
    "ticker_reference": [polygon_tickers],
}
MARKET_RAW_TABLE_SPECS = [
    dg.AssetSpec(
        dg.AssetKey(["raw", table]),
        deps=writers,
        group_name="raw",
        kinds={"duckdb"},
        description=f"raw.{table}, written by the market-data assets",
    )
    for table, writers in _WRITERS.items()
]
