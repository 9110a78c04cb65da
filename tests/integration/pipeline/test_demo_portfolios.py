"""Follow-the-filings portfolios on the demo build, worked out here by hand from the closes:
a full sale filed on a Saturday, a partial sale filed on a Sunday, a position held through a
20-for-1 split; a whole member's portfolio against a plain day-by-day loop; the API, CSV and
ranking; and, in a real Chromium, the chart's band and the ranking's sorting."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.warehouse.portfolio_reads import portfolio_for
from stockyard.warehouse.queries import TradeFilters
from stockyard.warehouse.serving import served_path
from stockyard.web.app import create_web_app
from support.portfolio_oracle import LEVELS, STRATEGIES, load, simulate
from support.web_server import serve_in_thread

pytestmark = pytest.mark.integration

WYDEN = "W000779"
LAST_DAY = date(2023, 6, 29)  # the last bar of the bundled sample


@pytest.fixture(scope="module")
def web(demo_home: Path) -> Iterator[TestClient]:
    with TestClient(create_web_app(Settings(home=demo_home))) as client:
        yield client


def close(con: duckdb.DuckDBPyConnection, ticker: str, day: date) -> float:
    row = con.execute(
        "SELECT close FROM marts.fct_daily_bars WHERE ticker = ? AND bar_date = ?", [ticker, day]
    ).fetchone()
    assert row is not None, (ticker, day)
    return float(row[0])


def portfolio(web: TestClient, **params: str) -> dict[str, Any]:
    answer = web.get("/api/portfolio", params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def on(body: dict[str, Any], day: date) -> dict[str, Any]:
    return next(p for p in body["series"] if p["date"] == day.isoformat())


def stat(body: dict[str, Any], strategy: str, level: str) -> dict[str, Any]:
    return next(s for s in body["stats"] if s["strategy"] == strategy and s["level"] == level)


def test_a_full_sale_filed_on_a_saturday_is_copied_at_mondays_close(
    web: TestClient, demo_db: duckdb.DuckDBPyConnection
) -> None:
    # Ron Wyden's XOM, $15,001-$50,000 each way: bought 2020-04-06 (filed Tuesday 2020-05-05),
    # all sold 2020-08-21 (filed Saturday 2020-08-29, so the public sells Monday 2020-08-31).
    closes = {
        d: close(demo_db, "XOM", d)
        for d in (date(2020, 4, 6), date(2020, 5, 5), date(2020, 8, 21), date(2020, 8, 31))
    }
    assert list(closes.values()) == [40.47, 44.83, 41.01, 39.94]
    body = portfolio(web, member=WYDEN, ticker="XOM")
    assert body["precomputed"] is False
    for level, amount in (("low", 15001.0), ("mid", 32500.5), ("high", 50000.0)):
        public = amount / 44.83 * 39.94  # shares bought at the filing, sold at Monday's close
        insider = amount / 40.47 * 41.01
        last = on(body, LAST_DAY)
        assert last[f"public_{level}"] == pytest.approx(public, abs=0.005)
        assert last[f"insider_{level}"] == pytest.approx(insider, abs=0.005)
    assert round(on(body, LAST_DAY)["public_mid"], 2) == 28955.39
    # The Friday before the sale the public copy still held the shares.
    friday = date(2020, 8, 28)
    held = 32500.5 / 44.83 * close(demo_db, "XOM", friday)
    assert on(body, friday)["public_mid"] == pytest.approx(held, abs=0.005)
    # One position, then cash that earns nothing: the return is the price change.
    assert stat(body, "public", "mid")["total_return"] == pytest.approx(39.94 / 44.83 - 1)
    assert stat(body, "insider", "mid")["total_return"] == pytest.approx(41.01 / 40.47 - 1)
    gap = (39.94 / 44.83) - (41.01 / 40.47)
    assert stat(body, "public", "mid")["public_minus_insider"] == pytest.approx(gap)
    # New money only once: the sale's proceeds stay as cash.
    assert on(body, LAST_DAY)["invested"] == pytest.approx(32500.5)


def test_a_partial_sale_filed_on_a_sunday_sells_the_bands_worth(
    web: TestClient, demo_db: duckdb.DuckDBPyConnection
) -> None:
    # Ron Wyden's MMM: $50,001-$100,000 bought 2020-06-23 (filed 2020-07-02); $1,001-$15,000
    # sold 2022-11-11 as a partial sale, filed Sunday 2022-12-11 (public sells Monday 12-12).
    bought, sold_at, last = (
        close(demo_db, "MMM", date(2020, 7, 2)),
        close(demo_db, "MMM", date(2022, 12, 12)),
        close(demo_db, "MMM", LAST_DAY),
    )
    assert (bought, sold_at) == (157.04, 126.85)
    shares = 75000.5 / bought
    remaining = shares - 8000.5 / sold_at  # the band midpoint's worth of shares
    expected = remaining * last + 8000.5  # what is left, plus the sale's cash
    body = portfolio(web, member=WYDEN, ticker="MMM")
    assert on(body, LAST_DAY)["public_mid"] == pytest.approx(expected, abs=0.005)
    assert on(body, date(2022, 12, 9))["public_mid"] == pytest.approx(
        shares * close(demo_db, "MMM", date(2022, 12, 9)), abs=0.005
    )
    # At the floor the sale is $1,001 of a $50,001 position.
    low = (50001 / bought - 1001 / sold_at) * last + 1001
    assert on(body, LAST_DAY)["public_low"] == pytest.approx(low, abs=0.005)


def test_a_position_held_through_a_split_is_valued_on_adjusted_closes(
    web: TestClient, demo_db: duckdb.DuckDBPyConnection
) -> None:
    # Dan Newhouse's AMZN, $1,001-$15,000 bought 2022-03-08; Amazon split 20-for-1 on
    # 2022-06-06. The adjusted closes carry the split, so the value moves with the price only.
    bought = close(demo_db, "AMZN", date(2022, 3, 8))
    before, after = (
        close(demo_db, "AMZN", date(2022, 6, 3)),
        close(demo_db, "AMZN", date(2022, 6, 6)),
    )
    assert (bought, before, after) == (136.0145, 122.35, 124.79)
    body = portfolio(web, member="N000189", ticker="AMZN")
    shares = 8000.5 / bought
    assert on(body, date(2022, 6, 3))["insider_mid"] == pytest.approx(shares * before, abs=0.005)
    assert on(body, date(2022, 6, 6))["insider_mid"] == pytest.approx(shares * after, abs=0.005)
    assert round(on(body, date(2022, 6, 6))["insider_mid"], 2) == 7340.26
    last = close(demo_db, "AMZN", LAST_DAY)
    assert on(body, LAST_DAY)["insider_mid"] == pytest.approx(shares * last, abs=0.005)


def test_a_members_precomputed_portfolio_equals_working_it_out_day_by_day(
    web: TestClient, demo_db: duckdb.DuckDBPyConnection
) -> None:
    trade_ids = [
        r[0]
        for r in demo_db.execute(
            "SELECT trade_id FROM marts.fct_portfolio_memberships WHERE portfolio_id = ?",
            [f"member:{WYDEN}"],
        ).fetchall()
    ]
    legs, closes, days = load(demo_db, trade_ids)
    assert len({leg.trade_id for leg in legs}) > 150  # buys, partial and full sales, splits
    body = portfolio(web, member=WYDEN)
    assert body["precomputed"] is True and body["label"] == "Ron Wyden"
    series = {p["date"]: p for p in body["series"]}
    for strategy in STRATEGIES:
        for level in LEVELS:
            worked = simulate(legs, closes, days, strategy, level)
            assert len(worked) == len(series)
            for day in worked:
                got = series[day.trading_day.isoformat()][f"{strategy}_{level}"]
                assert got == pytest.approx(day.value, abs=0.005), (strategy, level, day)
    # The same trades chosen by name are computed on request, from the same SQL.
    by_name = portfolio(web, member="Wyden")
    assert by_name["precomputed"] is False
    assert by_name["series"][-1] == pytest.approx(body["series"][-1])


def test_the_daily_series_downloads_as_csv_and_a_bad_filter_is_refused(web: TestClient) -> None:
    answer = web.get("/api/portfolio.csv", params={"member": WYDEN})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {"date", "public_low", "public_mid", "public_high", "insider_mid", "benchmark"} <= set(
        rows[0]
    )
    assert rows[-1]["date"] == LAST_DAY.isoformat()
    assert web.get("/api/portfolio", params={"party": "X"}).status_code == 422
    assert web.get("/api/portfolios", params={"sort": "nope"}).status_code == 422


def test_the_ranking_lists_every_kind_with_its_counts(web: TestClient) -> None:
    body = web.get("/api/portfolios", params={"page_size": 500}).json()
    kinds = {item["kind"] for item in body["items"]}
    assert kinds == {"all", "member", "party", "chamber", "committee"}
    returns = [i["public_mid"] for i in body["items"] if i["public_mid"] is not None]
    assert returns == sorted(returns, reverse=True)
    for item in body["items"]:
        assert item["priced_trades"] >= 5 and item["unpriced_trades"] >= 0
    parties = web.get("/api/portfolios", params={"kind": "party"}).json()["items"]
    assert {p["label"] for p in parties} == {"Democrats", "Republicans", "Independents"}


def test_the_member_page_draws_the_band_and_the_ranking_sorts(
    demo_home: Path, page: Any, screenshot_dir: Path
) -> None:
    with serve_in_thread(create_web_app(Settings(home=demo_home))) as url:
        page.goto(f"{url}/members/{WYDEN}")
        canvas = page.locator("canvas#chart-portfolio")
        canvas.wait_for()
        page.wait_for_function("document.querySelector('#chart-portfolio').dataset.drawn")
        bands = page.evaluate(
            """() => document.querySelector('#chart-portfolio').chart.data.datasets.map(
                   d => ({label: d.label, fill: d.fill, n: d.data.length}))"""
        )
        band = next(d for d in bands if d["label"] == "Public copy, band range")
        assert band["fill"] == "-1" and band["n"] > 500  # shaded down to the floor's line
        assert {d["label"] for d in bands} >= {
            "Public copy (midpoint)",
            "Member's own timing (midpoint)",
        }
        page.screenshot(path=str(screenshot_dir / "member-portfolio.png"), full_page=True)

        page.goto(f"{url}/portfolios")
        header = page.locator("#portfolio-ranking th a", has_text="Unpriced")
        header.click()
        page.wait_for_url("**sort=-unpriced_trades**")
        cells = page.locator("#portfolio-ranking td[data-label='Unpriced']").all_inner_texts()
        values = [int(v) for v in cells]
        assert values == sorted(values, reverse=True) and len(values) > 10
        page.locator("#portfolio-ranking th a", has_text="Unpriced").click()
        page.wait_for_url("**sort=unpriced_trades**")
        values = [
            int(v)
            for v in page.locator("#portfolio-ranking td[data-label='Unpriced']").all_inner_texts()
        ]
        assert values == sorted(values)


def test_a_named_portfolio_missing_from_the_marts_is_computed_on_request(
    demo_home: Path, tmp_path: Path
) -> None:
    # "All of Congress" names no key; a warehouse without it precomputed still answers it.
    snapshot = tmp_path / "snapshot.duckdb"
    shutil.copyfile(served_path(demo_home / "warehouse.duckdb"), snapshot)
    con = duckdb.connect(str(snapshot))
    precomputed = portfolio_for(con, TradeFilters())
    con.execute("DELETE FROM marts.fct_portfolio_memberships WHERE portfolio_id = 'all'")
    computed = portfolio_for(con, TradeFilters())
    con.close()
    assert precomputed.precomputed and not computed.precomputed
    assert (computed.portfolio_id, computed.kind, computed.key) == ("all", "all", None)
    assert computed.series[-1].public_mid == pytest.approx(precomputed.series[-1].public_mid)
