"""The serving tables dbt builds beside fct_trades change how a trade list is read, never what
it answers: every filter and sort gives the same page and total with them as without them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import product
from pathlib import Path

import duckdb
import pytest

from stockyard.warehouse.queries import (
    BY_MEMBER,
    TRADE_COUNTS,
    TradeFilters,
    _plan_trade_read,
    list_trades,
    trade_layout,
    trade_select,
)

MARTS_SQL = Path(__file__).resolve().parents[3] / "dbt" / "models" / "marts"
SERVING = ("fct_trades_by_member", "fct_trades_by_ticker", "fct_trade_counts", "trade_member_names")

FILTERS = [
    TradeFilters(),
    TradeFilters(include_superseded=True),
    TradeFilters(state="CA"),
    TradeFilters(party="R", chamber="senate"),
    TradeFilters(party="D", date_from=date(2020, 11, 1), date_to=date(2021, 3, 1)),
    TradeFilters(tx_type="P", owner="self"),
    TradeFilters(owner="SP", state="ME", include_superseded=True),
    TradeFilters(member="pelosi"),
    TradeFilters(member="PELOSI", tx_type="P"),
    TradeFilters(member="perdue"),  # a filer no member record matched (no bioguide id)
    TradeFilters(member="r"),  # a letter: many members
    TradeFilters(member="nobody of that name"),
    TradeFilters(member="W000779"),
    TradeFilters(ticker="aapl"),
    TradeFilters(committee="SSFI"),
]
SORTS = ["-tx_date", "tx_date", "-amount", "member", "-lag_days"]


def _with_serving_tables(source: Path, target: Path) -> duckdb.DuckDBPyConnection:
    """A copy of ``source`` given the mart's filter keys and the serving tables, each built by
    its own dbt model's SQL."""
    target.write_bytes(source.read_bytes())
    con = duckdb.connect(str(target))
    con.execute(
        "CREATE OR REPLACE TABLE marts.fct_trades AS SELECT *, upper(ticker) AS ticker_key, "
        "upper(left(party, 1)) AS party_key FROM marts.fct_trades ORDER BY tx_date, trade_id"
    )
    for name in SERVING:
        model = (MARTS_SQL / f"{name}.sql").read_text(encoding="utf-8")
        select = model.replace("{{ ref('fct_trades') }}", "marts.fct_trades")
        con.execute(f"CREATE TABLE marts.{name} AS {select}")
    return con


@pytest.fixture
def plain(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()


def test_every_filter_and_sort_answers_the_same_with_the_serving_tables(
    plain: duckdb.DuckDBPyConnection, warehouse_path: Path, tmp_path: Path
) -> None:
    served = _with_serving_tables(warehouse_path, tmp_path / "served.duckdb")
    assert trade_layout(served).counts and not trade_layout(plain).counts
    for filters, sort in product(FILTERS, SORTS):
        for page in (1, 2):
            expected = list_trades(plain, filters, sort, page, page_size=4)
            assert list_trades(served, filters, sort, page, 4) == expected, (filters, sort, page)
        select, params = trade_select(served, filters, sort)
        plain_select, plain_params = trade_select(plain, filters, sort)
        exported = served.execute(select, params).fetchall()
        assert exported == plain.execute(plain_select, plain_params).fetchall(), filters
    served.close()


def test_totals_come_from_the_rollup_and_names_from_their_members_blocks(
    warehouse_path: Path, tmp_path: Path
) -> None:
    served = _with_serving_tables(warehouse_path, tmp_path / "served.duckdb")
    by_party = _plan_trade_read(served, TradeFilters(party="R", date_from=date(2020, 1, 1)))
    by_name = _plan_trade_read(served, TradeFilters(member="pelosi"))
    unmatched_filer = _plan_trade_read(served, TradeFilters(member="perdue"))
    no_one = _plan_trade_read(served, TradeFilters(member="nobody of that name"))
    by_ticker = _plan_trade_read(served, TradeFilters(ticker="AAPL", state="CA"))
    served.close()
    assert TRADE_COUNTS in by_party.count_sql and by_party.relation == "marts.fct_trades"
    assert by_name.relation == BY_MEMBER and by_name.params[-1] == "P000197"
    # a name on a trade without a bioguide id can only be found in the whole mart
    assert unmatched_filer.relation == "marts.fct_trades"
    assert no_one.nothing
    assert TRADE_COUNTS not in by_ticker.count_sql and "by_ticker" in by_ticker.count_sql


def test_the_oversight_filter_keeps_exactly_the_flagged_trades(
    plain: duckdb.DuckDBPyConnection, warehouse_path: Path, tmp_path: Path
) -> None:
    served = _with_serving_tables(warehouse_path, tmp_path / "served.duckdb")
    served.execute(
        "CREATE TABLE marts.fct_oversight_trades AS SELECT trade_id, bioguide_id, "
        "'SSFI' AS committee_id FROM marts.fct_trades WHERE ticker_key IN ('NVDA', 'AMZN')"
    )
    flagged = list_trades(served, TradeFilters(oversight=True), page_size=100)
    own = list_trades(served, TradeFilters(oversight=True, member="P000197"), page_size=100)
    select, params = trade_select(served, TradeFilters(oversight=True, state="CA"))
    exported = served.execute(select, params).fetchall()
    served.close()
    without_mart = list_trades(plain, TradeFilters(oversight=True))
    select, params = trade_select(plain, TradeFilters(oversight=True))
    exported_without = plain.execute(select, params).fetchall()
    assert {t.ticker for t in flagged.items} == {"NVDA", "AMZN"}
    assert flagged.total == len(flagged.items) > len(own.items) > 0
    assert {t.bioguide_id for t in own.items} == {"P000197"}
    assert exported and {row[4] for row in exported} == {"CA"}
    assert without_mart.total == 0 and without_mart.items == [] and exported_without == []
