"""Guardian polling through the real client against the HTTP replay server: watermark, failures."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from stockyard.config import SourceSettings
from stockyard.replay import Fault, ReplayServer
from stockyard.sources.guardian import GuardianClient
from stockyard.sources.http import HttpClient
from stockyard.stream.events import NewsEvent
from stockyard.stream.news import GuardianPoller
from stockyard.stream.watchlist import WatchList

pytestmark = pytest.mark.integration


def test_poller_publishes_each_article_once_per_term(bars_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "replay"
    (root / "guardian").mkdir(parents=True)
    # The recorded search answers every query (the replay server ignores q).
    shutil.copyfile(
        bars_dir / "news" / "guardian_search_2014-09-10.json", root / "guardian" / "search"
    )
    published: list[NewsEvent] = []

    async def publish(events: Sequence[NewsEvent]) -> None:
        published.extend(events)

    async def run(server: ReplayServer) -> tuple[int, int, int, int]:
        settings = SourceSettings(base_url=server.base_url("guardian"), max_retries=1)
        http = HttpClient("guardian", settings, backoff_base=0.01)
        watch = WatchList(["AAPL"], ["Apple"])
        poller = GuardianPoller(
            GuardianClient(http, SecretStr("k")),
            watch,
            publish,
            started_at=datetime(2014, 9, 10, 16, 0, tzinfo=UTC),
        )
        try:
            first = await poller.poll_once()  # articles after 16:00 (7 of the 10)
            again = await poller.poll_once()  # the watermark holds: nothing new
            server.inject(Fault("status", path="/guardian/search", status=503, times=2))
            failed = await poller.poll_once()  # counted and logged, not raised
            watch.update(add_terms=["Carney"])
            new_term = await poller.poll_once()  # a new term starts from the start time
        finally:
            http.close()
        assert poller.failures == 1
        return first, again, failed, new_term

    with ReplayServer(root) as server:
        counts = asyncio.run(asyncio.wait_for(run(server), 30))
    assert counts == (7, 0, 0, 7)
    assert {e.term for e in published} == {"Apple", "Carney"}
    apple = [e for e in published if e.term == "Apple"]
    assert [e.published_ms for e in apple] == sorted(e.published_ms for e in apple)
    assert len({e.id for e in apple}) == 7
