"""Load NSE bhavcopy rows into ``raw.nse_bhavcopy``: one idempotent transaction per file.

A file is a (format, day) partition: re-loading it replaces exactly what the last load of that
file wrote (its rows and its quarantined lines), and a failure leaves the previous rows in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb

from stockyard.models import QuarantineRecord
from stockyard.warehouse.bulk import Lineage
from stockyard.warehouse.raw import LoadResult, replace_partition


class BhavRowLike(Protocol):
    """``stockyard.sources.nse.BhavRow`` (the warehouse does not import sources)."""

    @property
    def symbol(self) -> str: ...
    @property
    def series(self) -> str: ...
    @property
    def trade_date(self) -> Any: ...
    @property
    def prev_close(self) -> float: ...
    @property
    def open(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def close(self) -> float: ...
    @property
    def last(self) -> float | None: ...
    @property
    def avg_price(self) -> float | None: ...
    @property
    def total_traded_qty(self) -> int: ...
    @property
    def turnover_inr(self) -> float: ...
    @property
    def number_of_trades(self) -> int | None: ...
    @property
    def delivery_qty(self) -> int | None: ...
    @property
    def delivery_pct(self) -> float | None: ...
    @property
    def isin(self) -> str | None: ...
    @property
    def file_format(self) -> str: ...
    @property
    def line(self) -> int: ...


def load_bhavcopy(
    con: duckdb.DuckDBPyConnection,
    *,
    file_format: str,
    partition: str,
    rows: Sequence[BhavRowLike],
    rejects: Sequence[QuarantineRecord],
    landing_path: str | None,
    parser_version: str,
    source: str = "nse",
) -> LoadResult:
    """Replace one bhavcopy file's rows (dataset = its format, partition = its day)."""
    lineage = Lineage(source, file_format, partition, datetime.now(UTC))
    values = [
        (
            r.symbol,
            r.series,
            r.trade_date,
            r.prev_close,
            r.open,
            r.high,
            r.low,
            r.close,
            r.last,
            r.avg_price,
            r.total_traded_qty,
            r.turnover_inr,
            r.number_of_trades,
            r.delivery_qty,
            r.delivery_pct,
            r.isin,
            r.file_format,
            r.line,
            parser_version,
        )
        for r in rows
    ]
    loaded, quarantined = replace_partition(
        con, "nse_bhavcopy", lineage, values, rejects, landing_path
    )
    return LoadResult(source, file_format, partition, loaded, quarantined)
