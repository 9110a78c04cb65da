"""Guardian search pages and Alpha Vantage feeds (real recorded responses) → typed articles."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.alphavantage import (
    AlphaVantageFormatError,
    AlphaVantageLimitError,
    parse_news_sentiment,
)
from stockyard.sources.guardian import GuardianFormatError, parse_search_page

GUARDIAN = SAMPLE_ROOT / "guardian" / "search"
AV = SAMPLE_ROOT / "alphavantage" / "query"


def _read(path_gz: Path) -> bytes:
    return gzip.decompress(path_gz.read_bytes())


def test_guardian_page_gives_typed_articles_and_its_position() -> None:
    page = parse_search_page(_read(GUARDIAN / "page-1.json.gz"))
    assert (page.page, page.pages, len(page.articles), page.rejects) == (1, 3, 10, [])
    first = page.articles[0]
    assert first.id == "sport/live/2023/apr/02/england-v-italy-womens-six-nations-live"
    assert first.published_at == datetime(2023, 4, 2, 14, 3, 14, tzinfo=UTC)
    assert first.section == "sport" and first.source == "guardian"
    assert first.web_url.startswith("https://www.theguardian.com/")


def test_guardian_trail_text_is_plain_text() -> None:
    page = parse_search_page(_read(GUARDIAN / "page-3.json.gz"))
    trails = [a.trail_text for a in page.articles if a.trail_text]
    assert trails and not any("<" in t for t in trails)


def test_guardian_result_without_a_date_is_rejected_with_the_reason() -> None:
    body = json.loads(_read(GUARDIAN / "page-1.json.gz"))
    del body["response"]["results"][3]["webPublicationDate"]
    page = parse_search_page(json.dumps(body).encode())
    assert len(page.articles) == 9
    [reject] = page.rejects
    assert reject.record_ref == "page 1 result 3" and "webPublicationDate" in reject.reason


def test_guardian_truncated_answer_raises() -> None:
    whole = _read(GUARDIAN / "page-2.json.gz")
    with pytest.raises(GuardianFormatError, match="truncated"):
        parse_search_page(whole[: len(whole) // 2])


def test_alphavantage_mixed_string_and_number_scores_are_floats() -> None:
    raw = json.loads(_read(AV / "news_sentiment_tickers-AAPL_2024-07-22.json.gz"))
    first = raw["feed"][0]
    # As recorded: the overall score is a JSON number, the per-ticker scores are strings.
    assert isinstance(first["overall_sentiment_score"], float)
    assert isinstance(first["ticker_sentiment"][0]["ticker_sentiment_score"], str)
    page = parse_news_sentiment(json.dumps(raw).encode())
    assert len(page.articles) == 50 and page.rejects == []
    article = page.articles[0]
    assert article.sentiment_score == pytest.approx(0.189324)
    apple = next(t for t in article.tickers if t.ticker == "AAPL")
    assert apple.relevance_score == pytest.approx(0.729067)
    assert apple.sentiment_score == pytest.approx(0.341964)
    assert apple.sentiment_label == "Somewhat-Bullish"
    assert all(
        isinstance(t.sentiment_score, float) and isinstance(t.relevance_score, float)
        for a in page.articles
        for t in a.tickers
    )
    assert article.published_at == datetime(2024, 7, 22, 14, 57, 14, tzinfo=UTC)
    assert article.publisher == "Benzinga" and article.id == article.web_url


def test_alphavantage_unreadable_score_rejects_only_its_article() -> None:
    raw = json.loads(_read(AV / "news_sentiment_latest_2024-07-16.json.gz"))
    raw["feed"][5]["ticker_sentiment"][0]["ticker_sentiment_score"] = "n/a"
    page = parse_news_sentiment(json.dumps(raw).encode())
    assert len(page.articles) == 49
    [reject] = page.rejects
    assert reject.record_ref == "feed item 5" and "'n/a'" in reject.reason


def test_alphavantage_note_instead_of_a_feed_is_a_limit_error() -> None:
    # Alpha Vantage answers a spent quota with HTTP 200 and a note (shape per its docs).
    note = b'{"Information": "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day."}'
    with pytest.raises(AlphaVantageLimitError, match="rate limit"):
        parse_news_sentiment(note)
    with pytest.raises(AlphaVantageFormatError, match="no 'feed'"):
        parse_news_sentiment(b'{"items": "0"}')
