"""The Guardian and Alpha Vantage clients against the replay server (real recorded answers)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from stockyard.config import SourceSettings
from stockyard.replay import ReplayServer
from stockyard.replay.server import Fault
from stockyard.sources.alphavantage import AlphaVantageClient, parse_news_sentiment
from stockyard.sources.guardian import GuardianClient
from stockyard.sources.http import HttpClient, SourceError

KEY = "gu-secret-0123456789"


def _http(replay: ReplayServer, source: str) -> HttpClient:
    settings = SourceSettings(
        base_url=replay.base_url(source), rate_per_second=1000, burst=100, max_retries=1
    )
    return HttpClient(source, settings, backoff_base=0.01)


def _queries(replay: ReplayServer, glob: str) -> list[dict[str, list[str]]]:
    return [parse_qs(r.query) for r in replay.requests if r.path.endswith(glob)]


def test_guardian_pages_to_the_last_page_with_query_section_and_page_size(
    replay: ReplayServer,
) -> None:
    client = GuardianClient(_http(replay, "guardian"), SecretStr(KEY))
    pages = list(
        client.iter_pages("stock market", from_time=None, page_size=10, section="business")
    )
    assert [page.page for _, page in pages] == [1, 2, 3]
    assert pages[-1][1].pages == 3
    sent = _queries(replay, "/search")
    assert [q["page"] for q in sent] == [["1"], ["2"], ["3"]]
    assert all(q["q"] == ["stock market"] and q["section"] == ["business"] for q in sent)
    assert all(q["page-size"] == ["10"] and q["order-by"] == ["newest"] for q in sent)
    # The key is sent, but never kept in the URL we land with the payload.
    assert sent[0]["api-key"] == [KEY]
    assert all(KEY not in fetched.url for fetched, _ in pages)


def test_guardian_stops_once_a_page_is_older_than_the_watermark(replay: ReplayServer) -> None:
    client = GuardianClient(_http(replay, "guardian"), SecretStr(KEY))
    # Page 1's newest article is 2023-04-02 14:03 UTC: everything on it is older than this.
    watermark = datetime(2023, 4, 2, 15, 0, tzinfo=UTC)
    pages = list(client.iter_pages("stock market", from_time=watermark, page_size=10))
    assert [page.page for _, page in pages] == [1]
    assert _queries(replay, "/search")[0]["from-date"] == ["2023-04-02"]


def test_guardian_error_text_never_carries_the_key(replay: ReplayServer) -> None:
    replay.inject(Fault("status", path="/guardian/search", status=403))
    client = GuardianClient(_http(replay, "guardian"), SecretStr(KEY))
    with pytest.raises(SourceError) as raised:
        client.search_page("stock market", from_time=None, page=1, page_size=10)
    assert raised.value.status == 403
    assert KEY not in str(raised.value) and KEY not in raised.value.url


def test_alphavantage_asks_per_ticker_since_the_watermark(replay: ReplayServer) -> None:
    client = AlphaVantageClient(_http(replay, "alphavantage"), SecretStr(KEY))
    fetched = client.news_sentiment(
        tickers="AAPL", time_from=datetime(2024, 7, 18, 9, 30, tzinfo=UTC)
    )
    page = parse_news_sentiment(fetched.content)
    assert all(any(t.ticker == "AAPL" for t in a.tickers) for a in page.articles)
    [sent] = _queries(replay, "/query")
    assert sent["function"] == ["NEWS_SENTIMENT"] and sent["time_from"] == ["20240718T0930"]
    assert KEY not in fetched.url
