"""congress-legislators: people, terms, committees and seats (a snapshot, re-fetched daily)."""

from __future__ import annotations

from datetime import UTC, datetime

from stockyard.models import QuarantineRecord
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.legislators import client as files
from stockyard.sources.legislators.client import LegislatorsClient
from stockyard.sources.legislators.parse_committees import parse_committees, parse_memberships
from stockyard.sources.legislators.parse_members import parse_current_yaml, parse_historical_csv
from stockyard.warehouse.raw import load_legislators

SOURCE = "legislators"
DATASET = "snapshot"
FILES = (
    files.LEGISLATORS_CURRENT,
    files.LEGISLATORS_HISTORICAL,
    files.COMMITTEES_CURRENT,
    files.COMMITTEE_MEMBERSHIP_CURRENT,
)  # one snapshot = these four files


def snapshot_partition() -> str:
    return datetime.now(UTC).date().isoformat()


def fetch_legislators(runtime: Runtime, partition: str) -> StepReport:
    report = StepReport()
    client = LegislatorsClient(runtime.http(SOURCE))
    getters = {
        files.LEGISLATORS_CURRENT: client.legislators_current,
        files.LEGISLATORS_HISTORICAL: client.legislators_historical,
        files.COMMITTEES_CURRENT: client.committees_current,
        files.COMMITTEE_MEMBERSHIP_CURRENT: client.committee_membership_current,
    }
    for name, get in getters.items():
        runtime.land(SOURCE, DATASET, partition, name, get(), report)
    return report


def load_legislators_snapshot(runtime: Runtime, partition: str | None = None) -> StepReport:
    """Load the newest landed snapshot (or a given one) into the raw layer."""
    report = StepReport()
    zone = runtime.landing
    partitions = zone.partitions(SOURCE, DATASET)
    if not partitions:
        report.errors.append("legislators: nothing landed yet; fetch first")
        return report
    partition = partition or partitions[-1]
    landed = {f.name: f for f in zone.latest(SOURCE, DATASET, partition)}
    missing = [name for name in FILES if name not in landed]
    if missing:
        report.errors.append(f"legislators: snapshot {partition} lacks {', '.join(missing)}")
        return report
    current = parse_current_yaml(zone.read(landed[files.LEGISLATORS_CURRENT]))
    historical = parse_historical_csv(zone.read(landed[files.LEGISLATORS_HISTORICAL]))
    committees = parse_committees(zone.read(landed[files.COMMITTEES_CURRENT]))
    seats = parse_memberships(zone.read(landed[files.COMMITTEE_MEMBERSHIP_CURRENT]))
    # A person in both files is current; the historical CSV only adds former members.
    known = {p.bioguide_id for p in current.records}
    people = current.records + [p for p in historical.records if p.bioguide_id not in known]
    rejects: list[QuarantineRecord] = [
        *current.quarantined,
        *historical.quarantined,
        *committees.quarantined,
        *seats.quarantined,
    ]
    with runtime.warehouse() as con:
        result = load_legislators(
            con,
            partition=partition,
            legislators=people,
            committees=committees.records,
            memberships=seats.records,
            landing_path=zone.uri(landed[files.LEGISLATORS_CURRENT]),
            rejects=rejects,
        )
    report.count_load(result)
    return report
