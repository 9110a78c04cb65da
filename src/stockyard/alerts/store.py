"""The alerts state: follows, the deliveries each publish owes them, and every attempt.

A small SQLite file of its own (WAL mode: the site, the pipeline and the CLI each take short
writes from their own processes). Deliveries are an outbox: a publish is turned into pending
deliveries in one transaction (with the trade versions each will carry, so none is sent twice),
and a delivery is marked delivered only after the receiver acknowledged it. A process killed in
between leaves it pending, and the next start sends it again under the same idempotency key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from stockyard.alerts.follows import Follow, FollowFilter

__all__ = ["AlertStore", "Attempt", "Delivery", "PlannedDelivery", "Status", "StoredEvent"]

Status = Literal["pending", "delivered", "dead"]

_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS follows (
        follow_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        digest TEXT NOT NULL,
        secret TEXT NOT NULL,
        filter TEXT NOT NULL,
        created_at TEXT NOT NULL,
        removed_at TEXT
    )""",
    # A publish whose trade versions have been turned into deliveries.
    """CREATE TABLE IF NOT EXISTS planned_publishes (
        publish_id TEXT PRIMARY KEY,
        planned_at TEXT NOT NULL,
        deliveries INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS deliveries (
        delivery_id TEXT PRIMARY KEY,
        follow_id TEXT NOT NULL,
        publish_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        events INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        not_before TEXT NOT NULL,
        delivered_at TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS deliveries_by_status ON deliveries (status, not_before)",
    # Each trade version's event, written once however many follows it goes to; a delivery's
    # body is assembled from the events its sent_versions name, the same bytes on every retry.
    """CREATE TABLE IF NOT EXISTS events (
        trade_id TEXT NOT NULL,
        version TEXT NOT NULL,
        published_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (trade_id, version)
    )""",
    # Which version of which trade a follow has been (or is being) sent: a trade is sent once.
    """CREATE TABLE IF NOT EXISTS sent_versions (
        follow_id TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        version TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        PRIMARY KEY (follow_id, trade_id, version)
    )""",
    "CREATE INDEX IF NOT EXISTS sent_by_delivery ON sent_versions (delivery_id)",
    """CREATE TABLE IF NOT EXISTS attempts (
        delivery_id TEXT NOT NULL,
        attempted_at TEXT NOT NULL,
        requests INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT
    )""",
)


@dataclass(frozen=True, slots=True)
class Delivery:
    delivery_id: str  # also the idempotency key the receiver sees
    follow_id: str
    publish_id: str
    header: dict[str, Any]  # the body without its events (AlertStore.payload adds them)
    events: int
    status: Status
    attempts: int
    last_error: str | None
    created_at: datetime
    not_before: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: str
    attempted_at: datetime
    requests: int
    status_code: int | None
    error: str | None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _follow(row: sqlite3.Row) -> Follow:
    return Follow(
        follow_id=row["follow_id"],
        name=row["name"],
        channel=row["channel"],
        target=row["target"],
        filter=FollowFilter.from_json(row["filter"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        digest=row["digest"],
        secret=row["secret"],
    )


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery(
        delivery_id=row["delivery_id"],
        follow_id=row["follow_id"],
        publish_id=row["publish_id"],
        header=json.loads(row["payload"]),
        events=row["events"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        created_at=datetime.fromisoformat(row["created_at"]),
        not_before=datetime.fromisoformat(row["not_before"]),
        delivered_at=_when(row["delivered_at"]),
    )


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    """A delivery to create, with the trade versions it carries."""

    delivery_id: str
    follow_id: str
    publish_id: str
    header: dict[str, Any]
    versions: Sequence[tuple[str, str]]  # (trade_id, version), each in ``events`` of plan()
    not_before: datetime


@dataclass(frozen=True, slots=True)
class StoredEvent:
    trade_id: str
    version: str
    published_at: datetime
    body: str  # the event's JSON


class AlertStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._schema_ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30.0) if self._schema_ready else self._create()
        con.row_factory = sqlite3.Row
        try:
            with con:  # one transaction: committed on success, rolled back on error
                yield con
        finally:
            con.close()

    def _create(self) -> sqlite3.Connection:
        """The first connection of this store: the file in WAL mode (which persists) with its
        tables; later connections skip both."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30.0)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                con.execute(statement)
            con.commit()
        except BaseException:
            con.close()
            raise
        self._schema_ready = True
        return con

    # follows

    def add_follows(self, follows: Iterable[Follow]) -> None:
        """Save follows (already validated: service.add_follow), in one transaction."""
        with self._connect() as con:
            con.executemany(
                """INSERT INTO follows (follow_id, name, channel, target, digest, secret, filter,
                                        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        f.follow_id,
                        f.name,
                        f.channel,
                        f.target,
                        f.digest,
                        f.secret,
                        f.filter.to_json(),
                        f.created_at.isoformat(),
                    )
                    for f in follows
                ],
            )

    def follows(self) -> list[Follow]:
        """The active follows, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT * FROM follows WHERE removed_at IS NULL ORDER BY created_at, follow_id"
            ).fetchall()
        return [_follow(r) for r in rows]

    def follow(self, follow_id: str, *, include_removed: bool = False) -> Follow | None:
        with self._connect() as con:
            row = con.execute(
                "SELECT * FROM follows WHERE follow_id = ? AND (? OR removed_at IS NULL)",
                (follow_id, include_removed),
            ).fetchone()
        return _follow(row) if row else None

    def remove_follow(self, follow_id: str, *, now: datetime | None = None) -> bool:
        """Stop a follow (its delivery history stays); False if there was no such follow.
        Its pending deliveries are still sent: they were owed before it was removed."""
        with self._connect() as con:
            changed = con.execute(
                "UPDATE follows SET removed_at = ? WHERE follow_id = ? AND removed_at IS NULL",
                ((now or datetime.now(UTC)).isoformat(), follow_id),
            ).rowcount
        return changed > 0

    # planning

    def planned_publishes(self) -> set[str]:
        with self._connect() as con:
            rows = con.execute("SELECT publish_id FROM planned_publishes").fetchall()
        return {r[0] for r in rows}

    def plan(
        self,
        publish_id: str,
        deliveries: Sequence[PlannedDelivery],
        *,
        events: Sequence[StoredEvent] = (),
        now: datetime,
    ) -> int:
        """Record a publish's events and deliveries and mark it planned, in one transaction. A
        delivery whose id exists already (a daily digest) gets the new events added. Returns how
        many deliveries were created or extended; 0 if the publish was planned before."""
        with self._connect() as con:
            if con.execute(
                "SELECT 1 FROM planned_publishes WHERE publish_id = ?", (publish_id,)
            ).fetchone():
                return 0
            con.executemany(
                "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)",
                [(e.trade_id, e.version, e.published_at.isoformat(), e.body) for e in events],
            )
            for planned in deliveries:
                self._upsert_delivery(con, planned, now)
            con.execute(
                "INSERT INTO planned_publishes VALUES (?, ?, ?)",
                (publish_id, now.isoformat(), len(deliveries)),
            )
        return len(deliveries)

    @staticmethod
    def _upsert_delivery(con: sqlite3.Connection, planned: PlannedDelivery, now: datetime) -> None:
        row = con.execute(
            "SELECT payload FROM deliveries WHERE delivery_id = ? AND status = 'pending'",
            (planned.delivery_id,),
        ).fetchone()
        header = dict(planned.header)
        if row is not None:  # a daily digest still waiting: it now covers this publish too
            earlier = json.loads(row["payload"])
            header["publish_ids"] = [*earlier.get("publish_ids", []), planned.publish_id]
        con.execute(
            """INSERT INTO deliveries (delivery_id, follow_id, publish_id, payload, events, status,
                                       created_at, not_before)
               VALUES (?, ?, ?, ?, 0, 'pending', ?, ?)
               ON CONFLICT (delivery_id) DO UPDATE SET payload = excluded.payload""",
            (
                planned.delivery_id,
                planned.follow_id,
                planned.publish_id,
                json.dumps(header, sort_keys=True),
                now.isoformat(),
                planned.not_before.isoformat(),
            ),
        )
        before = con.total_changes
        con.executemany(
            "INSERT OR IGNORE INTO sent_versions VALUES (?, ?, ?, ?)",
            [(planned.follow_id, t, v, planned.delivery_id) for t, v in planned.versions],
        )
        con.execute(
            "UPDATE deliveries SET events = events + ? WHERE delivery_id = ?",
            (con.total_changes - before, planned.delivery_id),
        )

    def payload(self, delivery_id: str) -> dict[str, Any]:
        """What a delivery sends: its header and its events, oldest publish first."""
        with self._connect() as con:
            row = con.execute(
                "SELECT payload FROM deliveries WHERE delivery_id = ?", (delivery_id,)
            ).fetchone()
            if row is None:
                raise LookupError(f"no delivery {delivery_id}")
            bodies = con.execute(
                """SELECT e.body FROM sent_versions AS s
                   JOIN events AS e USING (trade_id, version)
                   WHERE s.delivery_id = ? ORDER BY e.published_at, e.trade_id""",
                (delivery_id,),
            ).fetchall()
        return {**json.loads(row["payload"]), "events": [json.loads(b[0]) for b in bodies]}

    def body(self, delivery_id: str) -> bytes:
        """The payload as the bytes a webhook sends: the same on every retry and resend."""
        return json.dumps(self.payload(delivery_id), separators=(",", ":"), sort_keys=True).encode()

    # delivering

    def due(self, now: datetime) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                """SELECT * FROM deliveries WHERE status = 'pending' AND not_before <= ?
                   ORDER BY created_at, delivery_id""",
                (now.isoformat(),),
            ).fetchall()
        return [_delivery(r) for r in rows]

    def deliveries(self, status: Status | None = None) -> list[Delivery]:
        with self._connect() as con:
            rows = con.execute(
                """SELECT * FROM deliveries WHERE ? IS NULL OR status = ?
                   ORDER BY created_at, delivery_id""",
                (status, status),
            ).fetchall()
        return [_delivery(r) for r in rows]

    def delivery(self, delivery_id: str) -> Delivery | None:
        with self._connect() as con:
            row = con.execute(
                "SELECT * FROM deliveries WHERE delivery_id = ?", (delivery_id,)
            ).fetchone()
        return _delivery(row) if row else None

    def record_attempt(
        self,
        delivery_id: str,
        *,
        outcome: Status,
        requests: int,
        status_code: int | None,
        error: str | None,
        now: datetime,
    ) -> None:
        """Log one delivery try (however many requests its retries took) and its outcome."""
        with self._connect() as con:
            con.execute(
                "INSERT INTO attempts VALUES (?, ?, ?, ?, ?)",
                (delivery_id, now.isoformat(), requests, status_code, error),
            )
            con.execute(
                """UPDATE deliveries SET status = ?, attempts = attempts + ?, last_error = ?,
                       delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
                   WHERE delivery_id = ?""",
                (outcome, requests, error, outcome, now.isoformat(), delivery_id),
            )

    def attempts(self, delivery_id: str) -> list[Attempt]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT * FROM attempts WHERE delivery_id = ? ORDER BY attempted_at",
                (delivery_id,),
            ).fetchall()
        return [
            Attempt(
                r["delivery_id"],
                datetime.fromisoformat(r["attempted_at"]),
                r["requests"],
                r["status_code"],
                r["error"],
            )
            for r in rows
        ]

    def summary(self) -> dict[str, int]:
        """Active follows and deliveries by status (without creating a file nobody asked for)."""
        counts = {"follows": 0, "pending": 0, "delivered": 0, "dead": 0}
        if not self.path.exists():
            return counts
        with self._connect() as con:
            row = con.execute("SELECT count(*) FROM follows WHERE removed_at IS NULL").fetchone()
            counts["follows"] = int(row[0])
            for status, n in con.execute(
                "SELECT status, count(*) FROM deliveries GROUP BY status"
            ).fetchall():
                counts[str(status)] = int(n)
        return counts

    def requeue(self, delivery_id: str, *, now: datetime) -> bool:
        """Put a dead-lettered delivery back in the queue (same id, same body)."""
        with self._connect() as con:
            changed = con.execute(
                """UPDATE deliveries SET status = 'pending', not_before = ?
                   WHERE delivery_id = ? AND status = 'dead'""",
                (now.isoformat(), delivery_id),
            ).rowcount
        return changed > 0
