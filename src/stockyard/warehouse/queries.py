"""Read-only queries over the published marts, shared by the API and the web pages.

Every function takes an open connection and returns typed records. User input only ever reaches
DuckDB as a bound parameter; sort columns and filter clauses come from fixed whitelists below.
Open connections with :func:`open_readonly` so a reader never holds the write lock the pipeline
needs between requests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb

from stockyard.warehouse.db import connect

T = TypeVar("T")

NOT_BUILT_HINT = "run `stockyard demo --no-serve` or `stockyard run`"
REQUIRED_TABLES = ("fct_trades", "dim_members")

# Filter vocabularies, also used by the API to validate input before it gets here.
CHAMBERS = ("house", "senate")
PARTIES = {"D": "Democrat", "R": "Republican", "I": "Independent", "L": "Libertarian"}
TX_TYPES = ("P", "S", "S (partial)", "E")
# "self" stands for the filer's own holdings, which the marts store as owner NULL.
OWNERS = ("self", "SP", "JT", "DC")

BIOGUIDE_ID = re.compile(r"^[A-Z]\d{6}$")

# Public sort key -> SQL expression. Only these strings are ever interpolated into ORDER BY.
TRADE_SORTS: dict[str, str] = {
    "tx_date": "tx_date",
    "filed_date": "filed_date",
    "notified_date": "notified_date",
    "amount": "amount_min",
    "member": "member_name",
    "ticker": "ticker",
    "lag_days": "lag_days",
    "state": "state",
    "party": "party",
    "tx_type": "tx_type",
}
MEMBER_SORTS: dict[str, str] = {
    "trade_count": "trade_count",
    "last_trade_date": "last_trade_date",
    "name": "last_name",
    "state": "state",
    "party": "party",
    "chamber": "chamber",
}
DEFAULT_TRADE_SORT = "-tx_date"
DEFAULT_MEMBER_SORT = "-trade_count"


class WarehouseNotReady(RuntimeError):
    """The warehouse file or its published marts do not exist yet."""


class WarehouseBusy(WarehouseNotReady):
    """Another process holds the warehouse's write lock (a pipeline run is publishing)."""


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, or raise :class:`WarehouseNotReady` saying what to run."""
    try:
        con = connect(path, read_only=True)
    except FileNotFoundError as exc:
        raise WarehouseNotReady(
            f"warehouse not built yet: {NOT_BUILT_HINT} (no file at {path})"
        ) from exc
    except duckdb.IOException as exc:
        # A writer in another process holds an exclusive file lock while it publishes.
        raise WarehouseBusy(
            f"warehouse is being written by another process; retry in a moment ({exc})"
        ) from exc
    missing = _missing_tables(con)
    if missing:
        con.close()
        names = ", ".join(f"marts.{name}" for name in missing)
        raise WarehouseNotReady(f"warehouse not built yet: {NOT_BUILT_HINT} (missing {names})")
    return con


def _missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
    ).fetchall()
    present = {row[0] for row in rows}
    return [name for name in REQUIRED_TABLES if name not in present]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True, slots=True)
class TradeFilters:
    """Already-validated filters; ``None`` means "do not filter on this"."""

    member: str | None = None  # a bioguide id, or a case-insensitive name substring
    state: str | None = None  # two-letter postal code
    party: str | None = None  # a key of PARTIES
    chamber: str | None = None
    ticker: str | None = None
    tx_type: str | None = None
    owner: str | None = None  # one of OWNERS
    date_from: date | None = None
    date_to: date | None = None
    include_superseded: bool = False


@dataclass(frozen=True, slots=True)
class TradeRow:
    trade_id: str
    bioguide_id: str | None
    member_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    filing_id: str | None
    owner: str | None
    ticker: str | None
    asset_name: str | None
    asset_type: str | None
    tx_type: str | None
    tx_date: date | None
    notified_date: date | None
    filed_date: date | None
    amount_min: int | None
    amount_max: int | None
    lag_days: int | None
    is_late: bool | None
    amended_by: str | None
    is_current: bool | None
    source: str | None
    source_url: str | None
    page: int | None


@dataclass(frozen=True, slots=True)
class MemberSummary:
    bioguide_id: str
    full_name: str | None
    last_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    is_current: bool | None
    trade_count: int
    last_trade_date: date | None


@dataclass(frozen=True, slots=True)
class TickerCount:
    ticker: str
    trade_count: int


@dataclass(frozen=True, slots=True)
class TradeSummary:
    trade_count: int
    purchase_count: int
    sale_count: int
    exchange_count: int
    late_count: int
    first_tx_date: date | None
    last_tx_date: date | None
    top_tickers: list[TickerCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MemberProfile:
    bioguide_id: str
    full_name: str | None
    first_name: str | None
    last_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    committees: list[str]
    subcommittees: list[str]
    is_current: bool | None
    first_served: date | None
    last_served: date | None
    trades: TradeSummary


# District is cast because sources disagree on its type (Clerk "11" vs legislators 11).
_TRADE_COLUMNS = """
    trade_id, bioguide_id, member_name, party, state, CAST(district AS VARCHAR) AS district,
    chamber, filing_id, owner, ticker, asset_name, asset_type, tx_type, tx_date, notified_date,
    filed_date, amount_min, amount_max, lag_days, is_late, amended_by, is_current, source,
    source_url, page
"""


def order_by(sort: str, whitelist: dict[str, str], tiebreak: str) -> str:
    """Turn ``-tx_date`` into a fixed ORDER BY clause; raise ValueError for anything else."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in whitelist:
        choices = ", ".join(sorted(whitelist))
        raise ValueError(f"unknown sort column {key!r}; choose one of: {choices}")
    direction = "DESC" if descending else "ASC"
    return f"ORDER BY {whitelist[key]} {direction} NULLS LAST, {tiebreak}"


def _trade_where(filters: TradeFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if not filters.include_superseded:
        clauses.append("is_current")
    if filters.member:
        if BIOGUIDE_ID.match(filters.member.upper()):
            clauses.append("bioguide_id = ?")
            params.append(filters.member.upper())
        else:
            # contains() matches literally, so % and _ in a name need no escaping.
            clauses.append("contains(lower(member_name), lower(?))")
            params.append(filters.member)
    if filters.state:
        clauses.append("state = ?")
        params.append(filters.state.upper())
    if filters.party:
        # Marts may spell party "Democrat" or "D"; the first letter is unambiguous for both.
        clauses.append("upper(left(party, 1)) = ?")
        params.append(filters.party.upper())
    if filters.chamber:
        clauses.append("chamber = ?")
        params.append(filters.chamber)
    if filters.ticker:
        clauses.append("upper(ticker) = ?")
        params.append(filters.ticker.upper())
    if filters.tx_type:
        clauses.append("tx_type = ?")
        params.append(filters.tx_type)
    if filters.owner == "self":
        clauses.append("owner IS NULL")
    elif filters.owner:
        clauses.append("owner = ?")
        params.append(filters.owner)
    if filters.date_from:
        clauses.append("tx_date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("tx_date <= ?")
        params.append(filters.date_to)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, params


def _records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _offset(page: int, page_size: int) -> int:
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size must be at least 1")
    return (page - 1) * page_size


def list_trades(
    con: duckdb.DuckDBPyConnection,
    filters: TradeFilters,
    sort: str = DEFAULT_TRADE_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[TradeRow]:
    """One page of trades matching ``filters``, plus the total across all pages."""
    where, params = _trade_where(filters)
    order = order_by(sort, TRADE_SORTS, tiebreak="trade_id")
    offset = _offset(page, page_size)
    total_row = con.execute(f"SELECT count(*) FROM marts.fct_trades {where}", params).fetchone()
    total = int(total_row[0]) if total_row else 0
    cursor = con.execute(
        f"SELECT {_TRADE_COLUMNS} FROM marts.fct_trades {where} {order} LIMIT ? OFFSET ?",
        [*params, page_size, offset],
    )
    items = [TradeRow(**record) for record in _records(cursor)]
    return Page(items=items, page=page, page_size=page_size, total=total)


_MEMBER_SELECT = """
    WITH counts AS (
        SELECT bioguide_id, count(*) AS trade_count, max(tx_date) AS last_trade_date
        FROM marts.fct_trades
        WHERE is_current AND bioguide_id IS NOT NULL
        GROUP BY bioguide_id
    )
    SELECT m.bioguide_id, m.full_name, m.last_name, m.party, m.state,
           CAST(m.district AS VARCHAR) AS district, m.chamber, m.is_current,
           coalesce(c.trade_count, 0) AS trade_count, c.last_trade_date
    FROM marts.dim_members AS m
    LEFT JOIN counts AS c USING (bioguide_id)
"""


def list_members(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str | None = None,
    state: str | None = None,
    party: str | None = None,
    chamber: str | None = None,
    include_without_trades: bool = False,
    sort: str = DEFAULT_MEMBER_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[MemberSummary]:
    """Members with their count of current trades; by default only those who have traded."""
    clauses: list[str] = []
    params: list[Any] = []
    if not include_without_trades:
        clauses.append("trade_count > 0")
    if name:
        clauses.append("contains(lower(full_name), lower(?))")
        params.append(name)
    if state:
        clauses.append("state = ?")
        params.append(state.upper())
    if party:
        clauses.append("upper(left(party, 1)) = ?")
        params.append(party.upper())
    if chamber:
        clauses.append("chamber = ?")
        params.append(chamber)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = order_by(sort, MEMBER_SORTS, tiebreak="bioguide_id")
    offset = _offset(page, page_size)
    base = f"SELECT * FROM ({_MEMBER_SELECT}) {where}"
    total_row = con.execute(f"SELECT count(*) FROM ({base})", params).fetchone()
    total = int(total_row[0]) if total_row else 0
    cursor = con.execute(f"{base} {order} LIMIT ? OFFSET ?", [*params, page_size, offset])
    items = [MemberSummary(**record) for record in _records(cursor)]
    return Page(items=items, page=page, page_size=page_size, total=total)


def get_member(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> MemberProfile | None:
    """A member's profile and a summary of their current trades, or None when unknown."""
    cursor = con.execute(
        """
        SELECT bioguide_id, full_name, first_name, last_name, party, state,
               CAST(district AS VARCHAR) AS district, chamber, committees, subcommittees,
               is_current, first_served, last_served
        FROM marts.dim_members WHERE bioguide_id = ?
        """,
        [bioguide_id.upper()],
    )
    records = _records(cursor)
    if not records:
        return None
    record = records[0]
    record["committees"] = list(record["committees"] or [])
    record["subcommittees"] = list(record["subcommittees"] or [])
    return MemberProfile(**record, trades=_trade_summary(con, record["bioguide_id"]))


def _trade_summary(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> TradeSummary:
    row = con.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE tx_type = 'P'),
               count(*) FILTER (WHERE tx_type LIKE 'S%'),
               count(*) FILTER (WHERE tx_type = 'E'),
               count(*) FILTER (WHERE is_late),
               min(tx_date), max(tx_date)
        FROM marts.fct_trades WHERE is_current AND bioguide_id = ?
        """,
        [bioguide_id],
    ).fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns one row
    tickers = con.execute(
        """
        SELECT ticker, count(*) AS n FROM marts.fct_trades
        WHERE is_current AND bioguide_id = ? AND ticker IS NOT NULL
        GROUP BY ticker ORDER BY n DESC, ticker LIMIT 5
        """,
        [bioguide_id],
    ).fetchall()
    return TradeSummary(
        trade_count=row[0],
        purchase_count=row[1],
        sale_count=row[2],
        exchange_count=row[3],
        late_count=row[4],
        first_tx_date=row[5],
        last_tx_date=row[6],
        top_tickers=[TickerCount(ticker=t, trade_count=n) for t, n in tickers],
    )


def parse_party(value: str) -> str:
    """Accept ``D`` or ``democrat`` (any case) and return the one-letter key of PARTIES."""
    cleaned = value.strip()
    for key, name in PARTIES.items():
        if cleaned.upper() == key or cleaned.lower() == name.lower():
            return key
    choices = ", ".join(f"{key} ({name})" for key, name in PARTIES.items())
    raise ValueError(f"unknown party {value!r}; choose one of: {choices}")


def choices_text(values: Sequence[str]) -> str:
    return ", ".join(repr(value) for value in values)
