"""The query layer on its own: read-only connections, whitelists, readiness errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from stockyard.warehouse.member_reads import get_member, list_members
from stockyard.warehouse.queries import (
    TRADE_SORTS,
    TradeFilters,
    WarehouseBusy,
    WarehouseNotReady,
    list_trades,
    open_readonly,
    order_by,
    parse_party,
    trade_select,
)


def test_connection_is_read_only(warehouse_path: Path) -> None:
    con = open_readonly(warehouse_path)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM marts.fct_trades")
    finally:
        con.close()


def test_missing_file_raises_not_ready(tmp_path: Path) -> None:
    with pytest.raises(WarehouseNotReady, match="stockyard demo --no-serve"):
        open_readonly(tmp_path / "nowhere.duckdb")
    assert not (tmp_path / "nowhere.duckdb").exists()  # a reader must never create the file


def test_busy_is_a_kind_of_not_ready() -> None:
    assert issubclass(WarehouseBusy, WarehouseNotReady)


@pytest.mark.parametrize("sort", ["", "-", "amount_min", "tx_date desc", "1", "--tx_date"])
def test_order_by_accepts_only_whitelisted_keys(sort: str) -> None:
    with pytest.raises(ValueError, match="unknown sort column"):
        order_by(sort, TRADE_SORTS, tiebreak="trade_id")


def test_order_by_builds_from_fixed_strings() -> None:
    assert order_by("-amount", TRADE_SORTS, tiebreak="trade_id") == (
        "ORDER BY amount_min DESC NULLS LAST, trade_id"
    )


@pytest.mark.parametrize(
    ("text", "key"), [("D", "D"), ("d", "D"), ("Democrat", "D"), (" republican ", "R")]
)
def test_parse_party(text: str, key: str) -> None:
    assert parse_party(text) == key


def test_query_functions_return_typed_records(warehouse_path: Path) -> None:
    con = open_readonly(warehouse_path)
    try:
        page = list_trades(con, TradeFilters(member="gottheimer"), page_size=2)
        members = list_members(con, chamber="senate", sort="name")
        missing = get_member(con, "A000000")
    finally:
        con.close()
    assert (page.total, page.pages, len(page.items)) == (4, 2, 2)
    assert page.items[0].owner == "JT"
    assert [m.last_name for m in members.items] == ["Collins", "Roberts", "Warner", "Wyden"]
    assert missing is None


def test_page_numbers_below_one_are_refused(warehouse_path: Path) -> None:
    con = open_readonly(warehouse_path)
    try:
        with pytest.raises(ValueError, match="at least 1"):
            list_trades(con, TradeFilters(), page=0)
    finally:
        con.close()


def test_one_members_trades_read_the_member_ordered_copy_with_the_same_answer(
    warehouse_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(warehouse_path.read_bytes())
    con = duckdb.connect(str(copy))
    member = con.execute(
        "SELECT bioguide_id FROM marts.fct_trades WHERE bioguide_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]  # type: ignore[index]
    before = list_trades(con, TradeFilters(member=member), "-amount")
    con.execute(
        "CREATE TABLE marts.fct_trades_by_member AS "
        "SELECT * FROM marts.fct_trades ORDER BY bioguide_id, tx_date DESC, trade_id"
    )
    plan = con.execute(
        "EXPLAIN " + trade_select(con, TradeFilters(member=member))[0],
        trade_select(con, TradeFilters(member=member))[1],
    ).fetchall()
    after = list_trades(con, TradeFilters(member=member), "-amount")
    by_name = list_trades(con, TradeFilters(member="gottheimer"))  # a name: the main table
    con.close()
    assert "fct_trades_by_member" in str(plan)
    assert after == before and after.total > 0
    assert by_name.total == 4


def test_one_tickers_trades_read_the_ticker_ordered_copy_with_the_same_answer(
    warehouse_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(warehouse_path.read_bytes())
    con = duckdb.connect(str(copy))
    ticker = con.execute(
        "SELECT upper(ticker) FROM marts.fct_trades WHERE ticker IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]  # type: ignore[index]
    filters = TradeFilters(ticker=ticker.lower())
    before = [list_trades(con, filters, sort) for sort in ("-tx_date", "amount", "member")]
    con.execute(
        "CREATE TABLE marts.fct_trades_by_ticker AS "
        "SELECT * FROM marts.fct_trades ORDER BY upper(ticker), tx_date DESC, trade_id"
    )
    sql, params = trade_select(con, filters)
    plan = con.execute("EXPLAIN " + sql, params).fetchall()
    after = [list_trades(con, filters, sort) for sort in ("-tx_date", "amount", "member")]
    con.close()
    assert "fct_trades_by_ticker" in str(plan)
    assert after == before and after[0].total > 0
