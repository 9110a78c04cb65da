"""BenzingaClient against the replay server: paging, stop rules, and the token kept secret."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from stockyard.config import SourceSettings
from stockyard.replay import SAMPLE_ROOT, Fault, LoggedRequest, ReplayServer
from stockyard.sources.benzinga import BenzingaClient, parse_trades
from stockyard.sources.http import HttpClient, SourceError

TOKEN = "sk-live-DO-NOT-LEAK-0123456789"
ENDPOINT = "/benzinga/api/v1/gov/usa/congress/trades"


def _logged(server: ReplayServer, expected: int) -> list[LoggedRequest]:
    """The request log once it holds `expected` entries.

    The replay server appends to its log just after answering, so the last request of a run can
    show up a moment after the client already has its response.
    """
    deadline = time.monotonic() + 2.0
    while len(server.requests) < expected and time.monotonic() < deadline:
        time.sleep(0.005)
    return list(server.requests)


def _client(server: ReplayServer, max_retries: int = 0) -> BenzingaClient:
    settings = SourceSettings(
        base_url=server.base_url("benzinga"), rate_per_second=500, burst=50, max_retries=max_retries
    )
    return BenzingaClient(HttpClient("benzinga", settings, backoff_base=0.01), SecretStr(TOKEN))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer(SAMPLE_ROOT) as replay:
        yield replay


def test_pages_until_empty(server: ReplayServer) -> None:
    pages = list(_client(server).iter_pages(date(2024, 12, 11)))
    assert len(pages) == 1
    assert parse_trades(pages[0].content).documents[0].doc_id == "20026376"
    queries = [r.query for r in _logged(server, 2)]
    assert len(queries) == 2 and "page=0" in queries[0] and "page=1" in queries[1]
    assert all(f"token={TOKEN}" in q and "date=2024-12-11" in q for q in queries)
    # What we keep and log is redacted.
    assert TOKEN not in pages[0].url and "token=***" in pages[0].url


def test_a_day_without_trades(server: ReplayServer) -> None:
    assert list(_client(server).iter_pages(date(2024, 12, 12))) == []
    assert [r.path for r in _logged(server, 1)] == [ENDPOINT]


def test_a_repeating_page_stops(tmp_path: Path) -> None:
    root = tmp_path / "benzinga"
    root.mkdir()
    (root / "same.json").write_text('{"data": [{"id": "x"}]}')
    routes = [{"method": "GET", "path": "/api/v1/gov/usa/congress/trades", "file": "same.json"}]
    (root / "_routes.json").write_text(json.dumps(routes))
    with ReplayServer(tmp_path) as replay:
        assert len(list(_client(replay).iter_pages(date(2024, 12, 11)))) == 1
        assert [r.path for r in _logged(replay, 2)] == [ENDPOINT, ENDPOINT]


@pytest.mark.parametrize("status", [401, 503])
def test_errors_never_show_the_token(server: ReplayServer, status: int) -> None:
    server.inject(Fault(kind="status", path=ENDPOINT, status=status, times=5))
    with pytest.raises(SourceError) as caught:
        list(_client(server, max_retries=1).iter_pages(date(2024, 12, 11)))
    assert TOKEN not in str(caught.value) and TOKEN not in caught.value.url
    assert "token=***" in caught.value.url


def test_a_key_is_required(server: ReplayServer) -> None:
    settings = SourceSettings(base_url=server.base_url("benzinga"))
    with pytest.raises(ValueError, match="API key"):
        BenzingaClient(HttpClient("benzinga", settings), SecretStr(""))
