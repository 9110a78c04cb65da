"""Turn publishes into deliveries: each follow is owed one delivery per publish (or one per day
for a daily mail digest) holding the new and amended trades that match it, each version once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import duckdb

from stockyard.alerts.events import event
from stockyard.alerts.follows import Follow
from stockyard.alerts.store import AlertStore, PlannedDelivery, StoredEvent
from stockyard.warehouse.follow_matching import match_versions, unplanned_publishes
from stockyard.warehouse.queries import trades_by_id

__all__ = ["PlanResult", "delivery_id", "plan_deliveries"]


@dataclass(frozen=True, slots=True)
class PlanResult:
    publishes: list[str]
    deliveries: int
    events: int  # (follow, trade version) pairs owed


def delivery_id(follow: Follow, publish_id: str, now: datetime) -> str:
    """Stable for one follow and one publish (or one day of a daily digest): the idempotency
    key a receiver deduplicates on."""
    period = f"day:{now.date().isoformat()}" if follow.digest == "daily" else publish_id
    return hashlib.sha256(f"{follow.follow_id}|{period}".encode()).hexdigest()[:32]


def _not_before(follow: Follow, now: datetime) -> datetime:
    if follow.digest == "daily":  # the digest of a day goes out once the day is over (UTC)
        return datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC)
    return now


def plan_deliveries(
    store: AlertStore, con: duckdb.DuckDBPyConnection, *, site_url: str, now: datetime
) -> PlanResult:
    """Plan every publish recorded in ``con`` (a serving snapshot or the warehouse) that the
    store has not planned yet, oldest first. Safe to repeat: a planned publish is skipped, and a
    version already owed to a follow is not owed again."""
    publishes = unplanned_publishes(con, store.planned_publishes())
    follows = {f.follow_id: f for f in store.follows()}
    criteria = [f.criteria() for f in follows.values()]
    total_deliveries = total_events = 0
    for publish_id in publishes:
        matches = match_versions(con, criteria, [publish_id])
        trades = trades_by_id(con, sorted({v.trade_id for v in matches.versions}))
        # Each version's event once, however many follows it goes to.
        stored = [
            StoredEvent(
                v.trade_id,
                v.key,
                v.published_at,
                json.dumps(event(v, trades[v.trade_id], site_url), sort_keys=True),
            )
            for v in matches.versions
            if v.trade_id in trades
        ]
        planned = []
        for follow_id, found in matches.by_follow.items():
            follow = follows[follow_id]
            # A version is matched in the one publish that recorded it, and a publish is
            # planned once, so nothing here was owed before (the store ignores repeats anyway).
            owed = [
                (v.trade_id, v.key)
                for v in (matches.versions[i] for i in found)
                if v.trade_id in trades
            ]
            if not owed:
                continue
            key = delivery_id(follow, publish_id, now)
            planned.append(
                PlannedDelivery(
                    delivery_id=key,
                    follow_id=follow_id,
                    publish_id=publish_id,
                    header={
                        "delivery_id": key,
                        "follow": {
                            "follow_id": follow.follow_id,
                            "name": follow.name,
                            "filter": follow.filter.describe(),
                        },
                        "publish_ids": [publish_id],
                    },
                    versions=owed,
                    not_before=_not_before(follow, now),
                )
            )
            total_events += len(owed)
        total_deliveries += store.plan(publish_id, planned, events=stored, now=now)
    return PlanResult(publishes, total_deliveries, total_events)
