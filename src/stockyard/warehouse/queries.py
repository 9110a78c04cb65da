"""Read-only queries over the published marts, shared by the API and the web pages.

Every function takes an open connection and returns typed records. User input only ever reaches
DuckDB as a bound parameter; sort columns and filter clauses come from fixed whitelists below.
Open connections with :func:`open_readonly` so a reader never holds the write lock the pipeline
needs between requests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
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

# A trade's dollar estimate: the middle of its disclosed band (the floor of an open-ended one).
EST_AMOUNT = "((amount_min + coalesce(amount_max, amount_min)) / 2)"

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
DEFAULT_TRADE_SORT = "-tx_date"


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
    # duckdb_tables() answers in ~2 ms; information_schema.tables takes ~15 on every open.
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
        "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'marts'"
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
    committee: str | None = None  # a committee id: trades of its (current) members
    filing_id: str | None = None
    oversight: bool = False  # only trades in industries the member's committees oversee


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
    resolved_ticker: str | None
    ticker_confidence: float | None
    ticker_method: str | None
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
    row_position: int | None
    text_source: str | None
    read_confidence: float | None
    needs_review: list[str] | None
    reviewed_fields: list[str] | None


# District is cast because sources disagree on its type (Clerk "11" vs legislators 11).
_TRADE_COLUMNS = """
    trade_id, bioguide_id, member_name, party, state, CAST(district AS VARCHAR) AS district,
    chamber, filing_id, owner, ticker, resolved_ticker, ticker_confidence, ticker_method,
    asset_name, asset_type, tx_type, tx_date, notified_date,
    filed_date, amount_min, amount_max, lag_days, is_late, amended_by, is_current, source,
    source_url, page, row_position, text_source, read_confidence, needs_review, reviewed_fields
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


def trade_ticker_expr(con: duckdb.DuckDBPyConnection) -> str:
    """What a trade's ticker is read from: the mart's precomputed ``ticker_key`` (the resolved
    ticker, else the filed one, upper-case), or the same computed per row in a warehouse built
    before that column existed.

    A fixed SQL string (never user input), so callers may interpolate it.
    """
    if has_relation(con, "marts.fct_trades", "ticker_key"):
        return "ticker_key"
    if has_relation(con, "marts.fct_trades", "resolved_ticker"):
        return "upper(coalesce(resolved_ticker, ticker))"
    return "upper(ticker)"


def trade_party_expr(con: duckdb.DuckDBPyConnection) -> str:
    """A trade's party as one letter: the precomputed ``party_key``, else computed per row
    (marts may spell party "Democrat" or "D"; the first letter is unambiguous for both)."""
    if has_relation(con, "marts.fct_trades", "party_key"):
        return "party_key"
    return "upper(left(party, 1))"


def trade_key_exprs(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """``(trade_ticker_expr, trade_party_expr)`` with one catalog probe for a current mart."""
    if has_relation(con, "marts.fct_trades", "ticker_key, party_key"):
        return "ticker_key", "party_key"
    return trade_ticker_expr(con), trade_party_expr(con)


def _trade_where(
    filters: TradeFilters,
    ticker_sql: str = "upper(ticker)",
    party_sql: str = "upper(left(party, 1))",
) -> tuple[str, list[Any]]:
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
        clauses.append(f"{party_sql} = ?")
        params.append(filters.party.upper())
    if filters.chamber:
        clauses.append("chamber = ?")
        params.append(filters.chamber)
    if filters.ticker:
        clauses.append(f"{ticker_sql} = ?")
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
    if filters.filing_id:
        clauses.append("filing_id = ?")
        params.append(filters.filing_id)
    if filters.committee:
        clauses.append(
            "bioguide_id IN (SELECT bioguide_id FROM marts.bridge_member_committees "
            "WHERE committee_id = ?)"
        )
        params.append(filters.committee.upper())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return where, params


def fetch_records(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The cursor's remaining rows as dicts keyed by column name."""
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def page_offset(page: int, page_size: int) -> int:
    return _offset(page, page_size)


def run_paged(
    con: duckdb.DuckDBPyConnection,
    base_sql: str,
    params: Sequence[Any],
    order: str,
    page: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of ``base_sql`` (a SELECT whose WHERE is already bound) and its total row count.

    ``order`` must come from :func:`order_by` (a whitelist), never from the request.
    """
    offset = _offset(page, page_size)
    total_row = con.execute(f"SELECT count(*) FROM ({base_sql})", list(params)).fetchone()
    total = int(total_row[0]) if total_row else 0
    cursor = con.execute(f"{base_sql} {order} LIMIT ? OFFSET ?", [*params, page_size, offset])
    return fetch_records(cursor), total


def has_relation(con: duckdb.DuckDBPyConnection, relation: str, column: str = "*") -> bool:
    """Whether ``relation`` (a fixed ``schema.table`` name) exists and has ``column``.

    Binding an empty query costs well under a millisecond; listing the catalog costs several.
    """
    try:
        con.execute(f"SELECT {column} FROM {relation} LIMIT 0")
    except (duckdb.CatalogException, duckdb.BinderException):
        return False
    return True


def _offset(page: int, page_size: int) -> int:
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size must be at least 1")
    return (page - 1) * page_size


# Serving tables dbt builds from marts.fct_trades (see the models of the same names): copies
# stored in one key's order, so that a filter on that key reads a few blocks instead of the
# whole table; a daily rollup that totals a filtered list; the names that appear on trades.
BY_MEMBER = "marts.fct_trades_by_member"
BY_TICKER = "marts.fct_trades_by_ticker"
TRADE_COUNTS = "marts.fct_trade_counts"
TRADE_NAMES = "marts.trade_member_names"
OVERSIGHT_TRADES = "marts.fct_oversight_trades"
# A name search resolving to more members than this reads the whole mart instead.
MAX_NAME_MEMBERS = 20


@dataclass(frozen=True, slots=True)
class TradeLayout:
    """What this warehouse's trade marts offer. One built by an older Stockyard lacks the newer
    parts; it answers the same, the slower way."""

    ticker_sql: str
    party_sql: str
    by_member: bool = False
    by_ticker: bool = False
    counts: bool = False
    names: bool = False


def trade_layout(con: duckdb.DuckDBPyConnection) -> TradeLayout:
    """Probe the trade marts: one statement binds them all in a current warehouse (this runs on
    every trade list, and each statement costs a few tenths of a millisecond); an older
    warehouse pays one probe per part."""
    try:
        con.execute(
            f"SELECT t.ticker_key, t.party_key FROM marts.fct_trades AS t, {BY_MEMBER}, "
            f"{BY_TICKER}, {TRADE_COUNTS}, {TRADE_NAMES} LIMIT 0"
        )
    except (duckdb.CatalogException, duckdb.BinderException):
        ticker_sql, party_sql = trade_key_exprs(con)
        return TradeLayout(
            ticker_sql,
            party_sql,
            by_member=has_relation(con, BY_MEMBER),
            by_ticker=has_relation(con, BY_TICKER),
            counts=party_sql == "party_key" and has_relation(con, TRADE_COUNTS),
            names=has_relation(con, TRADE_NAMES),
        )
    return TradeLayout("ticker_key", "party_key", True, True, True, True)


@dataclass(frozen=True, slots=True)
class _TradeRead:
    """Where and how to read one filtered trade list."""

    relation: str
    where: str
    params: list[Any]
    count_sql: str
    nothing: bool = False  # the filters cannot match a trade: no need to read any


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f"WHERE {clause}"


def _plan_trade_read(con: duckdb.DuckDBPyConnection, filters: TradeFilters) -> _TradeRead:
    layout = trade_layout(con)
    where, params = _trade_where(filters, layout.ticker_sql, layout.party_sql)
    relation, nothing = "marts.fct_trades", False
    if filters.oversight:
        if has_relation(con, OVERSIGHT_TRADES):
            where = _and(where, f"trade_id IN (SELECT trade_id FROM {OVERSIGHT_TRADES})")
        else:
            nothing = True  # a warehouse without the mart knows of no flagged trade
    member = (filters.member or "").upper()
    if BIOGUIDE_ID.match(member) and layout.by_member:
        relation = BY_MEMBER
    elif filters.member and layout.by_member and layout.names:
        # The name's members first; the name test stays, so the answer is exactly the same.
        ids = [
            row[0]
            for row in con.execute(
                f"SELECT DISTINCT bioguide_id FROM {TRADE_NAMES} "
                "WHERE contains(lower(member_name), lower(?))",
                [filters.member],
            ).fetchall()
        ]
        if not ids:
            nothing = True
        elif None not in ids and len(ids) <= MAX_NAME_MEMBERS:
            relation = BY_MEMBER
            where = _and(where, f"bioguide_id IN ({', '.join('?' * len(ids))})")
            params = [*params, *ids]
    elif filters.ticker and layout.by_ticker:
        relation = BY_TICKER
    # The rollup's columns are exactly the remaining filters'.
    countable = not (
        filters.member
        or filters.ticker
        or filters.committee
        or filters.filing_id
        or filters.oversight
    )
    if countable and layout.counts:
        count_sql = f"SELECT coalesce(sum(trades), 0) FROM {TRADE_COUNTS} {where}"
    else:
        count_sql = f"SELECT count(*) FROM {relation} {where}"
    return _TradeRead(relation, where, params, count_sql, nothing)


def _choose_page_plan(con: duckdb.DuckDBPyConnection, relation: str, sort: str) -> None:
    """Late materialization (DuckDB picks the page's row ids first, then fetches their columns
    in a second scan) pays when the page is chosen from many scattered rows. When the blocks
    read are few (a serving copy's key, or newest-first on the date-ordered mart, where the
    first blocks end the search) its second scan costs more than it saves: ~4 of ~7 ms a page.
    """
    few_blocks = relation != "marts.fct_trades" or sort.removeprefix("-") == "tx_date"
    if few_blocks:
        con.execute("SET late_materialization_max_rows = 0")
    else:
        con.execute("RESET late_materialization_max_rows")


def list_trades(
    con: duckdb.DuckDBPyConnection,
    filters: TradeFilters,
    sort: str = DEFAULT_TRADE_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[TradeRow]:
    """One page of trades matching ``filters``, plus the total across all pages."""
    order = order_by(sort, TRADE_SORTS, tiebreak="trade_id")
    offset = _offset(page, page_size)
    read = _plan_trade_read(con, filters)
    if read.nothing:
        return Page(items=[], page=page, page_size=page_size, total=0)
    total_row = con.execute(read.count_sql, read.params).fetchone()
    total = int(total_row[0]) if total_row else 0
    _choose_page_plan(con, read.relation, sort)
    cursor = con.execute(
        f"SELECT {_TRADE_COLUMNS} FROM {read.relation} {read.where} {order} LIMIT ? OFFSET ?",
        [*read.params, page_size, offset],
    )
    return Page(items=_trade_rows(cursor), page=page, page_size=page_size, total=total)


_TRADE_FIELDS = [f.name for f in fields(TradeRow)]


def _trade_rows(cursor: duckdb.DuckDBPyConnection) -> list[TradeRow]:
    """The cursor's rows of ``_TRADE_COLUMNS`` as records, built from tuples (no dict per row:
    this runs for every page of trades the API serves)."""
    names = [column[0] for column in cursor.description or []]
    if names != _TRADE_FIELDS:
        raise RuntimeError(f"trade columns {names} do not match TradeRow {_TRADE_FIELDS}")
    return [TradeRow(*row) for row in cursor.fetchall()]


def trade_select(
    con: duckdb.DuckDBPyConnection, filters: TradeFilters, sort: str = DEFAULT_TRADE_SORT
) -> tuple[str, list[Any]]:
    """Every trade matching ``filters`` as one SELECT and its parameters (for exports)."""
    order = order_by(sort, TRADE_SORTS, tiebreak="trade_id")
    read = _plan_trade_read(con, filters)
    where = _and(read.where, "false") if read.nothing else read.where
    return f"SELECT {_TRADE_COLUMNS} FROM {read.relation} {where} {order}", read.params


def trade_id_select(con: duckdb.DuckDBPyConnection, filters: TradeFilters) -> tuple[str, list[Any]]:
    """The ids of every trade matching ``filters``, as one SELECT and its parameters."""
    read = _plan_trade_read(con, filters)
    where = _and(read.where, "false") if read.nothing else read.where
    return f"SELECT trade_id FROM {read.relation} {where}", read.params


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


def trades_by_id(con: duckdb.DuckDBPyConnection, trade_ids: list[str]) -> dict[str, TradeRow]:
    """The published trades with these ids (superseded ones included), by id."""
    if not trade_ids:
        return {}
    cursor = con.execute(
        f"SELECT {_TRADE_COLUMNS} FROM marts.fct_trades WHERE trade_id IN (SELECT unnest(?))",
        [trade_ids],
    )
    return {row.trade_id: row for row in _trade_rows(cursor)}
