"""Review corrections from the web: the JSON API and the filing page's form, both guarded by the
review token, both writing to the review store (its own SQLite file) and never to the warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from stockyard.config import Settings
from stockyard.warehouse.db import ensure_schema
from stockyard.warehouse.review import add_correction, list_corrections, sync_review_corrections
from stockyard.warehouse.review_store import ReviewStore
from stockyard.web import create_web_app

FILING = "20019331"  # a seeded Pelosi PTR; its row 3 is a Slack exchange on 2021-07-22
TOKEN = "correct horse"
FIX = {
    "row_position": 3,
    "field": "tx_date",
    "value": "2021-07-21",
    "reviewer": "A. Reviewer",
    "note": "checked against page 2",
}


@pytest.fixture
def settings(warehouse_path: Path, tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, warehouse_path=warehouse_path, review_token=SecretStr(TOKEN))


@pytest.fixture
def reviewer(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_web_app(settings)) as client:
        yield client


def test_the_api_refuses_without_the_token_and_records_with_it(
    reviewer: TestClient, settings: Settings, warehouse_path: Path
) -> None:
    url = f"/api/filings/{FILING}/corrections"
    assert reviewer.post(url, json=FIX).status_code == 401
    assert reviewer.post(url, json=FIX, headers={"X-Stockyard-Token": "guess"}).status_code == 401
    headers = {"X-Stockyard-Token": TOKEN}
    assert reviewer.post(url, json=FIX | {"field": "color"}, headers=headers).status_code == 422
    bad_date = reviewer.post(url, json=FIX | {"value": "18/06/2021"}, headers=headers)
    assert bad_date.status_code == 422 and "YYYY-MM-DD" in bad_date.json()["detail"]
    assert reviewer.post(url, json=FIX | {"row_position": 99}, headers=headers).status_code == 404

    recorded = reviewer.post(url, json=FIX, headers=headers)
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert (body["old_value"], body["new_value"], body["applied"]) == (
        "2021-07-22",
        "2021-07-21",
        False,
    )
    assert body["reviewer"] == "A. Reviewer"
    # kept in the review store with who, when, old → new; the warehouse file is untouched
    stored = ReviewStore(settings.resolved_review_db_path).corrections(FILING)
    assert [(c.field, c.new_value, c.source, c.doc_id) for c in stored] == [
        ("tx_date", "2021-07-21", "house_clerk", FILING)
    ]
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.fct_trades").fetchone()
    finally:
        con.close()
    # the filing's JSON twin lists it, pending until the next publish
    twin = reviewer.get(f"/api/filings/{FILING}").json()
    assert [(c["field"], c["applied"]) for c in twin["corrections"]] == [("tx_date", False)]


def test_without_a_configured_token_corrections_are_off(
    warehouse_path: Path, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, warehouse_path=warehouse_path)
    with TestClient(create_web_app(settings)) as client:
        answer = client.post(
            f"/api/filings/{FILING}/corrections", json=FIX, headers={"X-Stockyard-Token": "x"}
        )
        assert answer.status_code == 403 and "STOCKYARD_REVIEW_TOKEN" in answer.json()["detail"]
        assert "Correct a row" not in client.get(f"/filings/{FILING}").text
    assert not settings.resolved_review_db_path.exists()


def _form(client: TestClient, **fields: str) -> str:
    answer = client.post(f"/filings/{FILING}/corrections", data=fields, follow_redirects=False)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == f"/filings/{FILING}"
    return parse_qs(location.query)["message"][0]


def test_the_filing_page_form_records_a_fix_and_shows_the_trail(reviewer: TestClient) -> None:
    page = reviewer.get(f"/filings/{FILING}").text
    assert "Correct a row" in page and 'name="token"' in page
    fields = {"row": "3", "field": "owner", "value": "JT", "reviewer": "A. Reviewer"}
    assert "wrong or missing token" in _form(reviewer, **fields, token="guess")
    assert "owner must be one of" in _form(reviewer, **fields | {"value": "spouse"}, token=TOKEN)
    message = _form(reviewer, **fields, token=TOKEN)
    assert message.startswith("Recorded: row 3 owner SP → JT") and "next publish" in message
    page = reviewer.get(f"/filings/{FILING}", params={"message": message}).text
    assert "Review trail" in page and "A. Reviewer" in page and "at the next publish" in page


def test_sync_copies_both_ways_once(tmp_path: Path, warehouse_path: Path) -> None:
    store = ReviewStore(tmp_path / "reviews.sqlite3")
    con = duckdb.connect(str(tmp_path / "copy.duckdb"))
    try:
        con.execute(f"ATTACH '{warehouse_path}' AS seed (READ_ONLY)")
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.fct_trades AS SELECT * FROM seed.marts.fct_trades")
        ensure_schema(con)
        # one correction made by an earlier Stockyard straight into the warehouse
        con.execute(
            "INSERT INTO raw.review_corrections VALUES ('old-1', 'house_clerk', ?, 3, 'owner', "
            "NULL, 'SP', 'Earlier Reviewer', TIMESTAMPTZ '2026-01-02 03:04:05+00', NULL)",
            [FILING],
        )
        add_correction(
            con, store, filing_id=FILING, row_position=3, field="tx_date",
            value="2021-07-21", reviewer="A. Reviewer",
        )  # fmt: skip
        assert sync_review_corrections(con, store) == (1, 1)
        assert sync_review_corrections(con, store) == (0, 0)
        rows = con.execute(
            "SELECT field, reviewer FROM raw.review_corrections ORDER BY reviewed_at"
        ).fetchall()
        assert rows == [("owner", "Earlier Reviewer"), ("tx_date", "A. Reviewer")]
        trail = list_corrections(con, store)
        assert [c.reviewer for c in trail] == ["A. Reviewer", "Earlier Reviewer"]  # newest first
        # the earlier correction is named by the filing id the marts use
        assert {c.filing_id for c in trail} == {FILING}
    finally:
        con.close()


def test_a_ticker_matched_from_the_name_is_shown_and_marked(
    warehouse_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "matched.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(f"ATTACH '{warehouse_path}' AS seed (READ_ONLY)")
        con.execute("COPY FROM DATABASE seed TO matched")
        # Warner's Halozyme line as a paper filing would give it: no ticker printed
        con.execute(
            "UPDATE marts.fct_trades SET ticker = NULL, ticker_method = 'learned_name', "
            "ticker_confidence = 0.85 WHERE trade_id = 't10'"
        )
    finally:
        con.close()
    with TestClient(create_web_app(Settings(home=tmp_path, warehouse_path=path))) as client:
        rows = client.get("/api/trades", params={"ticker": "HALO"}).json()["items"]
        assert [(r["ticker"], r["resolved_ticker"], r["ticker_method"]) for r in rows] == [
            (None, "HALO", "learned_name")
        ]
        page = client.get("/members/W000805").text
    assert 'class="ticker matched"' in page
    assert "The filing prints no ticker; matched by learned name, 85% confidence" in page
