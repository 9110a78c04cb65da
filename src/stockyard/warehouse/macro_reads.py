"""Read-only queries over the macro marts (marts.weekly_macro, marts.macro_correlations).

The macro marts are optional: a warehouse built before they existed, or without Treasury data,
simply has none. Readers then get ``available=False`` and an empty list, never an error, so the
page can say what to run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.queries import Page

WEEKLY_TABLE = "weekly_macro"
CORRELATIONS_TABLE = "macro_correlations"
# Shown with every correlation (the dbt var macro_min_observations' default).
DEFAULT_MIN_OBSERVATIONS = 10


@dataclass(frozen=True, slots=True)
class WeeklyMacroRow:
    week_end: date
    week_start: date
    treasury_days: int
    total_deposits_usd: float | None
    deposits_ex_debt_issues_usd: float | None
    tax_deposits_usd: float | None
    refunds_usd: float | None
    operating_cash_balance_usd: float | None
    debt_outstanding_usd: float | None
    debt_change_usd: float | None
    stock_volume_shares: float | None
    stock_bar_count: int | None
    trading_days: int | None
    congress_trade_count: int
    congress_est_flow_usd: float
    congress_est_volume_usd: float


@dataclass(frozen=True, slots=True)
class CorrelationRow:
    week_end: date
    window_weeks: int
    window_start: date
    series_x: str
    series_y: str
    n_observations: int
    correlation: float | None


_WEEKLY_COLUMNS = ", ".join(f.name for f in fields(WeeklyMacroRow))
_CORRELATION_COLUMNS = ", ".join(f.name for f in fields(CorrelationRow))


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'marts' AND table_name = ?",
        [table],
    ).fetchone()
    return bool(row and row[0])


def _range_clause(start: date | None, end: date | None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if start is not None:
        clauses.append("week_end >= ?")
        params.append(start)
    if end is not None:
        clauses.append("week_end <= ?")
        params.append(end)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_weekly_macro(
    con: duckdb.DuckDBPyConnection,
    *,
    start: date | None = None,
    end: date | None = None,
    page: int = 1,
    page_size: int = 100,
) -> Page[WeeklyMacroRow]:
    """Weeks whose Friday falls in [start, end], oldest first (a chart reads left to right)."""
    if not has_table(con, WEEKLY_TABLE):
        return Page([], page, page_size, 0)
    where, params = _range_clause(start, end)
    total_row = con.execute(f"SELECT count(*) FROM marts.{WEEKLY_TABLE}{where}", params).fetchone()
    rows = con.execute(
        f"SELECT {_WEEKLY_COLUMNS} FROM marts.{WEEKLY_TABLE}{where} "
        "ORDER BY week_end LIMIT ? OFFSET ?",
        [*params, page_size, (page - 1) * page_size],
    ).fetchall()
    return Page(
        [WeeklyMacroRow(*row) for row in rows],
        page,
        page_size,
        int(total_row[0]) if total_row else 0,
    )


@dataclass(frozen=True, slots=True)
class Correlations:
    week_end: date | None  # the week the windows end on; None when there is nothing
    items: list[CorrelationRow]


def correlations_at(
    con: duckdb.DuckDBPyConnection,
    *,
    week_end: date | None = None,
    window_weeks: int | None = None,
) -> Correlations:
    """Every pair's rolling correlation ending on ``week_end`` (the latest week ≤ it, or the last)."""
    if not has_table(con, CORRELATIONS_TABLE):
        return Correlations(None, [])
    found = con.execute(
        f"SELECT max(week_end) FROM marts.{CORRELATIONS_TABLE} "
        "WHERE ?::DATE IS NULL OR week_end <= ?::DATE",
        [week_end, week_end],
    ).fetchone()
    anchor = found[0] if found else None
    if anchor is None:
        return Correlations(None, [])
    rows = con.execute(
        f"SELECT {_CORRELATION_COLUMNS} FROM marts.{CORRELATIONS_TABLE} "
        "WHERE week_end = ? AND (?::INTEGER IS NULL OR window_weeks = ?::INTEGER) "
        "ORDER BY window_weeks, series_x, series_y",
        [anchor, window_weeks, window_weeks],
    ).fetchall()
    return Correlations(anchor, [CorrelationRow(*row) for row in rows])
