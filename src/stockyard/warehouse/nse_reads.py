"""Read-only queries over the NSE marts (all amounts INR), for /api/nse and the /nse page.

Each function returns typed records, or an empty answer with ``available`` False while the NSE
marts are not published yet (a warehouse built before NSE was added). The day is always a bound
parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from stockyard.warehouse.queries import fetch_records, has_relation

NSE_MARTS = (
    "marts.fct_nse_daily",
    "marts.nse_breadth",
    "marts.nse_top_movers",
    "marts.nse_delivery_leaders",
    "marts.nse_turnover_by_series",
)
MAX_DAILY_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Breadth:
    trade_date: date
    advances: int
    declines: int
    unchanged: int
    securities: int
    advance_decline_ratio: float | None
    turnover_inr: float


@dataclass(frozen=True, slots=True)
class Mover:
    direction: str
    rank: int
    symbol: str
    series: str
    close_inr: float
    prev_close_inr: float | None
    change_pct: float
    turnover_inr: float
    total_traded_qty: int


@dataclass(frozen=True, slots=True)
class DeliveryLeader:
    rank: int
    symbol: str
    series: str
    delivery_pct: float
    delivery_qty: int | None
    total_traded_qty: int
    close_inr: float
    change_pct: float | None
    turnover_inr: float


@dataclass(frozen=True, slots=True)
class SeriesTurnover:
    series: str
    securities: int
    total_traded_qty: int
    number_of_trades: int | None
    turnover_inr: float
    share_of_day_pct: float | None


@dataclass(frozen=True, slots=True)
class NseDailyRow:
    symbol: str
    series: str
    trade_date: date
    isin: str | None
    open_inr: float
    high_inr: float
    low_inr: float
    close_inr: float
    last_inr: float | None
    prev_close_inr: float | None
    avg_price_inr: float | None
    change_pct: float | None
    total_traded_qty: int
    turnover_inr: float
    number_of_trades: int | None
    delivery_qty: int | None
    delivery_pct: float | None
    likely_corporate_action: bool
    file_format: str
    formats_agree: bool | None


@dataclass(frozen=True, slots=True)
class NseDay:
    """One trading day's dashboard: breadth, movers, delivery leaders, turnover by series."""

    available: bool  # False: the NSE marts are not published yet
    trade_date: date | None
    days: list[date]  # every published trading day, newest first
    breadth: Breadth | None = None
    gainers: list[Mover] = field(default_factory=list)
    losers: list[Mover] = field(default_factory=list)
    delivery_leaders: list[DeliveryLeader] = field(default_factory=list)
    turnover_by_series: list[SeriesTurnover] = field(default_factory=list)
    breadth_history: list[Breadth] = field(default_factory=list)
    format_mismatches: int = 0


def nse_available(con: duckdb.DuckDBPyConnection) -> bool:
    return all(has_relation(con, name) for name in NSE_MARTS)


def nse_days(con: duckdb.DuckDBPyConnection) -> list[date]:
    rows = con.execute("SELECT trade_date FROM marts.nse_breadth ORDER BY trade_date DESC")
    return [row[0] for row in rows.fetchall()]


def _resolve_day(days: list[date], wanted: date | None) -> date | None:
    """The asked-for day, else the latest published day on or before it (a holiday → the day
    before); no day asked → the latest."""
    if wanted is None:
        return days[0] if days else None
    return next((day for day in days if day <= wanted), None)


def nse_day(con: duckdb.DuckDBPyConnection, wanted: date | None = None) -> NseDay:
    if not nse_available(con):
        return NseDay(available=False, trade_date=None, days=[])
    days = nse_days(con)
    day = _resolve_day(days, wanted)
    history = [
        Breadth(**r)
        for r in fetch_records(
            con.execute(
                "SELECT trade_date, advances, declines, unchanged, securities, "
                "advance_decline_ratio, turnover_inr FROM marts.nse_breadth ORDER BY trade_date"
            )
        )
    ]
    if day is None:
        return NseDay(available=True, trade_date=None, days=days, breadth_history=history)
    movers = [
        Mover(**r)
        for r in fetch_records(
            con.execute(
                "SELECT direction, rank, symbol, series, close_inr, prev_close_inr, change_pct, "
                "turnover_inr, total_traded_qty FROM marts.nse_top_movers "
                "WHERE trade_date = ? ORDER BY direction, rank",
                [day],
            )
        )
    ]
    leaders = [
        DeliveryLeader(**r)
        for r in fetch_records(
            con.execute(
                "SELECT rank, symbol, series, delivery_pct, delivery_qty, total_traded_qty, "
                "close_inr, change_pct, turnover_inr FROM marts.nse_delivery_leaders "
                "WHERE trade_date = ? ORDER BY rank",
                [day],
            )
        )
    ]
    series = [
        SeriesTurnover(**r)
        for r in fetch_records(
            con.execute(
                "SELECT series, securities, total_traded_qty, number_of_trades, turnover_inr, "
                "share_of_day_pct FROM marts.nse_turnover_by_series "
                "WHERE trade_date = ? ORDER BY turnover_inr DESC, series",
                [day],
            )
        )
    ]
    mismatches = 0
    if has_relation(con, "marts.nse_format_mismatches"):
        row = con.execute(
            "SELECT count(*) FROM marts.nse_format_mismatches WHERE trade_date = ?", [day]
        ).fetchone()
        mismatches = int(row[0]) if row else 0
    return NseDay(
        available=True,
        trade_date=day,
        days=days,
        breadth=next((b for b in history if b.trade_date == day), None),
        gainers=[m for m in movers if m.direction == "gainer"],
        losers=[m for m in movers if m.direction == "loser"],
        delivery_leaders=leaders,
        turnover_by_series=series,
        breadth_history=history,
        format_mismatches=mismatches,
    )


def nse_daily_rows(
    con: duckdb.DuckDBPyConnection, day: date, series: str | None = None
) -> list[NseDailyRow]:
    """Every security of ``day`` (optionally one series), by turnover: the CSV download."""
    if not has_relation(con, "marts.fct_nse_daily"):
        return []
    columns = ", ".join(NseDailyRow.__dataclass_fields__)
    sql = f"SELECT {columns} FROM marts.fct_nse_daily WHERE trade_date = ?"
    params: list[object] = [day]
    if series:
        sql += " AND series = ?"
        params.append(series.upper())
    sql += " ORDER BY turnover_inr DESC, symbol, series LIMIT ?"
    params.append(MAX_DAILY_ROWS)
    return [NseDailyRow(**r) for r in fetch_records(con.execute(sql, params))]
