"""Every page that lists trades links the Atom feed of those trades, in its head and its tools."""

from __future__ import annotations

import re

import feedparser
import pytest
from fastapi.testclient import TestClient


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
