"""Start runs only when a source has something new, only for what is new, and only when it answers.

The cursor keeps what the last look saw: the House index zip's sha256 for the year, and the Senate
reports filed in the lookback window (id → filed date). A new House index asks for that year's
partition (the run fetches only PTRs not landed yet); new Senate reports ask for the days they
were filed on, not the whole window. An outage is a skip, never an empty run.

Run keys are derived from what is new, not from the clock, so a look repeated after a crash (the
daemon killed between submitting runs and saving the cursor) asks for the same run keys and
Dagster starts nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dagster as dg

# Public API returns this type from define_asset_job but does not export its name.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from stockyard.config import SensorSettings, Settings
from stockyard.pipeline.runtime import Runtime
from stockyard.sources.house_clerk.client import HouseClerkClient
from stockyard.sources.http import SourceError
from stockyard.sources.senate_efd.client import SenateEfdClient


@dataclass(frozen=True, slots=True)
class Look:
    """What the sources show on `today`."""

    year: int
    house_index: str
    senate_reports: dict[str, str]

    @property
    def house_key(self) -> str:
        """The year and its index's digest, as the cursor keeps them."""
        return f"{self.year}:{self.house_index}"

    def cursor(self) -> str:
        return json.dumps({"house_index": self.house_key, "senate_reports": self.senate_reports})


def sensor_today(settings: SensorSettings) -> date:
    return settings.today or datetime.now(UTC).date()


def look(runtime: Runtime, today: date) -> Look:
    """Ask both sources what they list now. Raises SourceError when one does not answer."""
    index = HouseClerkClient(runtime.http("house_clerk")).fd_index_zip(today.year)
    since = today - timedelta(days=runtime.settings.sensor.senate_lookback_days)
    reports = SenateEfdClient(runtime.http("senate_efd")).iter_reports(since, today)
    return Look(
        year=today.year,
        house_index=hashlib.sha256(index.content).hexdigest(),
        senate_reports={r.report_id: r.filed_date.isoformat() for r in reports},
    )


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def run_requests(
    now: Look, previous: dict[str, Any], house: str, senate: str, transform: str
) -> list[dg.RunRequest]:
    """The runs that read what `now` has and `previous` (a cursor) did not; empty = nothing new."""
    requests = []
    if now.house_key != previous.get("house_index"):
        requests.append(
            dg.RunRequest(
                run_key=f"house-{now.year}-{now.house_index[:16]}",
                job_name=house,
                partition_key=str(now.year),
            )
        )
    seen = previous.get("senate_reports")
    seen = seen if isinstance(seen, dict) else {}
    new = {rid: filed for rid, filed in now.senate_reports.items() if rid not in seen}
    if new:
        first, last = min(new.values()), max(new.values())
        requests.append(
            dg.RunRequest(
                run_key=f"senate-{first}-{last}-{_key(*sorted(new))}",
                job_name=senate,
                tags={ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last},
            )
        )
    if requests:
        # Queued behind the reads (one run at a time), then publishes what they landed.
        keys = [r.run_key or "" for r in requests]
        requests.append(dg.RunRequest(run_key=f"transform-{_key(*keys)}", job_name=transform))
    return requests


def new_disclosures_sensor(
    house: UnresolvedAssetJobDefinition,
    senate: UnresolvedAssetJobDefinition,
    transform: UnresolvedAssetJobDefinition,
    settings: SensorSettings,
) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_disclosures",
        jobs=[house, senate, transform],
        minimum_interval_seconds=settings.interval_seconds,
        default_status=dg.DefaultSensorStatus.STOPPED,
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        runtime = Runtime(Settings())
        try:
            now = look(runtime, sensor_today(runtime.settings.sensor))
        except SourceError as exc:
            return dg.SkipReason(f"a source is not answering, no run: {exc}")
        finally:
            runtime.close()
        previous = json.loads(context.cursor) if context.cursor else {}
        requests = run_requests(now, previous, house.name, senate.name, transform.name)
        if not requests:
            return dg.SkipReason("nothing new at the House Clerk or the Senate eFD")
        return dg.SensorResult(run_requests=requests, cursor=now.cursor())

    return _sensor
