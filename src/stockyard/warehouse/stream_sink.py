"""The streaming tables: stream.minute_bars, stream.news, stream.alerts — idempotent upserts.

Every table has the key a redelivered or replayed event would repeat ((ticker, window_end) for
bars; article id for news; (ticker, window_end, news_id) for alerts). New bars are appended;
a batch that clashes with a stored key is written again with ``INSERT … ON CONFLICT`` (nothing
for a repeat, an update for a revision), so writing the same batch twice leaves the same rows.
Rows arrive as tuples in the column order below (the stream's records in field order); a batch is
handed to DuckDB as an Arrow table in one statement, which keeps up with a fast replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

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


_ARROW_TYPES = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "DOUBLE": pa.float64()}
_ROW_TYPES = {
    table: pa.struct([(name, _ARROW_TYPES[kind]) for name, kind in columns])
    for table, (columns, _) in TABLES.items()
}
# The three ways a batch meets the keys already stored.
APPEND, KEEP, REPLACE = "append", "keep", "replace"


def _insert_sql(table: str, mode: str) -> str:
    columns, key = TABLES[table]
    names = [name for name, _ in columns]
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}, written_at) "
        f"SELECT {', '.join(names)}, $1::TIMESTAMPTZ FROM stream_batch"
    )
    if mode == KEEP:
        return f"{sql} ON CONFLICT ({', '.join(key)}) DO NOTHING"
    if mode == REPLACE:
        updates = ", ".join(f"{n} = excluded.{n}" for n in [*names, "written_at"] if n not in key)
        return f"{sql} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    return sql


_SQL = {
    (table, mode): _insert_sql(table, mode) for table in TABLES for mode in (APPEND, KEEP, REPLACE)
}


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Sequence[Any]],
    *,
    mode: str = KEEP,
) -> int:
    """Write ``rows`` (tuples in the table's column order) on the table's key.

    ``KEEP``: a key already stored keeps its row (a redelivery or a replay writes what is there
    already). ``REPLACE``: the last row per key wins (revisions: minutes recomputed after an
    out-of-order bar). ``APPEND``: no key may be stored yet — a clash raises
    ``duckdb.ConstraintException`` (`write_batch` then writes the batch again with ``KEEP``).

    The batch travels as an Arrow table built column by column: DuckDB scans it without
    converting Python values one by one, and does the insert without holding the GIL.
    """
    if not rows:
        return 0
    columns, key = TABLES[table]
    if mode != APPEND:
        # One statement cannot touch the same key twice: keep each key's last row.
        positions = [i for i, (name, _) in enumerate(columns) if name in key]
        rows = list({tuple(row[i] for i in positions): row for row in rows}.values())
    # Rows → one struct array → columns, all inside Arrow (no Python-level transposing).
    batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=_ROW_TYPES[table]))
    # Not unregistered when the insert fails: the aborted transaction refuses that too, and the
    # next batch's registration replaces the view anyway.
    con.register("stream_batch", batch)
    con.execute(_SQL[(table, mode)], [datetime.now(UTC)])
    con.unregister("stream_batch")
    return len(rows)


def write_batch(
    con: duckdb.DuckDBPyConnection,
    bars: Sequence[Sequence[Any]] = (),
    news: Sequence[Sequence[Any]] = (),
    alerts: Sequence[Sequence[Any]] = (),
    revised_bars: Sequence[Sequence[Any]] = (),
) -> None:
    """Everything one processed batch produced, in one transaction, idempotently.

    New bars are appended (an insert that does not look for clashes is the fast path: a bar
    is new unless it is redelivered); if any was written before, the transaction is rolled back
    and the batch written again keeping the stored rows.
    """
    try:
        _write_batch(con, bars, news, alerts, revised_bars, APPEND)
    except duckdb.ConstraintException:
        _write_batch(con, bars, news, alerts, revised_bars, KEEP)


def _write_batch(
    con: duckdb.DuckDBPyConnection,
    bars: Sequence[Sequence[Any]],
    news: Sequence[Sequence[Any]],
    alerts: Sequence[Sequence[Any]],
    revised_bars: Sequence[Sequence[Any]],
    bars_mode: str,
) -> None:
    with transaction(con):
        upsert(con, "stream.minute_bars", bars, mode=bars_mode)
        upsert(con, "stream.minute_bars", revised_bars, mode=REPLACE)
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
