"""Which ticker each disclosed trade line is: run the ticker resolver over raw.transactions
(with reviewers' fixes of names and tickers applied).

Writes ``raw.trade_tickers`` (one row per transactions row, keyed like it by source, doc_id and
row) as a whole in one transaction, so a re-run gives the same rows. Lines that are not equities
keep their asset class and no ticker; unresolved lines are kept with the reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import duckdb

from stockyard.resolve.tickers import AssetLine, TickerResolution, TickerResolver
from stockyard.warehouse.bulk import Lineage, delete_partition, insert_rows
from stockyard.warehouse.db import transaction

_LINEAGE_KEY: Final = ("stockyard", "trade_tickers", "all")


@dataclass(frozen=True, slots=True)
class TickerResolutionSummary:
    total: int
    resolved: int
    by_method: dict[str, int] = field(default_factory=dict)
    by_asset_class: dict[str, int] = field(default_factory=dict)

    @property
    def unresolved(self) -> int:
        return self.total - self.resolved


def build_resolver(con: duckdb.DuckDBPyConnection) -> TickerResolver:
    """A resolver over every name the reference has carried, the priced tickers, and the
    (asset name, ticker) pairs the filings themselves print."""
    reference: dict[str, list[str | None]] = {}
    for ticker, name in con.execute(
        "SELECT ticker, name FROM raw.ticker_reference ORDER BY ticker, valid_from"
    ).fetchall():
        reference.setdefault(ticker, []).append(name)
    priced = [r[0] for r in con.execute("SELECT DISTINCT ticker FROM raw.daily_bars").fetchall()]
    pairs = con.execute(
        """SELECT asset_name, ticker FROM raw.transactions
           WHERE asset_name IS NOT NULL AND ticker IS NOT NULL"""
    ).fetchall()
    return TickerResolver(reference, priced, pairs)


def resolve_trade_tickers(con: duckdb.DuckDBPyConnection) -> TickerResolutionSummary:
    """Resolve every raw.transactions row; rewrite raw.trade_tickers in one transaction."""
    resolver = build_resolver(con)
    # A reviewer's fix of the name or ticker is what the line says now: resolve that, so the
    # ticker follows a corrected name and never overrides a corrected ticker.
    lines = con.execute(
        """WITH fixes AS (
               SELECT source, doc_id, row_position, field, new_value FROM raw.review_corrections
               WHERE field IN ('asset_name', 'ticker')
               QUALIFY row_number() OVER (PARTITION BY source, doc_id, row_position, field
                                          ORDER BY reviewed_at DESC, correction_id DESC) = 1
           )
           SELECT t.source, t.doc_id, t."row",
                  CASE WHEN n.field IS NULL THEN t.asset_name ELSE n.new_value END,
                  CASE WHEN k.field IS NULL THEN t.ticker ELSE k.new_value END,
                  t.asset_type, t.asset_type_text
           FROM raw.transactions AS t
           LEFT JOIN fixes AS n ON n.field = 'asset_name' AND n.source = t.source
                AND n.doc_id = t.doc_id AND n.row_position = t."row"
           LEFT JOIN fixes AS k ON k.field = 'ticker' AND k.source = t.source
                AND k.doc_id = t.doc_id AND k.row_position = t."row"
           ORDER BY t.source, t.doc_id, t."row" """
    ).fetchall()
    cache: dict[AssetLine, TickerResolution] = {}
    rows: list[tuple[Any, ...]] = []
    for source, doc_id, row, asset_name, ticker, asset_type, asset_type_text in lines:
        line = AssetLine(asset_name, ticker, asset_type, asset_type_text)
        if line not in cache:
            cache[line] = resolver.resolve(line)
        found = cache[line]
        rows.append(
            (
                source,
                doc_id,
                row,
                asset_name,
                ticker,
                found.ticker,
                found.confidence,
                found.method,
                str(found.asset_class),
                found.reason,
            )
        )
    lineage = Lineage(*_LINEAGE_KEY, loaded_at=datetime.now(UTC))
    with transaction(con):
        delete_partition(con, "trade_tickers", lineage)
        insert_rows(con, "trade_tickers", rows, lineage=lineage, landing_paths=None)
    return TickerResolutionSummary(
        total=len(rows),
        resolved=sum(1 for r in rows if r[5] is not None),
        by_method=dict(Counter(r[7] for r in rows)),
        by_asset_class=dict(Counter(r[8] for r in rows)),
    )
