"""Follow-the-filings portfolios for the API and pages: a precomputed one read from the marts,
any other trades filter simulated on request with the same SQL (`portfolio_sql`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.ops_reads import existing_tables
from stockyard.warehouse.portfolio_sql import daily_sql, stats_sql
from stockyard.warehouse.queries import (
    BIOGUIDE_ID,
    PARTIES,
    Page,
    TradeFilters,
    order_by,
    page_offset,
    trade_id_select,
)

SCHEMA = "marts"
DAILY = f"{SCHEMA}.fct_portfolio_daily"
STATS = f"{SCHEMA}.fct_portfolio_stats"
MEMBERSHIPS = f"{SCHEMA}.fct_portfolio_memberships"
NEEDED = (
    f"{SCHEMA}.fct_portfolio_legs",
    f"{SCHEMA}.fct_portfolio_closes",
    f"{SCHEMA}.fct_market_days",
    DAILY,
    STATS,
    MEMBERSHIPS,
)
# Index series say what $100 put in on the portfolio's first day would be worth.
START_VALUE = 100.0
KINDS = ("all", "member", "party", "chamber", "committee")


class PortfoliosNotBuiltError(RuntimeError):
    """The served warehouse has no portfolio marts (built by a Stockyard before them)."""


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One trading day. Dollar values at the band's floor, midpoint and ceiling; ``benchmark`` is
    the public midpoint's new money put in the benchmark on the same days, ``invested`` that new
    money so far. The ``*_index`` columns are time-weighted: what $100 would be worth, new money
    left out, so they compare across portfolios of any size."""

    date: date
    public_low: float | None
    public_mid: float | None
    public_high: float | None
    insider_low: float | None
    insider_mid: float | None
    insider_high: float | None
    benchmark: float | None
    invested: float | None
    public_index: float | None
    insider_index: float | None
    benchmark_index: float | None


@dataclass(frozen=True, slots=True)
class PortfolioStats:
    strategy: str
    level: str
    trades: int
    priced_trades: int
    unpriced_trades: int
    purchases: int
    unpriced_by_reason: dict[str, int]
    unheld_sales: int
    first_day: date | None
    last_day: date | None
    return_days: int
    total_return: float | None
    annualised_return: float | None
    volatility: float | None
    max_drawdown: float | None
    sharpe: float | None
    risk_free_rate: float
    beta: float | None
    benchmark_return: float | None
    excess_return: float | None
    hit_rate: float | None
    judged_purchases: int
    final_value: float | None
    invested: float | None
    return_on_invested: float | None  # money-weighted: final value over the new money put in
    public_minus_insider: float | None


_STATS_FIELDS = [f.name for f in fields(PortfolioStats)]


@dataclass(frozen=True, slots=True)
class Portfolio:
    portfolio_id: str
    kind: str  # member, party, chamber, committee, or custom
    key: str | None
    label: str
    precomputed: bool
    benchmark: str | None
    series: list[SeriesPoint]
    stats: list[PortfolioStats]

    def stat(self, strategy: str, level: str) -> PortfolioStats | None:
        return next((s for s in self.stats if s.strategy == strategy and s.level == level), None)


@dataclass(frozen=True, slots=True)
class PortfolioRank:
    portfolio_id: str
    kind: str
    key: str
    label: str
    public_low: float | None
    public_mid: float | None
    public_high: float | None
    insider_mid: float | None
    benchmark_return: float | None
    excess_mid: float | None
    public_minus_insider_mid: float | None
    max_drawdown_mid: float | None
    sharpe_mid: float | None
    priced_trades: int
    unpriced_trades: int
    unheld_sales: int
    first_day: date | None


PORTFOLIO_SORTS = {
    name: name
    for name in (
        "label",
        "kind",
        "public_low",
        "public_mid",
        "public_high",
        "insider_mid",
        "benchmark_return",
        "excess_mid",
        "public_minus_insider_mid",
        "max_drawdown_mid",
        "sharpe_mid",
        "priced_trades",
        "unpriced_trades",
    )
}
DEFAULT_PORTFOLIO_SORT = "-public_mid"


def require_portfolios(con: duckdb.DuckDBPyConnection) -> None:
    missing = [t for t in NEEDED if t not in existing_tables(con)]
    if missing:
        raise PortfoliosNotBuiltError(
            f"this warehouse has no portfolio marts ({', '.join(missing)}): "
            "run `stockyard run` (or `stockyard demo`) to build them"
        )


def precomputed_id(filters: TradeFilters) -> str | None:
    """The precomputed portfolio these filters name, if they name exactly one and nothing else."""
    given = {
        "member": filters.member,
        "party": filters.party,
        "chamber": filters.chamber,
        "committee": filters.committee,
    }
    named = {k: v for k, v in given.items() if v}
    narrowing = (
        filters.state,
        filters.ticker,
        filters.tx_type,
        filters.owner,
        filters.date_from,
        filters.date_to,
        filters.filing_id,
        filters.oversight,
        filters.include_superseded,
    )
    if any(narrowing) or len(named) > 1:
        return None
    if not named:
        return "all"
    [(kind, value)] = named.items()
    if kind == "member" and not BIOGUIDE_ID.match(value.upper()):
        return None  # a name is a substring search: computed on request
    return f"{kind}:{value.upper() if kind != 'chamber' else value}"


def portfolio_for(con: duckdb.DuckDBPyConnection, filters: TradeFilters) -> Portfolio:
    """The portfolio copying the trades ``filters`` select: precomputed when there is one,
    else simulated now over those trades."""
    require_portfolios(con)
    wanted = precomputed_id(filters)
    if wanted:
        found = _precomputed(con, wanted)
        if found is not None:
            return found
    return _custom(con, filters, wanted)


def _benchmark(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(f"SELECT any_value(benchmark) FROM {SCHEMA}.fct_market_days").fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _precomputed(con: duckdb.DuckDBPyConnection, portfolio_id: str) -> Portfolio | None:
    row = con.execute(
        f"SELECT portfolio_kind, portfolio_key, label FROM {MEMBERSHIPS} "
        "WHERE portfolio_id = ? LIMIT 1",
        [portfolio_id],
    ).fetchone()
    if row is None:
        return None
    kind, key, label = row
    return Portfolio(
        portfolio_id=portfolio_id,
        kind=str(kind),
        key=str(key),
        label=str(label or key),
        precomputed=True,
        benchmark=_benchmark(con),
        series=_series(con, DAILY, portfolio_id),
        stats=_stats(con, f"SELECT * FROM {STATS} WHERE portfolio_id = ?", [portfolio_id]),
    )


def _custom(con: duckdb.DuckDBPyConnection, filters: TradeFilters, wanted: str | None) -> Portfolio:
    ids_sql, params = trade_id_select(con, filters)
    memberships = f"SELECT 'custom' AS portfolio_id, trade_id FROM ({ids_sql})"
    # The day series is stored once in this request's cursor, for the series and the stats.
    daily = f"portfolio_daily_{uuid.uuid4().hex}"
    con.execute(f"CREATE TEMP TABLE {daily} AS {daily_sql(SCHEMA, memberships)}", params)
    try:
        series = _series(con, daily, "custom")
        stats = _stats(con, stats_sql(SCHEMA, memberships, daily), params)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {daily}")
    # "all" has no key; "member:W000779" has one
    kind, _, key = (wanted or "custom").partition(":")
    return Portfolio(
        portfolio_id=wanted or "custom",
        kind=kind,
        key=key or None,
        label=describe(filters),
        precomputed=False,
        benchmark=_benchmark(con),
        series=series,
        stats=stats,
    )


def describe(filters: TradeFilters) -> str:
    """A custom portfolio's name: what its filter keeps."""
    parts = []
    if filters.member:
        parts.append(f"member {filters.member}")
    if filters.party:
        parts.append(PARTIES.get(filters.party, filters.party) + "s")
    if filters.chamber:
        parts.append(filters.chamber.capitalize())
    if filters.state:
        parts.append(f"state {filters.state}")
    if filters.committee:
        parts.append(f"committee {filters.committee.upper()}")
    if filters.ticker:
        parts.append(f"ticker {filters.ticker.upper()}")
    if filters.tx_type:
        parts.append(f"type {filters.tx_type}")
    if filters.owner:
        parts.append(f"owner {filters.owner}")
    if filters.oversight:
        parts.append("trades in industries their committees oversee")
    if filters.date_from or filters.date_to:
        parts.append(f"traded {filters.date_from or '…'} to {filters.date_to or '…'}")
    return ", ".join(parts) if parts else "Every disclosed trade"


def _pick(column: str, strategy: str, level: str, table: str = "") -> str:
    """One strategy and level's ``column`` out of a group of a portfolio's rows."""
    prefix = f"{table}." if table else ""
    return (
        f"max({column}) FILTER "
        f"(WHERE {prefix}strategy = '{strategy}' AND {prefix}level = '{level}')"
    )


def _series(con: duckdb.DuckDBPyConnection, daily: str, portfolio_id: str) -> list[SeriesPoint]:
    values = ", ".join(
        f"{_pick('value', s, lv)} AS {s}_{lv}"
        for s in ("public", "insider")
        for lv in ("low", "mid", "high")
    )
    rows = con.execute(
        f"""SELECT trading_day, {values},
                   {_pick("benchmark_value", "public", "mid")} AS benchmark,
                   {_pick("invested", "public", "mid")} AS invested,
                   {START_VALUE} * {_pick("index_value", "public", "mid")} AS public_index,
                   {START_VALUE} * {_pick("index_value", "insider", "mid")} AS insider_index,
                   {START_VALUE} * {_pick("benchmark_index", "public", "mid")} AS benchmark_index
            FROM {daily} WHERE portfolio_id = ?
            GROUP BY trading_day ORDER BY trading_day""",
        [portfolio_id],
    ).fetchall()
    return [SeriesPoint(*row) for row in rows]


def _stats(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[PortfolioStats]:
    cursor = con.execute(f"SELECT {', '.join(_STATS_FIELDS)} FROM ({sql})", params)
    stats = []
    for row in cursor.fetchall():
        record = dict(zip(_STATS_FIELDS, row, strict=True))
        record["unpriced_by_reason"] = dict(record["unpriced_by_reason"] or {})
        stats.append(PortfolioStats(**record))
    return stats


def list_portfolios(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str | None = None,
    sort: str = DEFAULT_PORTFOLIO_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[PortfolioRank]:
    """The precomputed portfolios ranked: total return as the public copied them (the band's
    floor, midpoint and ceiling), as the member did (midpoint), the benchmark's, the lag's cost."""
    require_portfolios(con)
    order = order_by(sort, PORTFOLIO_SORTS, tiebreak="portfolio_id")
    where = "WHERE m.portfolio_kind = ?" if kind else ""
    params: list[Any] = [kind] if kind else []

    def pick(column: str, strategy: str, level: str) -> str:
        return _pick(column, strategy, level, table="s")

    ranked = f"""
        SELECT s.portfolio_id, m.portfolio_kind AS kind, m.portfolio_key AS key, m.label,
               {pick("total_return", "public", "low")} AS public_low,
               {pick("total_return", "public", "mid")} AS public_mid,
               {pick("total_return", "public", "high")} AS public_high,
               {pick("total_return", "insider", "mid")} AS insider_mid,
               {pick("benchmark_return", "public", "mid")} AS benchmark_return,
               {pick("excess_return", "public", "mid")} AS excess_mid,
               {pick("public_minus_insider", "public", "mid")} AS public_minus_insider_mid,
               {pick("max_drawdown", "public", "mid")} AS max_drawdown_mid,
               {pick("sharpe", "public", "mid")} AS sharpe_mid,
               {pick("priced_trades", "public", "mid")} AS priced_trades,
               {pick("unpriced_trades", "public", "mid")} AS unpriced_trades,
               {pick("unheld_sales", "public", "mid")} AS unheld_sales,
               {pick("first_day", "public", "mid")} AS first_day
        FROM {STATS} AS s
        JOIN (SELECT DISTINCT portfolio_id, portfolio_kind, portfolio_key, label
              FROM {MEMBERSHIPS}) AS m ON m.portfolio_id = s.portfolio_id
        {where}
        GROUP BY ALL"""
    total_row = con.execute(f"SELECT count(*) FROM ({ranked})", params).fetchone()
    rows = con.execute(
        f"SELECT * FROM ({ranked}) {order} LIMIT ? OFFSET ?",
        [*params, page_size, page_offset(page, page_size)],
    ).fetchall()
    return Page(
        items=[PortfolioRank(*row) for row in rows],
        page=page,
        page_size=page_size,
        total=int(total_row[0]) if total_row else 0,
    )
