"""The one Dagster code location: assets, jobs, schedules and the new-disclosures sensor.

`dagster dev -m stockyard.pipeline` loads `defs` from here; `stockyard run` materialises the same
definitions in-process, so the embedded default and a deployed Dagster are one code path.
"""

import dagster as dg

# Public API returns this type from define_asset_job but does not export its name.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from stockyard.config import Settings
from stockyard.pipeline.alert_assets import alert_deliveries_asset
from stockyard.pipeline.assets import (
    RAW_TABLE_SPECS,
    SOURCE_ASSETS,
    benzinga_trades,
    house_fd_index,
    house_ptr_documents,
    house_watcher_aggregate,
    legislators_snapshot,
    member_resolutions,
    review_corrections,
    senate_ptr_documents,
    senate_watcher_aggregate,
)
from stockyard.pipeline.dbt_assets import build_dbt_definitions, dbt_resource
from stockyard.pipeline.global_assets import (
    GLOBAL_RAW_TABLE_SPECS,
    GLOBAL_SOURCE_ASSETS,
    NEWS_ASSETS,
    nse_bhavcopy,
)
from stockyard.pipeline.macro_assets import MACRO_RAW_TABLE_SPECS, TREASURY_ASSETS
from stockyard.pipeline.market_assets import (
    MARKET_RAW_TABLE_SPECS,
    polygon_daily_bars,
    polygon_ticker_details,
    polygon_tickers,
    ticker_resolutions,
)
from stockyard.pipeline.resources import runtime_resource
from stockyard.pipeline.sensors import new_disclosures_sensor

SNAPSHOTS_JOB = "snapshots_job"
HOUSE_JOB = "house_job"
SENATE_JOB = "senate_job"
MARKET_JOB = "market_job"
NSE_JOB = "nse_job"
TRANSFORM_JOB = "transform_job"
# Daily-partitioned jobs, in the order a run materialises them; each may get its own windows.
DAILY_JOBS: tuple[str, ...] = (SENATE_JOB, MARKET_JOB, NSE_JOB)


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or Settings()
    dbt_models, published_marts = build_dbt_definitions(settings)
    alert_deliveries = alert_deliveries_asset(published_marts)
    snapshots = dg.define_asset_job(
        SNAPSHOTS_JOB,
        selection=[
            legislators_snapshot,
            house_watcher_aggregate,
            senate_watcher_aggregate,
            polygon_tickers,
            *TREASURY_ASSETS,
            *NEWS_ASSETS,
        ],
    )
    house = dg.define_asset_job(HOUSE_JOB, selection=[house_fd_index, house_ptr_documents])
    senate = dg.define_asset_job(SENATE_JOB, selection=[senate_ptr_documents, benzinga_trades])
    market = dg.define_asset_job(MARKET_JOB, selection=[polygon_daily_bars])
    nse = dg.define_asset_job(NSE_JOB, selection=[nse_bhavcopy])
    transform = dg.define_asset_job(
        TRANSFORM_JOB,
        selection=dg.AssetSelection.assets(
            member_resolutions,
            review_corrections,
            ticker_resolutions,
            polygon_ticker_details,
            published_marts,
            alert_deliveries,
        )
        | dg.AssetSelection.assets(dbt_models),
    )
    schedules = [
        dg.ScheduleDefinition(name="daily_snapshots", job=snapshots, cron_schedule="0 5 * * *"),
        dg.build_schedule_from_partitioned_job(senate, hour_of_day=5, minute_of_hour=15),
        # Grouped daily bars of a day are complete well after the close; 06:30 UTC is 01:30 ET.
        dg.build_schedule_from_partitioned_job(market, hour_of_day=6, minute_of_hour=30),
        # NSE publishes the day's bhavcopy in the Indian evening (~18:00 IST = 12:30 UTC).
        dg.build_schedule_from_partitioned_job(nse, hour_of_day=14, minute_of_hour=0),
        dg.ScheduleDefinition(name="daily_transform", job=transform, cron_schedule="0 7 * * *"),
    ]
    return dg.Definitions(
        assets=[
            *SOURCE_ASSETS,
            *RAW_TABLE_SPECS,
            member_resolutions,
            review_corrections,
            polygon_daily_bars,
            polygon_tickers,
            ticker_resolutions,
            polygon_ticker_details,
            *MARKET_RAW_TABLE_SPECS,
            *TREASURY_ASSETS,
            *MACRO_RAW_TABLE_SPECS,
            *GLOBAL_SOURCE_ASSETS,
            *GLOBAL_RAW_TABLE_SPECS,
            dbt_models,
            published_marts,
            alert_deliveries,
        ],
        jobs=[snapshots, house, senate, market, nse, transform],
        schedules=[*schedules, _house_schedule(house)],
        sensors=[new_disclosures_sensor(house, senate, transform, settings.sensor)],
        resources={"runtime": runtime_resource(settings), "dbt": dbt_resource()},
        # Every step writes the one DuckDB warehouse, which takes one writer: a deployed run (its
        # own process, launched by the daemon) runs its steps one after another in that process,
        # as `stockyard run` does, instead of in parallel processes failing on the file lock.
        executor=dg.in_process_executor,
    )


def _house_schedule(house: UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    """The current year's index changes all year long: refresh its partition every morning."""

    @dg.schedule(name="daily_house_current_year", job=house, cron_schedule="0 6 * * *")
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        year = str(context.scheduled_execution_time.year)
        return dg.RunRequest(
            run_key=f"house-{context.scheduled_execution_time:%Y-%m-%d}", partition_key=year
        )

    return _schedule
