"""Trade performance checked by hand on real trades and real prices, through the real dbt build.

Four real Senate eFD trades of the bundled sample (three senators) and the real daily bars of
AAPL, AMZN, MSFT and XOM (tests/fixtures/prices) go through the raw loaders, the member and
ticker resolvers and one write-audit-publish run with the market_equal_weight benchmark (what the
demo uses: the sample's prices have no SPY). Every expected return below is written from the
closes in the fixture; the benchmark is recomputed here in plain Python from the same CSV.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from stockyard.models import DocStatus, Legislator, ParsedDocument, ParsedTransaction, Term
from stockyard.sources.polygon.parse import DailyBar
from stockyard.warehouse.db import connect
from stockyard.warehouse.market import load_daily_bars, record_market_days
from stockyard.warehouse.raw import load_documents, load_legislators
from stockyard.warehouse.resolution import resolve_members
from stockyard.warehouse.ticker_resolution import resolve_trade_tickers
from stockyard.warehouse.wap import WapResult, run_wap

pytestmark = pytest.mark.integration

PRICES = (
    Path(__file__).parents[2]
    / "fixtures"
    / "prices"
    / "daily_bars_4tickers_2020-07-01_2021-06-01.csv"
)
HORIZONS = (5, 30, 90, 180)


def _senator(bioguide_id: str, first: str, last: str, state: str, party: str) -> Legislator:
    term = Term("senate", state, date(2015, 1, 6), date(2021, 1, 3), party=party)
    return Legislator(bioguide_id, first, last, f"{first} {last}", terms=(term,), is_current=False)


def _ptr(doc_id: str, filer: str, filed: date, *rows: ParsedTransaction) -> ParsedDocument:
    return ParsedDocument(
        doc_id=doc_id,
        source="senate_efd",
        status=DocStatus.PARSED,
        parser_version="senate_efd-test",
        filer_name=filer,
        chamber="senate",
        filed_date=filed,
        source_url=f"https://efdsearch.senate.gov/search/view/ptr/{doc_id}/",
        transactions=list(rows),
    )


def _line(
    row: int,
    name: str,
    ticker: str | None,
    tx_type: str,
    day: date,
    low: int,
    high: int,
    **more: Any,
) -> ParsedTransaction:
    fields: dict[str, Any] = {
        "asset_name": name,
        "ticker": ticker,
        "asset_type": "ST",
        "asset_type_text": "Stock",
        "tx_type": tx_type,
        "tx_date": day,
        "amount_min": low,
        "amount_max": high,
        "owner": "SP",
        "row": row,
        "page": 1,
    }
    fields.update(more)
    return ParsedTransaction(**fields)


ROBERTS = "ee7d87c0-21be-482b-9e7b-3caf7a6fff24"
WYDEN = "e29a0a93-7153-42f3-97c5-e9f68fe47820"
INHOFE = "9b11b917-572b-44ae-a8fa-b75d06276ecf"
# As the eFD pages print them (rows 9 and 10 of Roberts' report of 08/30/2020, a Sunday).
DOCUMENTS = [
    _ptr(
        ROBERTS,
        "Pat Roberts",
        date(2020, 8, 30),
        _line(9, "Apple Inc.", "AAPL", "P", date(2020, 8, 3), 50_001, 100_000),
        _line(10, "Apple Inc.", "AAPL", "S", date(2020, 7, 31), 50_001, 100_000),
    ),
    _ptr(
        WYDEN,
        "Ron L Wyden",
        date(2020, 7, 31),
        _line(17, "Microsoft Corporation", "MSFT", "P", date(2020, 7, 23), 100_001, 250_000),
        # a real municipal bond line of the sample: classified, never given a ticker
        _line(
            18,
            "MAINE HEALTH & HIGH BOND",
            None,
            "P",
            date(2020, 7, 23),
            15_001,
            50_000,
            asset_type=None,
            asset_type_text="Municipal Security",
        ),
    ),
    _ptr(
        INHOFE,
        "James M Inhofe",
        date(2020, 7, 24),
        _line(
            1,
            "Amazon.com, Inc.",
            "AMZN",
            "S (partial)",
            date(2020, 7, 15),
            15_001,
            50_000,
            owner=None,
        ),
    ),
]


def _fixture_bars() -> list[DailyBar]:
    with PRICES.open(newline="", encoding="utf-8") as handle:
        return [
            DailyBar(
                ticker=r["ticker"],
                day=date.fromisoformat(r["date"]),
                open=float(r["open"]),
                high=float(r["high"]),
                low=float(r["low"]),
                close=float(r["close"]),
                volume=float(r["volume"]),
                vwap=None,
                transactions=None,
            )
            for r in csv.DictReader(handle)
        ]


def _build(path: Path) -> None:
    con = connect(path)
    try:
        load_legislators(
            con,
            partition="current",
            legislators=[
                _senator("R000307", "Pat", "Roberts", "KS", "Republican"),
                _senator("W000779", "Ron", "Wyden", "OR", "Democrat"),
                _senator("I000024", "James", "Inhofe", "OK", "Republican"),
            ],
            landing_path=None,
        )
        load_documents(
            con,
            source="senate_efd",
            dataset="ptr",
            partition="2020",
            documents=[(d, f"senate_efd/{d.doc_id}.html") for d in DOCUMENTS],
        )
        by_day: dict[date, list[DailyBar]] = defaultdict(list)
        for bar in _fixture_bars():
            by_day[bar.day].append(bar)
        for day, bars in sorted(by_day.items()):
            load_daily_bars(
                con, partition=day.isoformat(), bars=bars, landing_path=None, adjusted=True
            )
        # XOM's bars re-delivered by a per-ticker range fetch: still one bar per ticker-day.
        xom = [bar for bar in _fixture_bars() if bar.ticker == "XOM"]
        load_daily_bars(
            con, partition="XOM", bars=xom, landing_path=None, adjusted=True, dataset="range_bars"
        )
        # AAPL as traded on 2020-08-28, before its 4:1 split (Alpha Vantage's raw bar): kept in
        # raw, never mixed into the split-adjusted marts.
        unadjusted = DailyBar("AAPL", date(2020, 8, 28), 504.05, 505.77, 498.31, 499.23,
                              46907479.0, None, None)  # fmt: skip
        load_daily_bars(
            con, partition="AAPL:unadjusted", bars=[unadjusted], landing_path=None,
            adjusted=False, dataset="range_bars",
        )  # fmt: skip
        # The calendar for the whole span: weekends and holidays (Labor Day 2020-09-07) closed.
        first, last = min(by_day), max(by_day)
        span = (first + timedelta(days=i) for i in range((last - first).days + 1))
        record_market_days(con, {day: day in by_day for day in span})
        resolve_members(con)
        resolve_trade_tickers(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, WapResult]]:
    path = tmp_path_factory.mktemp("market") / "warehouse.duckdb"
    _build(path)
    with pytest.MonkeyPatch.context() as env:
        # The way Settings.market reaches dbt (stockyard.warehouse.dbt.dbt_environment).
        env.setenv("STOCKYARD_MARKET__BENCHMARK", "market_equal_weight")
        result = run_wap(path)
    yield path, result


@pytest.fixture(scope="module")
def marts(built: tuple[Path, WapResult]) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(built[0]), read_only=True)
    yield con
    con.close()


def _row(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> dict[str, Any]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or []]
    found = cursor.fetchall()
    assert len(found) == 1, found
    return dict(zip(names, found[0], strict=True))


def _performance(con: duckdb.DuckDBPyConnection, doc_id: str, row: int) -> dict[str, Any]:
    return _row(
        con,
        """SELECT p.* FROM marts.fct_trade_performance AS p
           JOIN marts.fct_trades AS t USING (trade_id)
           WHERE t.filing_id LIKE '%' || ? AND t.row_position = ?""",
        doc_id,
        row,
    )


def _equal_weight_return(start: date, days_after: int) -> float:
    """The benchmark recomputed independently: each trading day, the plain average of the four
    tickers' close-over-previous-close returns; chained over the days after ``start``."""
    closes: dict[str, dict[date, float]] = defaultdict(dict)
    for bar in _fixture_bars():
        closes[bar.ticker][bar.day] = bar.close
    days = sorted({d for series in closes.values() for d in series})
    i = days.index(start)
    growth = 1.0
    for today, yesterday in zip(
        days[i + 1 : i + days_after + 1], days[i : i + days_after], strict=True
    ):
        daily = [s[today] / s[yesterday] - 1 for s in closes.values()]
        growth *= 1 + sum(daily) / len(daily)
    return growth - 1


def test_the_audit_passes_and_publishes_the_market_marts(built: tuple[Path, WapResult]) -> None:
    _, result = built
    assert result.passed, [f.describe() for f in result.failures if f.blocking]
    assert result.published is not None
    tables = result.published.tables
    assert tables["fct_daily_bars"] == 924  # 4 tickers x 231 trading days, no duplicates
    assert tables["fct_trade_performance"] == 4  # the bond line has no ticker, hence no row
    assert tables["member_performance"] == 3
    assert tables["dim_tickers"] == 0  # no reference fetched: empty, not an error


def test_daily_bars_hold_one_adjusted_bar_per_ticker_day(marts: duckdb.DuckDBPyConnection) -> None:
    assert marts.execute("SELECT count(*) FROM raw.daily_bars").fetchone() == (924 + 231 + 1,)
    loaded = marts.execute(
        """SELECT ticker, count(*), count(DISTINCT bar_date), bool_and(adjusted)
           FROM marts.fct_daily_bars GROUP BY ticker ORDER BY ticker"""
    ).fetchall()
    assert loaded == [(t, 231, 231, True) for t in ("AAPL", "AMZN", "MSFT", "XOM")]
    aapl = marts.execute(
        "SELECT close FROM marts.fct_daily_bars WHERE ticker = 'AAPL' AND bar_date = '2020-08-28'"
    ).fetchall()
    assert aapl == [(124.80750274658205,)]  # the split-adjusted close, not 499.23


def test_trades_carry_their_resolved_ticker_and_asset_class(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    rows = marts.execute(
        """SELECT ticker, resolved_ticker, ticker_method, asset_class FROM marts.fct_trades
           ORDER BY asset_class, resolved_ticker"""
    ).fetchall()
    assert rows == [
        (None, None, "not_equity", "bond"),
        ("AAPL", "AAPL", "reported_ticker", "equity"),
        ("AAPL", "AAPL", "reported_ticker", "equity"),
        ("AMZN", "AMZN", "reported_ticker", "equity"),
        ("MSFT", "MSFT", "reported_ticker", "equity"),
    ]


def test_a_sale_before_a_rise_lagged_nothing_and_a_sunday_filing_prices_on_monday(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    # Pat Roberts sold AAPL on Friday 2020-07-31 (close 106.26000213623048) and filed on Sunday
    # 2020-08-30: the filing is priced at Monday 2020-08-31's close, 129.0399932861328.
    sale = _performance(marts, ROBERTS, 10)
    assert (sale["tx_price_day"], sale["price_tx_date"]) == (date(2020, 7, 31), 106.26000213623048)
    assert (sale["filed_price_day"], sale["price_filed_date"]) == (
        date(2020, 8, 31),
        129.0399932861328,
    )
    # closes 5, 30, 90, 180 trading days later: 2020-08-07, 09-14, 12-08, 2021-04-20
    assert sale["ret_5d"] == pytest.approx(111.1125030517578 / 106.26000213623048 - 1)
    assert sale["ret_30d"] == pytest.approx(115.36000061035156 / 106.26000213623048 - 1)
    assert sale["ret_90d"] == pytest.approx(124.37999725341795 / 106.26000213623048 - 1)
    assert sale["ret_180d"] == pytest.approx(133.11000061035156 / 106.26000213623048 - 1)
    # from the filing: 2020-09-08 (Labor Day skipped), 10-13, 2021-01-08, 05-19
    assert sale["ret_5d_from_filed"] == pytest.approx(112.81999969482422 / 129.0399932861328 - 1)
    assert sale["ret_180d_from_filed"] == pytest.approx(124.69000244140624 / 129.0399932861328 - 1)
    for n in HORIZONS:
        bench = _equal_weight_return(date(2020, 7, 31), n)
        assert sale[f"bench_ret_{n}d"] == pytest.approx(bench)
        assert sale[f"excess_{n}d"] == pytest.approx(sale[f"ret_{n}d"] - bench)
    assert sale["benchmark"] == "market_equal_weight"
    # AAPL beat the market after the sale (+4.6% vs the benchmark's 5 days): the sale did not beat.
    assert sale["direction"] == -1
    assert sale["excess_5d"] > 0
    assert sale["beat_benchmark_5d"] is False


def test_purchases_and_a_partial_sale_by_hand(marts: duckdb.DuckDBPyConnection) -> None:
    buy = _performance(marts, ROBERTS, 9)  # AAPL bought 2020-08-03 at 108.9375
    assert buy["ret_5d"] == pytest.approx(112.72750091552734 / 108.9375 - 1)
    assert buy["ret_30d"] == pytest.approx(115.54000091552734 / 108.9375 - 1)
    assert buy["ret_90d"] == pytest.approx(121.77999877929688 / 108.9375 - 1)
    assert buy["ret_180d"] == pytest.approx(133.5 / 108.9375 - 1)
    assert buy["beat_benchmark_30d"] is (buy["excess_30d"] > 0)

    msft = _performance(marts, WYDEN, 17)  # MSFT bought 2020-07-23 at 202.5399932861328
    assert msft["ret_5d"] == pytest.approx(203.8999938964844 / 202.5399932861328 - 1)
    assert msft["ret_180d"] == pytest.approx(255.91000366210932 / 202.5399932861328 - 1)
    # filed Friday 2020-07-31 at 205.009994506836; 30 trading days on, 2020-09-14: 205.41000366210932
    assert msft["ret_30d_from_filed"] == pytest.approx(205.41000366210932 / 205.009994506836 - 1)
    bench = _equal_weight_return(date(2020, 7, 23), 30)
    assert msft["excess_30d"] == pytest.approx(217.3000030517578 / 202.5399932861328 - 1 - bench)

    amzn = _performance(marts, INHOFE, 1)  # AMZN partly sold 2020-07-15 at 150.44349670410156
    assert amzn["tx_type"] == "S (partial)" and amzn["direction"] == -1
    assert amzn["ret_30d"] == pytest.approx(172.09249877929688 / 150.44349670410156 - 1)
    assert amzn["ret_90d"] == pytest.approx(155.8509979248047 / 150.44349670410156 - 1)
    bench_90 = _equal_weight_return(date(2020, 7, 15), 90)
    amzn_90 = 155.8509979248047 / 150.44349670410156 - 1
    assert amzn["beat_benchmark_90d"] is (amzn_90 - bench_90 < 0)


def test_member_aggregates(marts: duckdb.DuckDBPyConnection) -> None:
    roberts = _row(marts, "SELECT * FROM marts.member_performance WHERE bioguide_id = 'R000307'")
    assert (roberts["trades"], roberts["priced_trades"]) == (2, 2)
    # bought and sold the same band: +75,000.5 - 75,000.5
    assert roberts["est_dollar_flow"] == pytest.approx(0.0)
    buy, sale = _performance(marts, ROBERTS, 9), _performance(marts, ROBERTS, 10)
    signed = sorted([buy["excess_30d"], -sale["excess_30d"]])
    assert roberts["median_excess_30d"] == pytest.approx(sum(signed) / 2)
    beats = [buy["beat_benchmark_30d"], sale["beat_benchmark_30d"]]
    assert roberts["share_beat_benchmark_30d"] == pytest.approx(sum(beats) / 2)

    wyden = _row(marts, "SELECT * FROM marts.member_performance WHERE bioguide_id = 'W000779'")
    # MSFT (100,001-250,000) and the bond (15,001-50,000), both purchases; only MSFT is priced
    assert (wyden["trades"], wyden["priced_trades"]) == (2, 1)
    assert wyden["est_dollar_flow"] == pytest.approx(175_000.5 + 32_500.5)
    inhofe = _row(marts, "SELECT * FROM marts.member_performance WHERE bioguide_id = 'I000024'")
    assert inhofe["est_dollar_flow"] == pytest.approx(-32_500.5)
    assert inhofe["benchmark"] == "market_equal_weight"


def test_a_missing_bar_fails_the_audit_and_leaves_the_marts_as_they_were(
    built: tuple[Path, WapResult], tmp_path: Path
) -> None:
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built[0], path)
    con = connect(path)
    try:
        # MSFT's bar of 2020-10-01 goes missing: its series now skips a trading day.
        con.execute("DELETE FROM raw.daily_bars WHERE ticker = 'MSFT' AND bar_date = '2020-10-01'")
    finally:
        con.close()
    result = run_wap(path, dbt_args=("build", "--vars", "{benchmark: market_equal_weight}"))
    assert not result.passed
    failing = {f.test_name: f for f in result.failures if f.blocking}
    gap = failing["assert_daily_bars_no_missing_trading_days"]
    assert gap.failing_rows == 1
    assert gap.sample == [{"ticker": "MSFT", "missing_day": "2020-10-01"}]
    with duckdb.connect(str(path), read_only=True) as check:
        count = check.execute("SELECT count(*) FROM marts.fct_daily_bars").fetchone()
    assert count == (924,)
