"""The streaming tables: stream.minute_bars, stream.news, stream.alerts — idempotent upserts.

Every table has the key a redelivered or replayed event would repeat ((ticker, window_end) for
bars; article id for news; (ticker, window_end, news_id) for alerts), and writes are
``INSERT … ON CONFLICT`` (nothing for a repeat, an update for a revision), so writing the same
batch twice leaves the same rows. Rows
arrive as tuples in the column order below (the stream's records in field order); a batch is
written column-wise (``from_json`` + ``unnest``) in one statement, which keeps up with a fast replay.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from stockyard.warehouse.db import transaction

MINUTE_BAR_COLUMNS = (
    ("ticker", "VARCHAR"),
    ("window_start_ms", "BIGINT"),
    ("window_end_ms", "BIGINT"),
    ("open", "DOUBLE"),
    ("high", "DOUBLE"),
    ("low", "DOUBLE"),
    ("close", "DOUBLE"),
    ("volume", "DOUBLE"),
    ("vwap", "DOUBLE"),
    ("rolling_vwap", "DOUBLE"),
    ("ret_1m", "DOUBLE"),
    ("ret_5m", "DOUBLE"),
    ("ret_15m", "DOUBLE"),
    ("volume_z", "DOUBLE"),
)
NEWS_COLUMNS = (
    ("id", "VARCHAR"),
    ("published_ms", "BIGINT"),
    ("title", "VARCHAR"),
    ("url", "VARCHAR"),
    ("section", "VARCHAR"),
    ("trail_text", "VARCHAR"),
    ("term", "VARCHAR"),
    ("tickers", "VARCHAR"),  # comma-separated tickers the article mentions
)
ALERT_COLUMNS = (
    ("ticker", "VARCHAR"),
    ("window_end_ms", "BIGINT"),
    ("news_id", "VARCHAR"),
    ("move_pct", "DOUBLE"),
    ("close", "DOUBLE"),
    ("news_title", "VARCHAR"),
    ("news_url", "VARCHAR"),
    ("published_ms", "BIGINT"),
)
TABLES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "stream.minute_bars": (MINUTE_BAR_COLUMNS, ("ticker", "window_end_ms")),
    "stream.news": (NEWS_COLUMNS, ("id",)),
    "stream.alerts": (ALERT_COLUMNS, ("ticker", "window_end_ms", "news_id")),
}


def stream_ddl() -> list[str]:
    statements = ["CREATE SCHEMA IF NOT EXISTS stream"]
    for table, (columns, key) in TABLES.items():
        body = ", ".join(f"{name} {kind}" for name, kind in columns)
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table} ({body}, written_at TIMESTAMPTZ, "
            f"PRIMARY KEY ({', '.join(key)}))"
        )
    return statements


def connect_stream(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating) the stream's DuckDB file with its tables. It is a file of its own so the
    all-day stream and the batch pipeline never wait on each other's write lock; readers can
    ``ATTACH`` it next to the warehouse. Do not name it ``stream.duckdb``: DuckDB names the
    catalog after the file, and ``stream.minute_bars`` would become ambiguous."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        ensure_stream_schema(con)
    except Exception:
        con.close()
        raise
    return con


def ensure_stream_schema(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        for statement in stream_ddl():
            con.execute(statement)


def _upsert_sql(table: str, replace: bool) -> str:
    columns, key = TABLES[table]
    names = [name for name, _ in columns]
    shape = json.dumps({name: [kind] for name, kind in columns})
    selects = ", ".join(f"unnest(batch.{name}) AS {name}" for name in names)
    updates = ", ".join(f"{n} = excluded.{n}" for n in [*names, "written_at"] if n not in key)
    on_conflict = f"DO UPDATE SET {updates}" if replace else "DO NOTHING"
    return (
        f"INSERT INTO {table} ({', '.join(names)}, written_at) "
        f"SELECT *, $2::TIMESTAMPTZ FROM ("
        f"SELECT {selects} FROM (SELECT from_json($1, '{shape}') AS batch)) "
        f"ON CONFLICT ({', '.join(key)}) {on_conflict}"
    )


_SQL = {
    (table, replace): _upsert_sql(table, replace) for table in TABLES for replace in (False, True)
}


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Sequence[Any]],
    *,
    replace: bool = False,
) -> int:
    """Write ``rows`` (tuples in the table's column order), idempotently on the table's key.

    ``replace=False``: a key already stored keeps its row (a redelivery or a replay writes what
    is there already; half the cost of an update). ``replace=True``: the last row per key wins
    (revisions: minutes recomputed after an out-of-order bar).

    The batch travels as one JSON document of columns: DuckDB parses it without holding the
    GIL, where binding thousands of Python values one by one would hold it throughout.
    """
    if not rows:
        return 0
    columns, key = TABLES[table]
    positions = [i for i, (name, _) in enumerate(columns) if name in key]
    # One statement cannot touch the same key twice: keep each key's last row.
    latest = {tuple(row[i] for i in positions): row for row in rows}
    values = list(latest.values())
    names = [name for name, _ in columns]
    payload = json.dumps(dict(zip(names, map(list, zip(*values, strict=True)), strict=True)))
    con.execute(_SQL[(table, replace)], [payload, datetime.now(UTC)])
    return len(values)


def write_batch(
    con: duckdb.DuckDBPyConnection,
    bars: Sequence[Sequence[Any]] = (),
    news: Sequence[Sequence[Any]] = (),
    alerts: Sequence[Sequence[Any]] = (),
    revised_bars: Sequence[Sequence[Any]] = (),
) -> None:
    """Everything one processed batch produced, in one transaction."""
    with transaction(con):
        upsert(con, "stream.minute_bars", bars)
        upsert(con, "stream.minute_bars", revised_bars, replace=True)
        upsert(con, "stream.news", news)
        upsert(con, "stream.alerts", alerts)


def stream_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def recent_bars(con: duckdb.DuckDBPyConnection, horizon_ms: int) -> list[tuple[Any, ...]]:
    """Each ticker's bars within ``horizon_ms`` of its newest, oldest first, as
    (ticker, start, end, open, high, low, close, volume, vwap): what a restarted processor
    needs to rebuild its windows."""
    return con.execute(
        "SELECT ticker, window_start_ms, window_end_ms, open, high, low, close, volume, vwap "
        "FROM stream.minute_bars "
        "QUALIFY window_end_ms > max(window_end_ms) OVER (PARTITION BY ticker) - $1 "
        "ORDER BY ticker, window_end_ms",
        [horizon_ms],
    ).fetchall()
