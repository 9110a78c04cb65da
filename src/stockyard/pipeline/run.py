"""Run the pipeline in-process over a date range: the same definitions `dagster dev` serves.

Four runs in order, because Dagster runs one partitioning scheme at a time: the snapshots
(unpartitioned), the House years, the Senate days (each range as ONE run), then the transform
(member resolution, dbt build into the audit area, publish).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from stockyard.config import Settings
from stockyard.landing import LandedFile, LandingZone
from stockyard.pipeline.definitions import (
    DAILY_JOBS,
    HOUSE_JOB,
    SNAPSHOTS_JOB,
    TRANSFORM_JOB,
    build_definitions,
)
from stockyard.pipeline.partitions import FIRST_YEAR

# Dagster's console logger prints every event; the CLI shows progress itself. Runs stay
# fully logged in the instance (see `dagster dev`).
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


@dataclass
class StageResult:
    job: str
    success: bool
    run_id: str
    seconds: float
    metadata: dict[str, dict[str, object]] = field(default_factory=dict)
    error: str | None = None


@dataclass
class RunSummary:
    stages: list[StageResult] = field(default_factory=list)
    expired: list[LandedFile] = field(default_factory=list)  # landing files retention removed

    @property
    def success(self) -> bool:
        return all(s.success for s in self.stages)


def dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """A persistent instance under STOCKYARD_HOME/dagster, so `dagster dev` shows these runs."""
    home: Path = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()


def _range(first: str, last: str) -> dict[str, str]:
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


def _stages(
    start: date,
    end: date,
    years: tuple[int, int] | None,
    windows: Sequence[tuple[date, date]] | None,
    job_windows: Mapping[str, Sequence[tuple[date, date]]] | None = None,
) -> list[tuple[str, dict[str, str]]]:
    first_year, last_year = years or (max(start.year, FIRST_YEAR), end.year)
    floor = date(FIRST_YEAR, 1, 1)
    default = windows or [(start, end)]
    daily = [
        (job, _range(max(a, floor).isoformat(), b.isoformat()))
        for job in DAILY_JOBS
        for a, b in (job_windows or {}).get(job, default)
    ]
    return [
        (SNAPSHOTS_JOB, {}),
        (HOUSE_JOB, _range(str(first_year), str(last_year))),
        *daily,
        (TRANSFORM_JOB, {}),
    ]


def run_pipeline(
    settings: Settings,
    start: date,
    end: date,
    *,
    on_stage: Callable[[str, StageResult | None], None] | None = None,
    jobs: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    windows: Sequence[tuple[date, date]] | None = None,
    job_windows: Mapping[str, Sequence[tuple[date, date]]] | None = None,
) -> RunSummary:
    """Materialise every asset for [start, end]; stops before the transform if ingest failed.

    `jobs` restricts the run to some stages (e.g. only the transform, to re-audit); `years`
    widens or narrows the House index years, which otherwise follow [start, end]; `windows`
    replaces [start, end] for the daily sources by several ranges (one run each), and
    `job_windows` gives one daily job ranges of its own (market data outlives the trades). Dagster records
    one materialisation per daily partition, so covering only the days that matter saves time.
    """
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    import time

    instance = dagster_instance(settings)
    defs = build_definitions(settings)
    summary = RunSummary()
    for job_name, tags in _stages(start, end, years, windows, job_windows):
        if jobs is not None and job_name not in jobs:
            continue
        if on_stage:
            on_stage(job_name, None)
        started = time.perf_counter()
        job = defs.resolve_job_def(job_name)
        result = job.execute_in_process(
            instance=instance, tags=tags, raise_on_error=False, run_config=QUIET
        )
        stage = StageResult(
            job=job_name,
            success=result.success,
            run_id=result.run_id,
            seconds=time.perf_counter() - started,
            metadata=_materialisations(result),
            error=_failure(result),
        )
        summary.stages.append(stage)
        if on_stage:
            on_stage(job_name, stage)
        if not result.success:
            break
    if summary.success and settings.landing_retention_days is not None:
        # Only after a good run: a failed load may still need to re-read older landings.
        zone = LandingZone(settings.resolved_landing_url)
        summary.expired = zone.apply_retention(
            settings.landing_retention_days, archive_url=settings.landing_archive_url
        )
    return summary


def _materialisations(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for event in result.get_asset_materialization_events():
        mat = event.step_materialization_data.materialization
        found[mat.asset_key.to_user_string()] = {k: v.value for k, v in mat.metadata.items()}
    return found


def _failure(result: dg.ExecuteInProcessResult) -> str | None:
    if result.success:
        return None
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            error = event.step_failure_data.error
            user = event.step_failure_data.user_failure_data
            text = (
                user.description if user and user.description else (error.message if error else "")
            )
            messages.append(f"{event.step_key}: {text.strip()}")
            if user is not None:
                for key, value in user.metadata.items():
                    messages.append(f"  {key}: {value.value}")
    return "\n".join(messages) or "run failed"


@dataclass(frozen=True)
class RunRecord:
    job: str
    status: str
    started: float | None  # epoch seconds
    ended: float | None
    partition_range: str


def recent_runs(settings: Settings, limit: int = 8) -> list[RunRecord]:
    """The latest pipeline runs recorded in the Dagster instance under STOCKYARD_HOME."""
    if not (settings.dagster_home / "dagster.yaml").exists():
        return []
    instance = dagster_instance(settings)
    records = instance.get_run_records(limit=limit)
    out = []
    for record in records:
        tags = record.dagster_run.tags
        window = ""
        if ASSET_PARTITION_RANGE_START_TAG in tags:
            window = (
                f"{tags[ASSET_PARTITION_RANGE_START_TAG]}…{tags[ASSET_PARTITION_RANGE_END_TAG]}"
            )
        out.append(
            RunRecord(
                job=record.dagster_run.job_name,
                status=record.dagster_run.status.value,
                started=record.start_time,
                ended=record.end_time,
                partition_range=window,
            )
        )
    return out
