"""The one Dagster code location: assets, jobs, schedules and the new-disclosures sensor.

`dagster dev -m stockyard.pipeline` loads `defs` from here; `stockyard run` materialises the same
definitions in-process, so the embedded default and a deployed Dagster are one code path.
"""

import dagster as dg

# Public API returns this type from define_asset_job but does not export its name.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from stockyard.config import Settings
from stockyard.pipeline.assets import (
    RAW_TABLE_SPECS,
    SOURCE_ASSETS,
    benzinga_trades,
    house_fd_index,
    house_ptr_documents,
    house_watcher_aggregate,
    legislators_snapshot,
    member_resolutions,
    senate_ptr_documents,
    senate_watcher_aggregate,
)
from stockyard.pipeline.dbt_assets import build_dbt_definitions, dbt_resource
from stockyard.pipeline.resources import runtime_resource
from stockyard.pipeline.sensors import new_disclosures_sensor

SNAPSHOTS_JOB = "snapshots_job"
HOUSE_JOB = "house_job"
SENATE_JOB = "senate_job"
TRANSFORM_JOB = "transform_job"
# Daily-partitioned jobs, in the order a run materialises them; each may get its own windows.
DAILY_JOBS: tuple[str, ...] = (SENATE_JOB,)


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or Settings()
    dbt_models, published_marts = build_dbt_definitions(settings)
    snapshots = dg.define_asset_job(
        SNAPSHOTS_JOB,
        selection=[legislators_snapshot, house_watcher_aggregate, senate_watcher_aggregate],
    )
    house = dg.define_asset_job(HOUSE_JOB, selection=[house_fd_index, house_ptr_documents])
    senate = dg.define_asset_job(SENATE_JOB, selection=[senate_ptr_documents, benzinga_trades])
    transform = dg.define_asset_job(
        TRANSFORM_JOB,
        selection=dg.AssetSelection.assets(member_resolutions, published_marts)
        | dg.AssetSelection.assets(dbt_models),
    )
    schedules = [
        dg.ScheduleDefinition(name="daily_snapshots", job=snapshots, cron_schedule="0 5 * * *"),
        dg.build_schedule_from_partitioned_job(senate, hour_of_day=5, minute_of_hour=15),
        dg.ScheduleDefinition(name="daily_transform", job=transform, cron_schedule="0 7 * * *"),
    ]
    return dg.Definitions(
        assets=[*SOURCE_ASSETS, *RAW_TABLE_SPECS, member_resolutions, dbt_models, published_marts],
        jobs=[snapshots, house, senate, transform],
        schedules=[*schedules, _house_schedule(house)],
        sensors=[new_disclosures_sensor(house, senate, transform)],
        resources={"runtime": runtime_resource(settings), "dbt": dbt_resource()},
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
