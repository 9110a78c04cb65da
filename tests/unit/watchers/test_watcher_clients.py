"""The watcher clients against the replay server serving the bundled files."""

from __future__ import annotations

import gzip

from stockyard.config import SourceSettings
from stockyard.replay import SAMPLE_ROOT, ReplayServer
from stockyard.sources.http import HttpClient
from stockyard.sources.watchers import (
    HouseWatcherClient,
    SenateWatcherClient,
    parse_house_watcher,
    parse_senate_watcher,
)


def _http(server: ReplayServer, source: str) -> HttpClient:
    settings = SourceSettings(base_url=server.base_url(source), rate_per_second=500, burst=50)
    return HttpClient(source, settings, backoff_base=0.01)


def test_both_aggregates_download_and_parse() -> None:
    with ReplayServer(SAMPLE_ROOT) as server:
        house = HouseWatcherClient(_http(server, "house_watcher")).all_transactions()
        senate = SenateWatcherClient(_http(server, "senate_watcher")).all_daily_summaries()
    assert house.url.endswith("/house_watcher/data/all_transactions.json")
    assert senate.url.endswith("/senate_watcher/aggregate/all_daily_summaries.json")
    assert house.content == gzip.decompress(
        (SAMPLE_ROOT / "house_watcher/data/all_transactions.json.gz").read_bytes()
    )
    assert len(parse_house_watcher(house.content).documents) == 832
    assert len(parse_senate_watcher(senate.content).documents) == 1442
