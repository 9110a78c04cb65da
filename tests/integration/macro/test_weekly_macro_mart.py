"""The weekly macro marts built by dbt from the bundled real Treasury sample, checked by hand.

One warehouse per module (a dbt build costs ~20 s): the bundled Treasury pages (2020-01 → 2023-06)
loaded through the real connector from the replay server, real daily bars of two tickers for two
weeks, and three congressional trades. Then write-audit-publish, the API and the Macro page.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction
from stockyard.pipeline.ingest import treasury
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import SAMPLE_ROOT, ReplayServer
from stockyard.replay.sample import demo_source_overrides
from stockyard.sources.polygon.parse import DailyBar
from stockyard.warehouse.db import connect
from stockyard.warehouse.market import load_daily_bars
from stockyard.warehouse.raw import load_documents
from stockyard.warehouse.wap import WapResult, run_wap
from stockyard.web.app import create_web_app

pytestmark = pytest.mark.integration

BARS_FILE = SAMPLE_ROOT / "polygon" / "daily_bars.parquet"
JAN10, JAN17 = date(2020, 1, 10), date(2020, 1, 17)


def trade(row: int, tx_type: str, day: date, low: int, high: int | None) -> ParsedTransaction:
    return ParsedTransaction(
        asset_name="Apple Inc. common stock",
        ticker="AAPL",
        asset_type="ST",
        tx_type=tx_type,
        tx_date=day,
        notified_date=day,
        amount_min=low,
        amount_max=high,
        row=row,
        page=1,
    )


TRADES = ParsedDocument(
    doc_id="macro-test-1",
    source="senate_efd",
    status=DocStatus.PARSED,
    parser_version="senate_efd-1",
    filer_name="Ron L Wyden",
    filed_date=date(2020, 2, 1),
    transactions=[
        trade(0, "P", date(2020, 1, 8), 1_001, 15_000),
        trade(1, "S", date(2020, 1, 9), 15_001, 50_000),
        trade(2, "P", date(2020, 1, 15), 50_000_001, None),  # open-ended: counts its minimum
        trade(3, "E", date(2020, 1, 16), 1_001, 15_000),
    ],
)


def load_bars(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "SELECT ticker, day, open, high, low, close, volume FROM read_parquet(?) "
        "WHERE ticker IN ('AAPL', 'MSFT') AND day BETWEEN '2020-01-06' AND '2020-01-17'",
        [str(BARS_FILE)],
    ).fetchall()
    bars = [DailyBar(*row, vwap=None, transactions=None) for row in found]
    load_daily_bars(con, partition="macro-test", bars=bars, landing_path=None, adjusted=True)


@dataclass(frozen=True, slots=True)
class Built:
    home: Path
    wap: WapResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    home = tmp_path_factory.mktemp("macro")
    with ReplayServer([SAMPLE_ROOT]) as server:
        rt = Runtime(Settings(home=home, **demo_source_overrides(server.url)))
        for ds in treasury.DATASETS:
            run = treasury.run_dataset(rt, ds, today=date(2023, 7, 1))
            assert run.report.errors == [], run.report.errors
        rt.close()
    con = connect(home / "warehouse.duckdb")
    load_bars(con)
    load_documents(
        con, source="senate_efd", dataset="reports", partition="macro", documents=[(TRADES, "x")]
    )
    con.close()
    selection = ("--select", "+weekly_macro", "+macro_correlations", "+dim_members")
    wap = run_wap(
        home / "warehouse.duckdb",
        dbt_args=("build", *selection, "--indirect-selection", "cautious"),
    )
    return Built(home, wap)


@pytest.fixture
def con(built: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(built.home / "warehouse.duckdb", read_only=True)
    yield connection
    connection.close()


def week(con: duckdb.DuckDBPyConnection, week_end: date) -> dict[str, Any]:
    cursor = con.execute("SELECT * FROM marts.weekly_macro WHERE week_end = ?", [week_end])
    names = [d[0] for d in cursor.description]
    [row] = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def test_the_audit_passes_and_the_macro_marts_are_published(built: Built) -> None:
    assert built.wap.passed, [f.describe() for f in built.wap.failures]
    assert built.wap.published is not None
    assert built.wap.published.tables["weekly_macro"] == 183  # 2020-01-03 .. 2023-06-30
    assert "macro_correlations" in built.wap.published.tables


def test_two_weeks_recomputed_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    """The Daily Treasury Statements of 6–10 and 13–17 January 2020 (USD millions), by hand.

    Total deposits are each day's Federal Reserve Account deposit lines summed (the DTS of 2020
    has no total row); tax deposits are "Cash FTD's Received (Table IV)" + "Individual Income and
    Employment Taxes, Not Withheld"; refunds are the four IRS refund lines (business checks,
    business EFT, individual checks, individual EFT); the balance is Friday's closing balance.
    """
    million = 1_000_000
    first, second = week(con, JAN10), week(con, JAN17)
    assert (first["week_start"], first["treasury_days"]) == (date(2020, 1, 4), 5)
    assert first["total_deposits_usd"] == (25684 + 80902 + 15761 + 87669 + 13159) * million
    assert (
        first["tax_deposits_usd"]
        == ((20455 + 1453) + (3646 + 1011) + (8904 + 3427) + (3875 + 1066) + (9292 + 1233))
        * million
    )
    assert (
        first["refunds_usd"]
        == (
            (1 + 0 + 402 - 3)
            + (467 + 139 + 1 + 0)
            + (1 + 153 + 1 + 0)
            + (21 + 167 + 3 + 0)
            + (7 + 10 + 7 + 0)
        )
        * million
    )
    assert first["operating_cash_balance_usd"] == 342514 * million
    assert second["total_deposits_usd"] == (27208 + 91332 + 121471 + 108394 + 15449) * million
    assert (
        second["tax_deposits_usd"]
        == ((22499 + 2151) + (8641 + 4291) + (28255 + 7829) + (18388 + 3254) + (8861 + 3821))
        * million
    )
    assert (
        second["refunds_usd"]
        == (
            (48 + 3 + 4 + 0)
            + (363 + 153 + 7 + 0)
            + (4 + 34 + 1 + 0)
            + (27 + 5 + 10 + 0)
            + (16 + 1 + 5 + 0)
        )
        * million
    )
    assert second["operating_cash_balance_usd"] == 401053 * million
    # Real daily volumes (shares), AAPL then MSFT, Monday to Friday.
    assert first["stock_volume_shares"] == (
        118387200 + 108872000 + 132079200 + 170108400 + 140644800
    ) + (20813700 + 21634100 + 27746500 + 21385000 + 20725900)
    assert (first["stock_bar_count"], first["trading_days"]) == (10, 5)
    assert second["stock_volume_shares"] == (
        121532000 + 161954400 + 121923600 + 108829200 + 137816400
    ) + (21626500 + 23477400 + 21417900 + 23865400 + 34371700)
    # Trades: band midpoints, purchases +, sales −, exchanges 0, open-ended at its minimum.
    assert first["congress_trade_count"] == 2
    assert first["congress_est_flow_usd"] == (1_001 + 15_000) / 2 - (15_001 + 50_000) / 2
    assert first["congress_est_volume_usd"] == (1_001 + 15_000) / 2 + (15_001 + 50_000) / 2
    assert second["congress_trade_count"] == 2
    assert second["congress_est_flow_usd"] == 50_000_001
    assert second["congress_est_volume_usd"] == 50_000_001 + (1_001 + 15_000) / 2
    # No debt history is bundled (only one recorded debt_to_penny answer exists): NULL, not 0.
    assert first["debt_outstanding_usd"] is None and first["debt_change_usd"] is None


def test_weeks_without_bars_have_null_volume(con: duckdb.DuckDBPyConnection) -> None:
    assert week(con, date(2020, 1, 24))["stock_volume_shares"] is None


def test_correlations_match_a_second_computation(con: duckdb.DuckDBPyConnection) -> None:
    weeks = con.execute(
        "SELECT tax_deposits_usd, refunds_usd FROM marts.weekly_macro "
        "WHERE week_end > DATE '2023-06-30' - 13 * 7 ORDER BY week_end"
    ).fetchall()
    assert len(weeks) == 13
    [(n, r, start)] = con.execute(
        "SELECT n_observations, correlation, window_start FROM marts.macro_correlations "
        "WHERE week_end = '2023-06-30' AND window_weeks = 13 "
        "AND series_x = 'tax_deposits_usd' AND series_y = 'refunds_usd'"
    ).fetchall()
    assert (n, start) == (13, date(2023, 4, 7))
    expected = statistics.correlation([w[0] for w in weeks], [w[1] for w in weeks])
    assert r == pytest.approx(expected, abs=1e-9)


def test_too_few_observations_report_no_correlation(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "SELECT n_observations, correlation FROM marts.macro_correlations "
        "WHERE series_x = 'stock_volume_shares' AND series_y = 'tax_deposits_usd'"
    ).fetchall()
    assert max(n for n, _ in found) == 2  # only two weeks of bars
    assert all(r is None for _, r in found)


@pytest.fixture(scope="module")
def client(built: Built) -> TestClient:
    return TestClient(create_web_app(Settings(home=built.home)))


def test_weekly_api_filters_pages_and_states_units(client: TestClient) -> None:
    body = client.get(
        "/api/macro/weekly?date_from=2020-01-10&date_to=2020-01-31&page_size=2"
    ).json()
    assert body["total"] == 4 and body["page"] == 1 and len(body["items"]) == 2
    assert [i["week_end"] for i in body["items"]] == ["2020-01-10", "2020-01-17"]
    assert body["items"][0]["tax_deposits_usd"] == 54_362_000_000
    assert "millions of dollars" in body["units"]
    second = client.get(
        "/api/macro/weekly?date_from=2020-01-10&date_to=2020-01-31&page_size=2&page=2"
    )
    assert [i["week_end"] for i in second.json()["items"]] == ["2020-01-24", "2020-01-31"]
    bad = client.get("/api/macro/weekly?date_from=2020-02-01&date_to=2020-01-01")
    assert bad.status_code == 422


def test_weekly_csv_is_every_matching_week(client: TestClient) -> None:
    response = client.get("/api/macro/weekly.csv?date_from=2023-06-01")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0].startswith("week_end,week_start,treasury_days,total_deposits_usd")
    assert len(lines) == 1 + 5  # the five Fridays of June 2023


def test_correlations_api_names_window_and_n(client: TestClient) -> None:
    body = client.get("/api/macro/correlations?window_weeks=52").json()
    assert body["week_end"] == "2023-06-30" and body["min_observations"] == 10
    pair = next(i for i in body["items"] if i["series_y"] == "refunds_usd")
    assert pair["window_weeks"] == 52 and pair["n_observations"] == 52
    assert -1 <= pair["correlation"] <= 1
    csv = client.get("/api/macro/correlations.csv?week_end=2020-06-30")
    assert csv.status_code == 200 and "n_observations" in csv.text.splitlines()[0]


def test_the_macro_page_shows_chart_table_and_units(client: TestClient) -> None:
    page = client.get("/macro")
    assert page.status_code == 200
    html = page.text
    assert 'id="chart-treasury"' in html and "macro-chart-data" in html
    assert "chart.umd.min.js" in html
    assert 'data-testid="macro-correlations"' in html and "52 weeks" in html
    assert "millions of dollars" in html
    assert "/api/macro/weekly.csv" in html
    assert 'data-testid="macro-no-debt"' in html  # no debt history is bundled: said, not hidden
    empty = client.get("/macro?date_from=2030-01-01")
    assert empty.status_code == 200 and 'data-testid="macro-empty"' in empty.text
