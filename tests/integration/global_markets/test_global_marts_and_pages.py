"""The audited NSE and news marts, their JSON/CSV endpoints and the /nse and /news pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.warehouse.db import connect
from stockyard.web.app import create_web_app
from support.global_markets import GlobalBuild

pytestmark = pytest.mark.integration


@pytest.fixture
def marts(global_build: GlobalBuild) -> duckdb.DuckDBPyConnection:
    assert global_build.wap.passed, global_build.wap.failures
    return duckdb.connect(str(global_build.warehouse), read_only=True)


def test_audit_passes_and_reports_the_format_cross_check_as_a_warning(
    global_build: GlobalBuild,
) -> None:
    wap = global_build.wap
    assert wap.passed and wap.published is not None
    for table in ("fct_nse_daily", "nse_top_movers", "nse_breadth", "fct_news", "fct_news_tickers"):
        assert wap.published.tables[table] > 0, table
    [warning] = [f for f in wap.failures if "nse_formats_agree" in f.test_name]
    assert warning.status == "warn" and warning.failing_rows == 61


def test_fct_nse_daily_is_one_row_per_security_day_in_inr(marts: duckdb.DuckDBPyConnection) -> None:
    row = marts.execute(
        "SELECT close_inr, turnover_inr, delivery_pct, isin, file_format, formats_agree "
        "FROM marts.fct_nse_daily WHERE symbol = 'RELIANCE' AND series = 'EQ' "
        "AND trade_date = DATE '2021-06-04'"
    ).fetchone()
    assert row == (
        2190.5,
        pytest.approx(14_674_474_000.0),
        41.5,
        "INE002A01018",
        "bhavcopy_full",
        True,
    )
    days = marts.execute("SELECT count(DISTINCT trade_date) FROM marts.fct_nse_daily").fetchone()
    assert days == (10,)


def test_the_cross_check_names_what_only_one_format_lists(marts: duckdb.DuckDBPyConnection) -> None:
    reasons = marts.execute(
        "SELECT mismatch_reason, count(*) FROM marts.nse_format_mismatches GROUP BY ALL"
    ).fetchall()
    assert reasons == [("only in the legacy file", 61)]
    kept = marts.execute(
        "SELECT file_format FROM marts.fct_nse_daily WHERE symbol = 'CREATIVEYE' "
        "AND trade_date = DATE '2021-05-31'"
    ).fetchone()
    assert kept == ("bhavcopy_legacy",)  # missing from the full file, kept from the legacy one


def test_movers_breadth_and_series_turnover(marts: duckdb.DuckDBPyConnection) -> None:
    breadth = marts.execute(
        "SELECT advances, declines, unchanged FROM marts.nse_breadth WHERE trade_date = '2021-06-04'"
    ).fetchone()
    assert breadth == (861, 694, 32)
    movers = marts.execute(
        "SELECT direction, count(*), min(change_pct), max(change_pct) FROM marts.nse_top_movers "
        "WHERE trade_date = '2024-01-05' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert [(d, n) for d, n, _, _ in movers] == [("gainer", 10), ("loser", 10)]
    assert movers[0][2] > 0 and movers[1][3] < 0
    # NESTLEIND's 1:10 split shows as -90% against the old close: not a "loser".
    split = marts.execute(
        "SELECT likely_corporate_action FROM marts.fct_nse_daily WHERE symbol = 'NESTLEIND' "
        "AND series = 'EQ' AND trade_date = '2024-01-05'"
    ).fetchone()
    assert split == (True,)
    assert "NESTLEIND" not in {
        r[0] for r in marts.execute("SELECT symbol FROM marts.nse_top_movers").fetchall()
    }
    share = marts.execute(
        "SELECT round(sum(share_of_day_pct), 2) FROM marts.nse_turnover_by_series "
        "WHERE trade_date = '2024-01-05'"
    ).fetchone()
    assert share == (100.0,)


def test_fct_news_links_tickers(marts: duckdb.DuckDBPyConnection) -> None:
    by_provider = dict(
        marts.execute("SELECT provider, count(*) FROM marts.fct_news GROUP BY 1").fetchall()
    )
    assert by_provider == {"guardian": 30, "alphavantage": 99}
    apple = marts.execute(
        "SELECT count(*) FROM marts.fct_news WHERE list_contains(tickers, 'AAPL')"
    ).fetchone()
    assert apple is not None and apple[0] >= 50
    methods = {
        r[0]
        for r in marts.execute("SELECT DISTINCT link_method FROM marts.fct_news_tickers").fetchall()
    }
    assert {"provider_sentiment", "exchange_mention"} <= methods


def test_nse_api_day_movers_breadth_and_csv(web: TestClient) -> None:
    latest = web.get("/api/nse/daily").json()
    assert latest["trade_date"] == "2024-01-05" and latest["currency"] == "INR"
    assert len(latest["gainers"]) == 10 and latest["breadth"]["advances"] == 880
    saturday = web.get("/api/nse/daily", params={"date": "2021-06-05"}).json()
    assert saturday["trade_date"] == "2021-06-04"  # no file on a Saturday: the day before
    assert saturday["format_mismatches"] == 12  # securities only the legacy file lists
    response = web.get("/api/nse/daily.csv", params={"date": "2021-06-04", "series": "eq"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["series"] for r in rows} == {"EQ"}
    assert "turnover_inr" in rows[0] and "close_inr" in rows[0]
    assert web.get("/api/nse/daily", params={"date": "yesterday"}).status_code == 422
    assert web.get("/api/nse/daily.csv", params={"date": "2000-01-03"}).status_code == 404


def test_news_api_filters_pages_and_csv(web: TestClient) -> None:
    apple = web.get("/api/news", params={"ticker": "aapl", "page_size": 20}).json()
    assert apple["total"] >= 50 and len(apple["items"]) == 20
    assert all("AAPL" in item["tickers"] for item in apple["items"])
    newest_first = [item["published_at"] for item in apple["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    page_two = web.get("/api/news", params={"ticker": "AAPL", "page_size": 20, "page": 2}).json()
    assert {i["article_id"] for i in page_two["items"]}.isdisjoint(
        i["article_id"] for i in apple["items"]
    )
    dated = web.get(
        "/api/news",
        params={"date_from": "2023-04-02", "date_to": "2023-04-02", "provider": "guardian"},
    ).json()
    assert dated["total"] == 10 and all(
        i["published_at"].startswith("2023-04-02") for i in dated["items"]
    )
    term = web.get("/api/news", params={"q": "nick candy"}).json()
    assert term["total"] == 1
    response = web.get("/api/news.csv", params={"ticker": "AAPL"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == apple["total"] and "AAPL" in rows[0]["tickers"].split()
    bad = web.get("/api/news", params={"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert bad.status_code == 422 and "swap them" in bad.text


def test_nse_and_news_pages_render_the_data(web: TestClient) -> None:
    page = web.get("/nse", params={"date": "2021-06-04"})
    assert page.status_code == 200
    assert 'data-testid="gainers"' in page.text and "INR" in page.text
    assert "861</strong> advanced" in page.text
    news = web.get("/news", params={"ticker": "AAPL"})
    assert news.status_code == 200 and 'data-testid="news"' in news.text
    assert "Apple Adjusts Hollywood Approach" in news.text


def test_pages_explain_what_to_run_before_nse_or_news_exist(tmp_path: Path) -> None:
    # A warehouse published before NSE and news were added: trade marts only.
    path = tmp_path / "warehouse.duckdb"
    con = connect(path)
    con.execute("CREATE TABLE marts.fct_trades AS SELECT 1 AS trade_id")
    con.execute("CREATE TABLE marts.dim_members AS SELECT 1 AS bioguide_id")
    con.close()
    settings = Settings(home=tmp_path, warehouse_path=path)
    with TestClient(create_web_app(settings)) as client:
        assert "No NSE data has been published yet" in client.get("/nse").text
        assert "No news has been published yet" in client.get("/news").text
        assert client.get("/api/nse/daily").json()["available"] is False
        assert client.get("/api/news").json()["total"] == 0
