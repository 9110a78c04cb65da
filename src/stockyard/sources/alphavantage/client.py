"""HTTP for Alpha Vantage's ``NEWS_SENTIMENT`` (``GET /query?function=NEWS_SENTIMENT``).

The key travels as ``apikey``, which `HttpClient` redacts from URLs and errors. Alpha Vantage
answers rate limits and bad keys with HTTP 200 and a JSON note; the parser turns those into
`AlphaVantageLimitError` so they are never mistaken for an empty feed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import SecretStr

from stockyard.sources.http import Fetched, HttpClient

QUERY_PATH = "/query"
# The most NEWS_SENTIMENT returns per call.
MAX_LIMIT = 1000


class AlphaVantageClient:
    def __init__(self, http: HttpClient, api_key: SecretStr) -> None:
        if not api_key.get_secret_value():
            raise ValueError(
                "alphavantage: an API key is required (STOCKYARD_ALPHAVANTAGE__API_KEY)"
            )
        self.http = http
        self._api_key = api_key

    def news_sentiment(
        self,
        *,
        tickers: str | None = None,
        topics: str | None = None,
        time_from: datetime | None = None,
        limit: int = 50,
    ) -> Fetched:
        """The newest articles (``sort=LATEST``) for ``tickers`` and/or ``topics``, since ``time_from``."""
        params = {
            "function": "NEWS_SENTIMENT",
            "apikey": self._api_key.get_secret_value(),
            "sort": "LATEST",
            "limit": str(min(limit, MAX_LIMIT)),
        }
        if tickers:
            params["tickers"] = tickers
        if topics:
            params["topics"] = topics
        if time_from is not None:
            params["time_from"] = time_from.astimezone(UTC).strftime("%Y%m%dT%H%M")
        return self.http.get(QUERY_PATH, params=params)
