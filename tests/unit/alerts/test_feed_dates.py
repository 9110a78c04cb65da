"""A feed entry's `updated` is when its trade's current version was published."""

from __future__ import annotations

from pathlib import Path

import feedparser
from fastapi.testclient import TestClient

from stockyard.api import create_app
from stockyard.config import Settings
from support.alerts import Published


def test_a_feed_entry_is_dated_by_the_publish_of_its_current_version(
    tmp_path: Path, published: Published
) -> None:
    published.publish()  # every trade, at T0 + 1 h
    published.con.execute("UPDATE marts.fct_trades SET amount_max = 2000000 WHERE trade_id = 't24'")
    published.publish()  # t24 amended, at T0 + 2 h
    published.con.close()
    settings = Settings(home=tmp_path, warehouse_path=tmp_path / "warehouse.duckdb")
    with TestClient(create_app(settings)) as client:
        feed = feedparser.parse(client.get("/feeds/trades.atom?member=P000197").content)
    updated = {e.id.rsplit(":", 1)[1]: e.updated for e in feed.entries}
    assert updated["t24"] == Published.at(2).isoformat()
    assert updated["t25"] == Published.at(1).isoformat()
    assert feed.feed.updated == Published.at(2).isoformat()
