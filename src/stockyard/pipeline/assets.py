"""Source assets: one per source dataset, partitioned as the source publishes."""

from collections.abc import Callable, Iterator, Sequence

import dagster as dg

from stockyard.pipeline.ingest import benzinga, house_clerk, legislators, senate_efd, watchers
from stockyard.pipeline.partitions import DAILY, YEARLY, days_in, years_in
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.warehouse.resolution import resolve_members
from stockyard.warehouse.review import sync_review_corrections
from stockyard.warehouse.review_store import ReviewStore

SINGLE_RUN = dg.BackfillPolicy.single_run()


def _result(report: StepReport) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata=report.metadata())


def _log_errors(context: dg.AssetExecutionContext, report: StepReport) -> None:
    for error in report.errors[:20]:
        context.log.warning(error)
    if len(report.errors) > 20:
        context.log.warning(f"… and {len(report.errors) - 20} more errors")


YearStep = Callable[[Runtime, int], StepReport]


def _each_year(
    context: dg.AssetExecutionContext, fetch: YearStep, load: YearStep
) -> dg.MaterializeResult:
    """Fetch then load every year of the partition range (one run covers a whole backfill)."""
    rt: Runtime = context.resources.runtime
    report = StepReport()
    for year in years_in(context):
        report.absorb(fetch(rt, year))
        report.absorb(load(rt, year))
    _log_errors(context, report)
    return _result(report)


@dg.asset(group_name="sources", required_resource_keys={"runtime"}, kinds={"python", "duckdb"})
def legislators_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Members, terms, committees and seats from congress-legislators."""
    rt: Runtime = context.resources.runtime
    partition = legislators.snapshot_partition()
    report = legislators.fetch_legislators(rt, partition)
    report.absorb(legislators.load_legislators_snapshot(rt))
    _log_errors(context, report)
    return _result(report)


def _aggregate_asset(agg: watchers.Aggregate) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"{agg.source}_aggregate",
        group_name="sources",
        required_resource_keys={"runtime"},
        kinds={"python", "duckdb"},
        description=f"The {agg.source} community aggregate (history; reconciled in dbt).",
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        rt: Runtime = context.resources.runtime
        report = watchers.fetch_aggregate(rt, agg, legislators.snapshot_partition())
        report.absorb(watchers.load_aggregate(rt, agg))
        _log_errors(context, report)
        return _result(report)

    return _asset


house_watcher_aggregate = _aggregate_asset(watchers.HOUSE)
senate_watcher_aggregate = _aggregate_asset(watchers.SENATE)


@dg.asset(
    group_name="sources",
    partitions_def=YEARLY,
    backfill_policy=SINGLE_RUN,
    required_resource_keys={"runtime"},
    kinds={"python", "duckdb"},
)
def house_fd_index(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The House Clerk's yearly financial-disclosure index (every filing of any type)."""
    return _each_year(context, house_clerk.fetch_index, house_clerk.load_index)


@dg.asset(
    group_name="sources",
    partitions_def=YEARLY,
    backfill_policy=SINGLE_RUN,
    deps=[house_fd_index],
    required_resource_keys={"runtime"},
    kinds={"python", "pdf", "duckdb"},
)
def house_ptr_documents(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Every PTR PDF the index lists, parsed from word positions."""
    return _each_year(context, house_clerk.fetch_ptr_pdfs, house_clerk.load_ptr_pdfs)


@dg.asset(
    group_name="sources",
    partitions_def=DAILY,
    backfill_policy=SINGLE_RUN,
    required_resource_keys={"runtime"},
    kinds={"python", "html", "duckdb"},
)
def senate_ptr_documents(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Senate eFD electronic PTRs filed on the partition days."""
    rt: Runtime = context.resources.runtime
    start, end = days_in(context)
    report = senate_efd.fetch_reports(rt, start, end)
    report.absorb(senate_efd.load_reports(rt, start, end))
    _log_errors(context, report)
    return _result(report)


@dg.asset(
    group_name="sources",
    partitions_def=DAILY,
    backfill_policy=SINGLE_RUN,
    required_resource_keys={"runtime"},
    kinds={"python", "duckdb"},
)
def benzinga_trades(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Benzinga's congressional trades (runs only with an API key and benzinga_enabled)."""
    rt: Runtime = context.resources.runtime
    if not benzinga.enabled(rt):
        context.log.info(
            "benzinga disabled: set STOCKYARD_BENZINGA__API_KEY and STOCKYARD_BENZINGA_ENABLED"
        )
        return _result(StepReport())
    start, end = days_in(context)
    report = benzinga.fetch_days(rt, start, end)
    loaded, watermark = benzinga.load_days(rt, start, end)
    report.absorb(loaded)
    _log_errors(context, report)
    metadata = report.metadata()
    if watermark is not None:
        metadata["updated_watermark"] = watermark
    return dg.MaterializeResult(metadata=metadata)


SOURCE_ASSETS = [
    legislators_snapshot,
    house_watcher_aggregate,
    senate_watcher_aggregate,
    house_fd_index,
    house_ptr_documents,
    senate_ptr_documents,
    benzinga_trades,
]


@dg.asset(
    group_name="warehouse",
    deps=SOURCE_ASSETS,
    required_resource_keys={"runtime"},
    kinds={"python", "duckdb"},
)
def member_resolutions(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Every filing's filer resolved to a bioguide id, or kept unresolved with the reason."""
    rt: Runtime = context.resources.runtime
    with rt.warehouse() as con:
        summary = resolve_members(con)
    context.log.info(f"resolved {summary.resolved} of {summary.total} filings")
    return dg.MaterializeResult(
        metadata={
            "resolved": summary.resolved,
            "unresolved": summary.unresolved,
            **{f"method:{k}": v for k, v in summary.by_method.items()},
        }
    )


REVIEW_CORRECTIONS = dg.AssetKey("review_corrections")
# dbt reads this table as a source; yielded by the same step so the transform waits for it.
REVIEW_CORRECTIONS_TABLE = dg.AssetKey(["raw", "review_corrections"])


def step_and_table(
    step: dg.AssetKey,
    table: dg.AssetKey,
    *,
    group: str,
    kinds: set[str],
    description: str,
    table_description: str,
    deps: Sequence[dg.AssetKey | dg.AssetsDefinition] = (),
) -> list[dg.AssetSpec]:
    """The specs of a step that writes one raw table dbt reads as a source: the step, and the
    table downstream of it, so dbt waits for the step."""
    return [
        dg.AssetSpec(step, group_name=group, deps=deps, kinds=kinds, description=description),
        dg.AssetSpec(
            table, group_name="raw", deps=[step], kinds={"duckdb"}, description=table_description
        ),
    ]


@dg.multi_asset(
    name="review_corrections",
    specs=step_and_table(
        REVIEW_CORRECTIONS,
        REVIEW_CORRECTIONS_TABLE,
        group="warehouse",
        kinds={"python", "sqlite", "duckdb"},
        description="Reviewers' fixes (the review store) copied into the warehouse, "
        "before tickers are resolved and dbt applies them.",
        table_description="raw.review_corrections, appended by review_corrections",
    ),
    required_resource_keys={"runtime"},
)
def review_corrections(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    rt: Runtime = context.resources.runtime
    store = ReviewStore(rt.settings.resolved_review_db_path)
    with rt.warehouse() as con:
        to_warehouse, to_store = sync_review_corrections(con, store)
    context.log.info(f"{to_warehouse} new review corrections copied into the warehouse")
    metadata = {"copied_to_warehouse": to_warehouse, "copied_to_store": to_store}
    yield dg.MaterializeResult(asset_key=REVIEW_CORRECTIONS, metadata=metadata)
    yield dg.MaterializeResult(asset_key=REVIEW_CORRECTIONS_TABLE, metadata=metadata)


# The raw tables are written by the ingest assets above; declared so the lineage shows it.
_WRITERS: dict[str, list[dg.AssetsDefinition]] = {
    "fd_index": [house_fd_index],
    "documents": [
        house_ptr_documents,
        senate_ptr_documents,
        house_watcher_aggregate,
        senate_watcher_aggregate,
        benzinga_trades,
    ],
    "legislators": [legislators_snapshot],
    "legislator_terms": [legislators_snapshot],
    "committees": [legislators_snapshot],
    "committee_memberships": [legislators_snapshot],
    "quarantine": SOURCE_ASSETS,
}
_WRITERS["transactions"] = _WRITERS["documents"]
RAW_TABLE_SPECS = [
    dg.AssetSpec(
        dg.AssetKey(["raw", table]),
        deps=writers,
        group_name="raw",
        kinds={"duckdb"},
        description=f"raw.{table}, written by the ingest assets",
    )
    for table, writers in _WRITERS.items()
]
