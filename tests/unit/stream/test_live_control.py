"""The Live page's JSON twin and control API: token rules and live watch-list changes."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr

from stockyard.config import Settings
from stockyard.stream.events import BarSignal
from stockyard.stream.hub import LiveHub
from stockyard.stream.processor import Output
from stockyard.stream.watchlist import WatchList
from stockyard.web.app import create_web_app
from stockyard.web.live import attach_live

CHANGE = {"add_tickers": ["qqq"], "remove_terms": ["Tesla"]}


def client(tmp_path: Path, token: str | None) -> tuple[TestClient, WatchList, LiveHub]:
    app = create_web_app(Settings(home=tmp_path))
    hub, watch = LiveHub(), WatchList(["AAPL"], ["Apple", "Tesla"])
    attach_live(app, hub, watch, SecretStr(token) if token else None)
    return TestClient(app), watch, hub


def test_without_a_stream_the_page_says_how_to_start_one(tmp_path: Path) -> None:
    http = TestClient(create_web_app(Settings(home=tmp_path)))
    assert "stockyard stream --replay" in http.get("/live").text
    response = http.get("/api/live/watch")
    assert response.status_code == 503 and "stockyard stream" in response.json()["detail"]


def test_changes_need_the_right_token(tmp_path: Path) -> None:
    http, watch, _ = client(tmp_path, "s3cret")
    assert http.post("/api/live/watch", json=CHANGE).status_code == 401
    wrong = http.post("/api/live/watch", json=CHANGE, headers={"X-Stockyard-Token": "nope"})
    assert wrong.status_code == 401 and watch.version == 0
    ok = http.post("/api/live/watch", json=CHANGE, headers={"X-Stockyard-Token": "s3cret"})
    assert ok.json() == {"tickers": ["AAPL", "QQQ"], "terms": ["Apple"], "version": 1}
    bad = http.post(
        "/api/live/watch", json={"add_tickers": ["no way"]}, headers={"X-Stockyard-Token": "s3cret"}
    )
    assert bad.status_code == 422 and "not a ticker symbol" in bad.json()["detail"]


def test_without_a_configured_token_changes_are_off(tmp_path: Path) -> None:
    http, watch, _ = client(tmp_path, None)
    response = http.post("/api/live/watch", json=CHANGE, headers={"X-Stockyard-Token": ""})
    assert response.status_code == 403 and "STOCKYARD_STREAM__CONTROL_TOKEN" in response.text
    assert "Changes are off" in http.get("/live").text and watch.version == 0


def test_the_form_changes_the_list_and_the_snapshot_is_the_json_twin(tmp_path: Path) -> None:
    http, watch, hub = client(tmp_path, "s3cret")
    response = http.post(
        "/live/watch",
        content="token=s3cret&add_ticker=msft&add_term=Microsoft",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert "Watch list updated." in response.text and watch.tickers == ["AAPL", "MSFT"]
    hub.publish(Output([BarSignal("AAPL", 0, 60_000, 1, 1, 1, 1, 5, 1, 1, None, None, None, None)]))
    snapshot = http.get("/api/live/snapshot").json()
    assert snapshot["bars"]["AAPL"][0]["close"] == 1 and snapshot["watch"]["terms"] == [
        "Apple",
        "Microsoft",
        "Tesla",
    ]
