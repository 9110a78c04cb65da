"""Small read queries the market-data planner needs: traded tickers, learned market days."""

from __future__ import annotations

from datetime import date

import duckdb


class WarehouseNotBuilt(LookupError):
    """The warehouse has no published trades yet."""


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def traded_tickers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every distinct ticker in ``marts.fct_trades`` (upper-cased), sorted.

    Raises `WarehouseNotBuilt` when the trades mart does not exist yet.
    """
    if not _has_table(con, "marts", "fct_trades"):
        raise WarehouseNotBuilt(
            "marts.fct_trades does not exist: build the warehouse first "
            "(`stockyard demo --no-serve` or `stockyard run --from … --to …`)"
        )
    rows = con.execute(
        """SELECT DISTINCT upper(trim(ticker)) FROM marts.fct_trades
           WHERE ticker IS NOT NULL AND trim(ticker) <> '' ORDER BY 1"""
    ).fetchall()
    return [row[0] for row in rows]


def market_days(con: duckdb.DuckDBPyConnection) -> tuple[set[date], set[date]]:
    """(open days, closed days) learned from Polygon's answers (``raw.market_days``)."""
    if not _has_table(con, "raw", "market_days"):
        return set(), set()
    rows = con.execute("SELECT day, is_trading_day FROM raw.market_days").fetchall()
    return {day for day, is_open in rows if is_open}, {day for day, is_open in rows if not is_open}


def known_ticker_count(con: duckdb.DuckDBPyConnection) -> int:
    """Active tickers in the current reference: the market's size for the naive call count."""
    if not _has_table(con, "raw", "ticker_reference"):
        return 0
    row = con.execute(
        "SELECT count(*) FROM raw.ticker_reference WHERE is_current AND active IS NOT false"
    ).fetchone()
    return int(row[0]) if row else 0


def loaded_landings(
    con: duckdb.DuckDBPyConnection, source: str, dataset: str
) -> dict[str, set[str]]:
    """partition → the landing paths its latest load read (``raw.load_log``).

    A landed file never changes (a new answer is a new version, a new path), so a partition
    whose latest load read exactly the files landed now needs no reload.
    """
    rows = con.execute(
        """SELECT partition, arg_max(landing_paths, finished_at) FROM raw.load_log
           WHERE source = ? AND dataset = ? GROUP BY partition""",
        [source, dataset],
    ).fetchall()
    return {partition: set(paths or ()) for partition, paths in rows}
