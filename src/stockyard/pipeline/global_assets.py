"""Beyond congressional trades: NSE India end of day (daily partitions) and news (incremental).

NSE needs no key. The Guardian works with its public ``test`` key; Alpha Vantage runs only with a
key (its asset logs how to set one and materialises nothing otherwise).
"""

import dagster as dg

from stockyard.pipeline.assets import SINGLE_RUN
from stockyard.pipeline.ingest import news, nse
from stockyard.pipeline.partitions import DAILY, days_in
from stockyard.pipeline.runtime import Runtime, StepReport


def _log_errors(context: dg.AssetExecutionContext, report: StepReport) -> None:
    for error in report.errors[:20]:
        context.log.warning(error)
    if len(report.errors) > 20:
        context.log.warning(f"… and {len(report.errors) - 20} more errors")


@dg.asset(
    group_name="sources",
    partitions_def=DAILY,
    backfill_policy=SINGLE_RUN,
    required_resource_keys={"runtime"},
    kinds={"python", "csv", "duckdb"},
)
def nse_bhavcopy(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """NSE India's end-of-day bhavcopy, full and legacy formats (a missing day is a holiday)."""
    rt: Runtime = context.resources.runtime
    start, end = days_in(context)
    report = nse.fetch_days(rt, start, end)
    report.absorb(nse.load_days(rt, start, end))
    _log_errors(context, report)
    return dg.MaterializeResult(metadata=report.metadata())


@dg.asset(group_name="sources", required_resource_keys={"runtime"}, kinds={"python", "duckdb"})
def guardian_news(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The Guardian's articles for the configured terms, paged to the last page, each once."""
    rt: Runtime = context.resources.runtime
    if not news.guardian_enabled(rt):
        context.log.info("guardian: no API key or no news.query_terms; nothing fetched")
        return dg.MaterializeResult(metadata=StepReport().metadata())
    report = news.fetch_guardian(rt)
    _log_errors(context, report.step)
    return dg.MaterializeResult(metadata=report.metadata())


@dg.asset(group_name="sources", required_resource_keys={"runtime"}, kinds={"python", "duckdb"})
def alphavantage_news(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Alpha Vantage NEWS_SENTIMENT per configured ticker and topic, with per-ticker sentiment."""
    rt: Runtime = context.resources.runtime
    if not news.alphavantage_enabled(rt):
        context.log.info(news.AV_MISSING_KEY)
        return dg.MaterializeResult(metadata=StepReport().metadata())
    report = news.fetch_alphavantage(rt)
    _log_errors(context, report.step)
    return dg.MaterializeResult(metadata=report.metadata())


GLOBAL_SOURCE_ASSETS = [nse_bhavcopy, guardian_news, alphavantage_news]
NEWS_ASSETS = [guardian_news, alphavantage_news]

# The raw tables these assets write, declared so the lineage shows who feeds the dbt sources
# (their quarantine rows go to raw.quarantine, declared with the trade sources).
_WRITERS: dict[str, list[dg.AssetsDefinition]] = {
    "nse_bhavcopy": [nse_bhavcopy],
    "news_articles": NEWS_ASSETS,
    "news_ticker_sentiment": [alphavantage_news],
    "news_cursors": NEWS_ASSETS,
}
GLOBAL_RAW_TABLE_SPECS = [
    dg.AssetSpec(
        dg.AssetKey(["raw", table]),
        deps=writers,
        group_name="raw",
        kinds={"duckdb"},
        description=f"raw.{table}, written by the NSE and news assets",
    )
    for table, writers in _WRITERS.items()
]
