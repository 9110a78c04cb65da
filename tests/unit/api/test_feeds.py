"""Atom feeds of trades: valid Atom 1.0 as a feed reader parses it, filtered like /api/trades."""

from __future__ import annotations

import feedparser
from fastapi.testclient import TestClient


def _parse(client: TestClient, query: str = "") -> feedparser.FeedParserDict:
    response = client.get(f"/feeds/trades.atom{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_a_member_feed_is_atom_with_one_stable_entry_per_trade(client: TestClient) -> None:
    parsed = _parse(client, "?member=P000197")
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == 7 and len(set(ids)) == 7
    assert all(i.startswith("urn:stockyard:trade:t2") for i in ids)
    assert parsed.feed.title == "Stockyard: congressional trades (member=P000197)"
    newest = parsed.entries[0]  # newest filing first: 20022260, filed 2023-01-04
    assert newest.id in {"urn:stockyard:trade:t21", "urn:stockyard:trade:t22",
                         "urn:stockyard:trade:t23"}  # fmt: skip
    assert newest.link.endswith("/filings/20022260")
    assert "Band $500,001–$1,000,000" in newest.summary
    assert newest.author == "Nancy Pelosi"
    assert 'href="http://127.0.0.1:8000/members/P000197"' in newest.content[0].value
    assert newest.updated.startswith("2023-01-04")  # no versions recorded here: the filing date
    assert _parse(client, "?member=P000197").entries[0].id == newest.id  # stable


def test_a_feed_takes_the_trade_filters_and_refuses_a_bad_one(client: TestClient) -> None:
    nvda = _parse(client, "?ticker=NVDA&tx_type=P")
    assert {e.title for e in nvda.entries} >= {"Nancy Pelosi bought NVDA ($500,001–$1,000,000)"}
    assert all("NVDA" in e.title and "bought" in e.title for e in nvda.entries)
    assert client.get("/feeds/trades.atom?state=California").status_code == 422
    assert client.get("/feeds/trades.atom?sort=-nonsense").status_code == 422
    assert _parse(client, "?state=WY").entries == []  # a good filter with no trades: empty
