"""Alpha Vantage ``NEWS_SENTIMENT``: client and parser (per-ticker sentiment, typed scores)."""

from stockyard.sources.alphavantage.client import QUERY_PATH, AlphaVantageClient
from stockyard.sources.alphavantage.parse import (
    PARSER_VERSION,
    AlphaVantageFormatError,
    AlphaVantageLimitError,
    NewsSentimentPage,
    parse_news_sentiment,
)

__all__ = [
    "PARSER_VERSION",
    "QUERY_PATH",
    "AlphaVantageClient",
    "AlphaVantageFormatError",
    "AlphaVantageLimitError",
    "NewsSentimentPage",
    "parse_news_sentiment",
]
