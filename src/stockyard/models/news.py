"""News articles as every layer sees them: The Guardian's search results, Alpha Vantage's feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class TickerSentiment:
    """A provider's own link from an article to a ticker (Alpha Vantage ``ticker_sentiment``)."""

    ticker: str
    relevance_score: float | None
    sentiment_score: float | None
    sentiment_label: str | None


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``id`` is the provider's own (Guardian content id; AV has none: its URL).

    ``published_at`` is always timezone-aware UTC; ``source`` names the provider we read it from
    (``guardian`` or ``alphavantage``), ``publisher`` who wrote it when that differs (AV's feed).
    """

    id: str
    web_url: str
    title: str
    section: str | None
    published_at: datetime
    trail_text: str | None
    source: str
    publisher: str | None = None
    sentiment_score: float | None = None
    sentiment_label: str | None = None
    tickers: tuple[TickerSentiment, ...] = ()

    def __post_init__(self) -> None:
        if self.published_at.tzinfo is None:
            raise ValueError(f"article {self.id}: published_at must be timezone-aware")
