"""States, committees, tickers, filings and the overview over the seeded warehouse."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient


def test_states_total_trades_per_state_and_sort(client: TestClient) -> None:
    body = client.get("/api/states", params={"sort": "-trade_count"}).json()
    by_state = {row["state"]: row for row in body["items"]}
    # Collins (ME) has 6 current trades; every row counts the current trades only.
    assert by_state["ME"]["trade_count"] == 6
    assert by_state["ME"]["members"] == 1
    counts = [row["trade_count"] for row in body["items"]]
    assert counts == sorted(counts, reverse=True)
    assert body["total"] == len(body["items"])


def test_state_detail_lists_its_members_and_links_its_trades(client: TestClient) -> None:
    body = client.get("/api/states/ca").json()
    assert body["summary"]["state"] == "CA"
    assert [m["bioguide_id"] for m in body["members"]] == ["P000197"]
    assert body["trades_url"] == "/api/trades?state=CA"


def test_state_errors_are_404_and_422(client: TestClient) -> None:
    assert client.get("/api/states/ZZ").status_code == 404
    bad = client.get("/api/states/CAL")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["param"] == "state"


def test_committees_list_top_level_unless_asked(client: TestClient) -> None:
    top = client.get("/api/committees").json()
    ids = {row["committee_id"] for row in top["items"]}
    assert "SSFI" in ids and "SSBK04" not in ids
    finance = next(row for row in top["items"] if row["committee_id"] == "SSFI")
    # Warner (4 current trades) and Wyden (3) sit on Finance.
    assert (finance["members"], finance["traders"], finance["trade_count"]) == (2, 2, 7)
    everything = client.get("/api/committees", params={"include_subcommittees": "true"}).json()
    assert "SSBK04" in {row["committee_id"] for row in everything["items"]}


def test_committee_detail_has_seats_subcommittees_and_jurisdiction(client: TestClient) -> None:
    body = client.get("/api/committees/ssbk").json()
    assert body["summary"]["committee_name"].startswith("Senate Committee on Banking")
    assert [s["committee_id"] for s in body["subcommittees"]] == ["SSBK04"]
    assert [s["bioguide_id"] for s in body["seats"]] == ["W000805"]
    finance = client.get("/api/committees/SSFI").json()
    assert finance["jurisdiction"].startswith("Taxation")
    titles = {s["bioguide_id"]: s["title"] for s in finance["seats"]}
    assert titles == {"W000779": "Ranking Member", "W000805": None}
    assert client.get("/api/committees/NOPE").status_code == 404


def test_trades_filter_by_committee(client: TestClient) -> None:
    body = client.get("/api/trades", params={"committee": "SSFI"}).json()
    assert {row["bioguide_id"] for row in body["items"]} == {"W000805", "W000779"}
    assert body["total"] == 7


def test_tickers_search_by_prefix_or_name(client: TestClient) -> None:
    assert [r["ticker"] for r in client.get("/api/tickers?q=nv").json()["items"]] == ["NVDA"]
    names = client.get("/api/tickers", params={"q": "costco"}).json()["items"]
    assert [(r["ticker"], r["trade_count"], r["purchases"], r["sales"]) for r in names] == [
        ("COST", 2, 1, 1)
    ]


def test_ticker_detail_has_bars_and_trade_markers(client: TestClient) -> None:
    body = client.get("/api/tickers/nvda").json()
    assert body["has_price_data"] is True
    assert len(body["bars"]) == 44
    markers = {m["trade_id"]: m for m in body["markers"]}
    assert set(markers) == {"t12", "t18", "t24", "t25"}
    assert markers["t18"]["member_name"] == "Pat Roberts"
    assert markers["t18"]["tx_type"] == "S"
    assert client.get("/api/tickers/ZZZZ").status_code == 404


@pytest.mark.parametrize(
    ("status", "expected"),
    [("amended", {"20021889"}), ("needs_ocr", {"20020101"}), ("quarantined", {"20022260"})],
)
def test_filings_filter_on_shown_status(
    client: TestClient, status: str, expected: set[str]
) -> None:
    body = client.get("/api/filings", params={"status": status}).json()
    assert {row["filing_id"] for row in body["items"]} == expected
    assert all(row["display_status"] == status for row in body["items"])


def test_filing_detail_shows_rows_quarantine_and_document(client: TestClient) -> None:
    body = client.get("/api/filings/20022260").json()
    assert body["filing"]["source_url"].endswith("/2023/20022260.pdf")
    assert [t["trade_id"] for t in body["trades"]] == ["t23", "t21", "t22"]
    assert body["quarantined"][0]["reason"] == "unreadable amount column"
    # An amended filing still shows what it said (its rows are superseded).
    amended = client.get("/api/filings/20021889").json()
    assert [(t["trade_id"], t["is_current"]) for t in amended["trades"]] == [("t29", False)]


def test_overview_figures(client: TestClient) -> None:
    body = client.get("/api/overview").json()
    assert body["data_through"] == "2026-05-05"
    assert body["latest"][0]["filing_id"] == "20033327"
    trades = client.get("/api/trades", params={"page_size": 500}).json()["items"]
    lags = [t["lag_days"] for t in trades if t["lag_days"] is not None and t["lag_days"] >= 0]
    assert body["lag"]["trades_with_lag"] == len(lags)
    assert body["lag"]["late_trades"] == sum(1 for lag in lags if lag > 45)
    assert sum(b["trades"] for b in body["lag"]["histogram"]) == len(lags)
    assert {flow["party"] for flow in body["party_flows"]} <= {"D", "R", "?"}


def test_member_profile_has_seats_lag_and_performance(client: TestClient) -> None:
    warner = client.get("/api/members/W000805").json()
    seats = {s["committee_id"]: s for s in warner["committee_seats"]}
    assert seats["SSBK04"]["parent_committee_id"] == "SSBK"
    assert seats["SSBK04"]["title"] == "Ranking Member"
    assert warner["performance"] is None
    pelosi = client.get("/api/members/P000197").json()
    assert pelosi["performance"]["benchmark"] == "SPY"
    assert pelosi["performance"]["median_excess_30d"] == pytest.approx(0.031)
    assert pelosi["est_volume"] > 0


def test_csv_twins_carry_the_same_rows(client: TestClient) -> None:
    for path, key in (
        ("/api/states", "state"),
        ("/api/committees", "committee_id"),
        ("/api/tickers", "ticker"),
        ("/api/filings", "filing_id"),
        ("/api/members", "bioguide_id"),
    ):
        page = client.get(path, params={"page_size": 500}).json()
        response = client.get(f"{path}.csv")
        assert response.headers["content-type"].startswith("text/csv"), path
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [row[key] for row in rows] == [item[key] for item in page["items"]], path


def test_trade_exports_csv_and_parquet_match_the_filter(client: TestClient, tmp_path: Path) -> None:
    params = {"chamber": "senate", "tx_type": "S"}
    total = client.get("/api/trades", params=params).json()["total"]
    as_csv = client.get("/api/trades.csv", params=params)
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == total and {row["chamber"] for row in rows} == {"senate"}
    parquet = client.get("/api/export/trades.parquet", params=params)
    assert parquet.content[:4] == b"PAR1"
    target = tmp_path / "trades.parquet"
    target.write_bytes(parquet.content)
    con = duckdb.connect()
    try:
        count = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchone()
    finally:
        con.close()
    assert count == (total,)


def test_listings_reject_bad_parameters_with_the_error_shape(client: TestClient) -> None:
    for path, params in (
        ("/api/tickers", {"sort": "price"}),
        ("/api/filings", {"status": "lost"}),
        ("/api/filings", {"date_from": "2024-02-01", "date_to": "2024-01-01"}),
        ("/api/committees", {"page": "0"}),
        ("/api/states", {"chamber": "both"}),
    ):
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        body = response.json()
        assert body["message"].startswith("invalid parameters: ")
        assert body["detail"][0]["param"] in params


def test_a_committees_seats_and_a_states_members_sort_on_request(client: TestClient) -> None:
    by_rank = client.get("/api/committees/SSFI").json()["seats"]
    by_state = client.get("/api/committees/SSFI", params={"members_sort": "-state"}).json()
    members = client.get("/api/states/CA", params={"members_sort": "name"})
    bad = client.get("/api/committees/SSFI", params={"members_sort": "salary"})
    assert [s["rank"] for s in by_rank] == sorted(s["rank"] for s in by_rank)
    states = [s["state"] for s in by_state["seats"]]
    assert states == sorted(states, reverse=True) and states != [s["state"] for s in by_rank]
    assert members.status_code == 200
    assert bad.status_code == 422
    assert "choose one of" in bad.text and "last_trade_date" in bad.text


def test_a_committees_seats_download_as_csv_in_the_pages_order(client: TestClient) -> None:
    answer = client.get("/api/committees/SSFI/seats.csv", params={"members_sort": "-state"})
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert [r["state"] for r in rows] == ["VA", "OR"]
    assert client.get("/api/committees/NOPE/seats.csv").status_code == 404
    assert client.get("/api/committees/SSFI/seats.csv?members_sort=x").status_code == 422


def test_a_states_members_download_as_csv_like_its_roster(client: TestClient) -> None:
    roster = client.get("/api/states/CA").json()["members"]
    answer = client.get("/api/states/ca/members.csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["bioguide_id"] for r in rows] == [m["bioguide_id"] for m in roster] == ["P000197"]
    assert client.get("/api/states/ZZ/members.csv").status_code == 404
