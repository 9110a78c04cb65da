"""Turn publishes into deliveries: each follow is owed one delivery per publish (or one per day
for a daily mail digest) holding the new and amended trades that match it, each version once."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import duckdb

from stockyard.alerts.events import event
from stockyard.alerts.follows import Follow
from stockyard.alerts.store import AlertStore, PlannedDelivery
from stockyard.warehouse.follow_matching import Match, match_versions, unplanned_publishes
from stockyard.warehouse.queries import trades_by_id

__all__ = ["PlanResult", "delivery_id", "plan_deliveries"]


@dataclass(frozen=True, slots=True)
class PlanResult:
    publishes: list[str]
    deliveries: int
    events: int


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
    already = store.sent_versions(list(follows)) if follows else set()
    total_deliveries = total_events = 0
    for publish_id in publishes:
        matches = [
            m
            for m in match_versions(con, [f.criteria() for f in follows.values()], [publish_id])
            if (m.follow_id, m.trade_id, m.version) not in already
        ]
        trades = trades_by_id(con, sorted({m.trade_id for m in matches}))
        by_follow: dict[str, list[Match]] = defaultdict(list)
        for match in matches:
            by_follow[match.follow_id].append(match)
        planned = []
        for follow_id, owed in by_follow.items():
            follow = follows[follow_id]
            planned.append(
                PlannedDelivery(
                    delivery_id=delivery_id(follow, publish_id, now),
                    follow_id=follow_id,
                    publish_id=publish_id,
                    payload=_payload(follow, publish_id, owed, trades, site_url, now),
                    versions=[(m.trade_id, m.version) for m in owed],
                    not_before=_not_before(follow, now),
                )
            )
            total_events += len(owed)
        total_deliveries += store.plan(publish_id, planned, now=now)
    return PlanResult(publishes, total_deliveries, total_events)


def _payload(
    follow: Follow,
    publish_id: str,
    owed: list[Match],
    trades: dict[str, Any],
    site_url: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "delivery_id": delivery_id(follow, publish_id, now),
        "follow": {
            "follow_id": follow.follow_id,
            "name": follow.name,
            "filter": follow.filter.describe(),
        },
        "publish_ids": [publish_id],
        "events": [event(m, trades[m.trade_id], site_url) for m in owed if m.trade_id in trades],
    }
