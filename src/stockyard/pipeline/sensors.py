"""Start a run only when a source has something new, and only when it answers.

The cursor keeps a fingerprint per source (the House index zip's sha256, the count of Senate
reports filed in the last week); an outage is a skip, never an empty run.
"""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import dagster as dg

# Public API returns this type from define_asset_job but does not export its name.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from stockyard.config import Settings
from stockyard.pipeline.runtime import Runtime
from stockyard.sources.house_clerk.client import HouseClerkClient
from stockyard.sources.http import SourceError
from stockyard.sources.senate_efd.client import SenateEfdClient


def fingerprints(runtime: Runtime, today: datetime) -> dict[str, str]:
    """What each source shows now. Raises SourceError when a source does not answer."""
    year = today.year
    index = HouseClerkClient(runtime.http("house_clerk")).fd_index_zip(year)
    since = (today - timedelta(days=7)).date()
    reports = sorted(
        r.report_id
        for r in SenateEfdClient(runtime.http("senate_efd")).iter_reports(since, today.date())
    )
    return {
        "house_index": f"{year}:{hashlib.sha256(index.content).hexdigest()}",
        "senate_reports": hashlib.sha256("\n".join(reports).encode()).hexdigest(),
    }


def new_disclosures_sensor(
    house: UnresolvedAssetJobDefinition,
    senate: UnresolvedAssetJobDefinition,
    transform: UnresolvedAssetJobDefinition,
) -> dg.SensorDefinition:
    @dg.sensor(
        name="new_disclosures",
        jobs=[house, senate, transform],
        minimum_interval_seconds=3600,
        default_status=dg.DefaultSensorStatus.STOPPED,
    )
    def _sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        now = datetime.now(UTC)
        runtime = Runtime(Settings())
        try:
            current = fingerprints(runtime, now)
        except SourceError as exc:
            return dg.SkipReason(f"a source is not answering, no run: {exc}")
        finally:
            runtime.close()
        previous = json.loads(context.cursor) if context.cursor else {}
        requests = []
        stamp = now.strftime("%Y%m%dT%H%M")
        if current["house_index"] != previous.get("house_index"):
            requests.append(
                dg.RunRequest(
                    run_key=f"house-{stamp}", job_name=house.name, partition_key=str(now.year)
                )
            )
        if current["senate_reports"] != previous.get("senate_reports"):
            day = now.date().isoformat()
            requests.append(
                dg.RunRequest(run_key=f"senate-{stamp}", job_name=senate.name, partition_key=day)
            )
        if not requests:
            return dg.SkipReason("nothing new at the House Clerk or the Senate eFD")
        requests.append(dg.RunRequest(run_key=f"transform-{stamp}", job_name=transform.name))
        return dg.SensorResult(run_requests=requests, cursor=json.dumps(current))

    return _sensor
