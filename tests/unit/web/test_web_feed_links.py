"""Every page that lists trades links the Atom feed of those trades (in its head and its tools),
and, where the server takes follows, a Follow form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from stockyard.alerts.store import AlertStore
from stockyard.config import AlertsSettings, Settings
from stockyard.web import create_web_app


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/trades?party=D&sort=-amount&page=1", "/feeds/trades.atom?party=D"),
        ("/members/P000197", "/feeds/trades.atom?member=P000197"),
        ("/tickers/NVDA?tx_type=P", "/feeds/trades.atom?tx_type=P&ticker=NVDA"),
        ("/states/CA", "/feeds/trades.atom?state=CA"),
        ("/committees/SSAP", "/feeds/trades.atom?committee=SSAP"),
    ],
)
def test_a_trades_page_links_its_feed(web: TestClient, page: str, feed: str) -> None:
    html = web.get(page).text
    head = re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', html
    )
    assert head is not None and head.group(1).replace("&amp;", "&") == feed
    assert f'href="{feed.replace("&", "&amp;")}"' in html.split("<main", 1)[1]
    parsed = feedparser.parse(web.get(feed).content)
    assert parsed.version == "atom10" and not parsed.bozo
    assert parsed.entries, f"{feed} has no entries"


@pytest.fixture
def web_with_alerts(warehouse_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        home=tmp_path, warehouse_path=warehouse_path, alerts=AlertsSettings(token=SecretStr("t0k"))
    )
    with TestClient(create_web_app(settings)) as client:
        yield client


def test_the_follow_form_shows_only_where_the_server_takes_follows(
    web: TestClient, web_with_alerts: TestClient
) -> None:
    assert 'action="/follows"' not in web.get("/members/P000197").text
    for page in ("/members/P000197", "/tickers/NVDA", "/states/CA", "/committees/SSAP"):
        assert 'action="/follows"' in web_with_alerts.get(page).text, page


def test_the_follow_form_makes_a_follow_and_shows_its_secret_once(
    web_with_alerts: TestClient, tmp_path: Path
) -> None:
    form = {
        "member": "P000197",
        "back": "/members/P000197",
        "channel": "webhook",
        "target": "https://example.org/hook",
        "digest": "daily",  # ignored for a webhook
        "min_amount": "$15,001",
        "token": "t0k",
    }
    made = web_with_alerts.post("/follows", data=form)
    assert made.status_code == 200 and 'data-testid="follow-created"' in made.text
    [follow] = AlertStore(tmp_path / "alerts.sqlite3").follows()
    assert (follow.filter.member, follow.filter.min_amount) == ("P000197", 15001)
    assert follow.secret in made.text

    refused = web_with_alerts.post(
        "/follows", data={**form, "token": "wrong"}, follow_redirects=False
    )
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/members/P000197?follow_message=Not%20followed")
    shown = web_with_alerts.get(refused.headers["location"]).text
    assert "Not followed: wrong or missing token" in shown
    elsewhere = web_with_alerts.post(
        "/follows",
        data={**form, "token": "wrong", "back": "//evil.example"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"].startswith("/?")  # never an open redirect
