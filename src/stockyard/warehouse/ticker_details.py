"""Ticker details (industry codes) for the tickers members trade.

Polygon answers one ticker per call, and a free key allows five calls a minute, so each run asks
only about the most-traded tickers that have no answer yet (or an answer older than the refresh
age), and an answer is kept until it is asked again: a 404 is stored too (``found = false``), so a
fund or a delisted line without details is not asked about on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

import duckdb

from stockyard.sources.polygon.parse import TickerDetails
from stockyard.warehouse.bulk import Lineage, insert_rows
from stockyard.warehouse.db import transaction
from stockyard.warehouse.raw import log_load

SOURCE: Final = "polygon"
DATASET: Final = "ticker_details"


def tickers_wanting_details(
    con: duckdb.DuckDBPyConnection, *, limit: int, refresh_after_days: int, now: datetime
) -> list[str]:
    """Resolved equity tickers of trades with no details yet, or details older than the refresh
    age, most-traded first (the flags that matter most arrive first)."""
    if limit <= 0:
        return []
    stale_before = now - timedelta(days=refresh_after_days)
    rows = con.execute(
        """
        SELECT t.resolved_ticker
        FROM raw.trade_tickers AS t
        LEFT JOIN raw.ticker_details AS d ON d.ticker = t.resolved_ticker
        WHERE t.resolved_ticker IS NOT NULL AND t.asset_class = 'equity'
          AND (d.ticker IS NULL OR d.fetched_at < ?)
        GROUP BY t.resolved_ticker
        ORDER BY count(*) DESC, t.resolved_ticker
        LIMIT ?
        """,
        [stale_before, limit],
    ).fetchall()
    return [str(row[0]) for row in rows]


def store_ticker_details(
    con: duckdb.DuckDBPyConnection,
    found: Sequence[tuple[TickerDetails, str | None]],
    not_found: Sequence[str],
    *,
    fetched_at: datetime,
) -> int:
    """Replace what is held for each ticker answered (details with their landing path, or a
    404); tickers not answered this time keep what they had. Returns the rows written."""
    fetched_at = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    rows = [
        (d.ticker, True, d.name, d.type, d.cik, d.sic_code, d.sic_description, fetched_at)
        for d, _ in found
    ] + [(ticker, False, None, None, None, None, None, fetched_at) for ticker in not_found]
    if not rows:
        return 0
    paths = [path for _, path in found] + [None] * len(not_found)
    lineage = Lineage(SOURCE, DATASET, fetched_at.date().isoformat(), datetime.now(UTC))
    with transaction(con):
        con.execute(
            "DELETE FROM raw.ticker_details WHERE ticker IN (SELECT unnest(?::VARCHAR[]))",
            [[row[0] for row in rows]],
        )
        insert_rows(con, DATASET, rows, lineage=lineage, landing_paths=paths)
        log_load(con, lineage, rows=len(rows), quarantined=0, landing_paths=paths)
    return len(rows)
