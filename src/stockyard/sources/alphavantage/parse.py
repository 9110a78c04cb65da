"""Parse one ``NEWS_SENTIMENT`` answer: ``{items, sentiment_score_definition, feed: [...]}``.

Scores arrive mixed: ``overall_sentiment_score`` is a JSON number while ``relevance_score`` and
``ticker_sentiment_score`` are strings ("0.341964"). Every score is typed to a float here; one
that is neither a number nor numeric text rejects its article with the reason.
``time_published`` (``20240722T145714``) carries no zone; Alpha Vantage's times are UTC (they
match the publishers' own UTC stamps, e.g. Benzinga's), so they are read as UTC.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from stockyard.models import QuarantineRecord
from stockyard.models.news import Article, TickerSentiment

SOURCE = "alphavantage"
DATASET = "news_sentiment"
PARSER_VERSION = "alphavantage.news_sentiment/1"
# Answers that are not a feed: a rate-limit or premium note, or an error message.
_NOTE_KEYS = ("Note", "Information", "Error Message")


class AlphaVantageFormatError(ValueError):
    """The answer is not a NEWS_SENTIMENT feed at all (truncated, an HTML error page…)."""


class AlphaVantageLimitError(AlphaVantageFormatError):
    """Alpha Vantage answered with a note instead of data (rate limit, bad key, premium only)."""


@dataclass(slots=True)
class NewsSentimentPage:
    articles: list[Article] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)


def score(value: Any, name: str) -> float | None:
    """A score sent as a number or as numeric text → float; absent → None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} is a boolean, not a score: {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"{name} is not a number: {value!r}") from None
    else:
        raise ValueError(f"{name} is not a number: {value!r}")
    if not math.isfinite(number):
        raise ValueError(f"{name} is not finite: {value!r}")
    return number


def parse_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"time_published missing or not text: {value!r}")
    for pattern in ("%Y%m%dT%H%M%S", "%Y%m%dT%H%M"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(f"unreadable time_published {value!r}")


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} missing or empty")
    return value.strip()


def _optional_text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _ticker_sentiment(entry: Any) -> TickerSentiment:
    if not isinstance(entry, dict):
        raise ValueError("ticker_sentiment entry is not an object")
    ticker = _text(entry, "ticker").upper()
    return TickerSentiment(
        ticker=ticker,
        relevance_score=score(entry.get("relevance_score"), f"{ticker} relevance_score"),
        sentiment_score=score(
            entry.get("ticker_sentiment_score"), f"{ticker} ticker_sentiment_score"
        ),
        sentiment_label=_optional_text(entry, "ticker_sentiment_label"),
    )


def _unique_tickers(links: Iterable[TickerSentiment]) -> list[TickerSentiment]:
    """One link per ticker: a repeated ticker keeps its first (most relevant listed) entry."""
    seen: dict[str, TickerSentiment] = {}
    for link in links:
        seen.setdefault(link.ticker, link)
    return list(seen.values())


def _article(item: dict[str, Any]) -> Article:
    url = _text(item, "url")
    sentiments = item.get("ticker_sentiment") or []
    if not isinstance(sentiments, list):
        raise ValueError("ticker_sentiment is not a list")
    topics = item.get("topics") or []
    first_topic = topics[0].get("topic") if topics and isinstance(topics[0], dict) else None
    return Article(
        id=url,  # the feed has no id; an article's URL is what identifies it across queries
        web_url=url,
        title=_text(item, "title"),
        section=_optional_text(item, "category_within_source")
        or (first_topic if isinstance(first_topic, str) else None),
        published_at=parse_time(item.get("time_published")),
        trail_text=_optional_text(item, "summary"),
        source=SOURCE,
        publisher=_optional_text(item, "source"),
        sentiment_score=score(item.get("overall_sentiment_score"), "overall_sentiment_score"),
        sentiment_label=_optional_text(item, "overall_sentiment_label"),
        tickers=tuple(_unique_tickers(_ticker_sentiment(entry) for entry in sentiments)),
    )


def parse_news_sentiment(content: bytes) -> NewsSentimentPage:
    """One answer → typed articles and the rejects (each with its feed index and reason)."""
    try:
        body = json.loads(content)
    except ValueError as exc:
        raise AlphaVantageFormatError(
            f"alphavantage news: not valid JSON (truncated?): {exc}"
        ) from None
    if not isinstance(body, dict):
        raise AlphaVantageFormatError("alphavantage news: answer is not a JSON object")
    for key in _NOTE_KEYS:
        if key in body and "feed" not in body:
            raise AlphaVantageLimitError(
                f"alphavantage news: {key}: {str(body[key])[:200]!r}. Wait for the limit to "
                "reset or check STOCKYARD_ALPHAVANTAGE__API_KEY"
            )
    feed = body.get("feed")
    if not isinstance(feed, list):
        raise AlphaVantageFormatError("alphavantage news: answer has no 'feed' list")
    page = NewsSentimentPage()
    for index, item in enumerate(feed):
        try:
            if not isinstance(item, dict):
                raise ValueError("feed item is not an object")
            page.articles.append(_article(item))
        except ValueError as exc:
            page.rejects.append(
                QuarantineRecord(
                    source=SOURCE,
                    dataset=DATASET,
                    reason=str(exc),
                    record_ref=f"feed item {index}",
                    payload=json.dumps(item, sort_keys=True)[:2000],
                )
            )
    return page
