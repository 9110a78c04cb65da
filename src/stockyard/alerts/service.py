"""The operations the CLI, the API and the pipeline share: add a follow (checked against the
published data), test one, and deliver what a publish owes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import duckdb

from stockyard.alerts.delivery import DeliveryReport, deliver_due
from stockyard.alerts.follows import (
    Follow,
    FollowError,
    FollowFilter,
    check_target,
    new_follow_id,
    new_secret,
)
from stockyard.alerts.planning import PlanResult, plan_deliveries
from stockyard.alerts.store import AlertStore, PlannedDelivery
from stockyard.config import Settings
from stockyard.warehouse.alert_reads import committee_name, members_named

__all__ = ["AlertsRun", "add_follow", "run_alerts", "store_for", "test_delivery"]


def store_for(settings: Settings) -> AlertStore:
    return AlertStore(settings.resolved_alerts_db_path)


def _now() -> datetime:
    return datetime.now(UTC)


def resolve_filter(con: duckdb.DuckDBPyConnection | None, wanted: FollowFilter) -> FollowFilter:
    """Check what a follow names against the published data: a member name becomes the one
    member it names (FollowError when it names none or several), a committee must exist."""
    resolved = wanted
    if con is None:
        if wanted.member or wanted.committee:
            raise FollowError(
                "nothing is published yet to check the member or committee against: "
                "run the pipeline (stockyard demo or stockyard run) first"
            )
        return wanted
    if wanted.member:
        found = members_named(con, wanted.member)
        exact = [m for m in found if m.bioguide_id.upper() == wanted.member.upper()]
        if exact:
            found = exact
        if not found:
            raise FollowError(
                f"no member matches {wanted.member!r}: give a bioguide id (e.g. P000197) "
                "or part of a name as /members lists it"
            )
        if len(found) > 1:
            names = ", ".join(f"{m.full_name} ({m.bioguide_id})" for m in found[:5])
            raise FollowError(f"{wanted.member!r} names several members: {names}; pick one id")
        resolved = replace(resolved, member=found[0].bioguide_id)
    if wanted.committee:
        if committee_name(con, wanted.committee) is None:
            raise FollowError(
                f"no committee {wanted.committee!r} has members: see /committees for the ids"
            )
        resolved = replace(resolved, committee=wanted.committee.upper())
    return resolved


def add_follow(
    store: AlertStore,
    con: duckdb.DuckDBPyConnection | None,
    *,
    name: str,
    channel: str,
    target: str,
    wanted: FollowFilter,
    digest: str = "publish",
    secret: str | None = None,
) -> Follow:
    """Validate and save a follow; FollowError (nothing saved) when it could never deliver."""
    if digest not in ("publish", "daily"):
        raise FollowError(f"digest must be 'publish' or 'daily', not {digest!r}")
    if channel == "webhook" and digest != "publish":
        raise FollowError("webhooks are sent per publish; daily digests are for email")
    follow = Follow(
        follow_id=new_follow_id(),
        name=name.strip() or wanted.describe(),
        channel=channel,  # type: ignore[arg-type]  # check_target rejects anything else
        target=check_target(channel, target),
        filter=resolve_filter(con, wanted),
        created_at=_now(),
        digest=digest,  # type: ignore[arg-type]
        secret=secret or (new_secret() if channel == "webhook" else ""),
    )
    store.add_follows([follow])
    return follow


@dataclass(frozen=True, slots=True)
class AlertsRun:
    plan: PlanResult
    report: DeliveryReport


def run_alerts(store: AlertStore, con: duckdb.DuckDBPyConnection, settings: Settings) -> AlertsRun:
    """Plan what every unplanned publish owes the follows, then send whatever is due."""
    plan = plan_deliveries(store, con, site_url=settings.alerts.site_url, now=_now())
    return AlertsRun(plan, deliver_due(store, settings.alerts))


def test_delivery(store: AlertStore, follow: Follow, settings: Settings) -> DeliveryReport:
    """Send a follow one event-less delivery now, to check its receiver is there."""
    now = _now()
    delivery_id = f"test-{follow.follow_id}-{int(now.timestamp())}"
    header = {
        "delivery_id": delivery_id,
        "test": True,
        "follow": {"follow_id": follow.follow_id, "name": follow.name},
        "publish_ids": [],
    }
    store.plan(
        f"test:{delivery_id}",
        [PlannedDelivery(delivery_id, follow.follow_id, "test", header, [], now)],
        now=now,
    )
    return deliver_due(store, settings.alerts, now=now, only={delivery_id})
