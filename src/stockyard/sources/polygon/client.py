"""HTTP for Polygon.io's REST API (the key travels as the ``apiKey`` query parameter).

Every method returns the raw `Fetched` answer (bytes for the landing zone); `parse.py` turns it into
records. The key is part of every URL, so it is only ever handed to `HttpClient`, which redacts URLs
in ``Fetched.url`` and in its errors; this module never puts a URL with the key or the key itself
into a message. httpx itself logs every request URL at INFO, key included; the shared client in `sources/http.py`
puts a redacting filter on the ``httpx`` logger for every source.

Ticker pages follow Polygon's ``next_url``. Only its path and query (the ``cursor``) are used: the
request goes to the configured base URL (so the replay server and a proxy work, and the key is never
sent to a host that ``next_url`` names), with ``apiKey`` added back. Paging stops when there is no
``next_url``; a cursor that comes back a second time stops it too, with `RepeatedCursorError` once
the pages so far were yielded: the listing is cut short, and a caller must not take it as complete.
At `MAX_PAGES` it gives up with a `SourceError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from pydantic import SecretStr

from stockyard.sources.http import Fetched, HttpClient, SourceError
from stockyard.sources.polygon.parse import PolygonFormatError, load_body

GROUPED_DAILY_PATH = "/v2/aggs/grouped/locale/us/market/stocks/{day}"
RANGE_BARS_PATH = "/v2/aggs/ticker/{ticker}/range/1/day/{start}/{end}"
MINUTE_BARS_PATH = "/v2/aggs/ticker/{ticker}/range/1/minute/{start}/{end}"
OPEN_CLOSE_PATH = "/v1/open-close/{ticker}/{day}"
MARKET_STATUS_PATH = "/v1/marketstatus/now"
UPCOMING_HOLIDAYS_PATH = "/v1/marketstatus/upcoming"
TICKERS_PATH = "/v3/reference/tickers"
TICKER_DETAILS_PATH = "/v3/reference/tickers/{ticker}"
# Polygon's maximum; a day bar range never comes near it, so one request covers any range.
RANGE_LIMIT = 50_000
TICKERS_PAGE_LIMIT = 1000
# ~12k active US stock tickers plus delisted ones at 1000 a page is well under this.
MAX_PAGES = 1000


class RepeatedCursorError(PolygonFormatError):
    """The server handed back a cursor we already followed: paging stopped, listing incomplete."""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _ticker(ticker: str) -> str:
    """A ticker as one path segment (``BRK.B`` stays, a ``/`` cannot escape the segment)."""
    cleaned = ticker.strip()
    if not cleaned:
        raise ValueError("polygon: empty ticker")
    return quote(cleaned, safe=".:-")


class PolygonClient:
    def __init__(self, http: HttpClient, api_key: SecretStr) -> None:
        if not api_key.get_secret_value():
            raise ValueError("polygon: an API key is required (STOCKYARD_POLYGON__API_KEY)")
        self.http = http
        self._api_key = api_key

    def _get(self, path: str, params: dict[str, str] | None = None) -> Fetched:
        query: dict[str, Any] = dict(params or {})
        query["apiKey"] = self._api_key.get_secret_value()
        return self.http.get(path, params=query)

    # -- get_*: one answer each -------------------------------------------------------------
    def grouped_daily(self, day: date, adjusted: bool = True) -> Fetched:
        """Every US stock's daily bar for ``day`` (empty on a holiday)."""
        path = GROUPED_DAILY_PATH.format(day=day.isoformat())
        return self._get(path, {"adjusted": _flag(adjusted)})

    def range_bars(self, ticker: str, start: date, end: date, adjusted: bool = True) -> Fetched:
        """Daily bars of ``ticker`` from ``start`` to ``end`` (both inclusive), oldest first."""
        if end < start:
            raise ValueError(f"polygon: range ends ({end}) before it starts ({start})")
        path = RANGE_BARS_PATH.format(
            ticker=_ticker(ticker), start=start.isoformat(), end=end.isoformat()
        )
        params = {"adjusted": _flag(adjusted), "sort": "asc", "limit": str(RANGE_LIMIT)}
        return self._get(path, params)

    def minute_bars(
        self, ticker: str, start_ms: int, end_ms: int, adjusted: bool = True
    ) -> Fetched:
        """Minute bars of ``ticker`` starting from ``start_ms`` to ``end_ms`` (epoch ms, both
        inclusive), oldest first: what the websocket missed while it was away."""
        if end_ms < start_ms:
            raise ValueError(f"polygon: range ends ({end_ms}) before it starts ({start_ms})")
        path = MINUTE_BARS_PATH.format(ticker=_ticker(ticker), start=start_ms, end=end_ms)
        params = {"adjusted": _flag(adjusted), "sort": "asc", "limit": str(RANGE_LIMIT)}
        return self._get(path, params)

    def open_close(self, ticker: str, day: date, adjusted: bool = True) -> Fetched:
        """One ticker's open, close, pre-market and after-hours prices for ``day``."""
        path = OPEN_CLOSE_PATH.format(ticker=_ticker(ticker), day=day.isoformat())
        return self._get(path, {"adjusted": _flag(adjusted)})

    def ticker_details(self, ticker: str) -> Fetched:
        """One ticker's overview: name, CIK and industry (SIC code and description).

        An unknown ticker answers HTTP 404, raised as `NotFoundError` like any 404."""
        return self._get(TICKER_DETAILS_PATH.format(ticker=_ticker(ticker)))

    def market_status(self) -> Fetched:
        return self._get(MARKET_STATUS_PATH)

    def upcoming_holidays(self) -> Fetched:
        return self._get(UPCOMING_HOLIDAYS_PATH)

    # -- list_*: a lazy iterator over pages -------------------------------------------------
    def iter_ticker_pages(
        self, active: bool | None, limit: int = TICKERS_PAGE_LIMIT, market: str | None = "stocks"
    ) -> Iterator[Fetched]:
        """Pages of `/v3/reference/tickers`; ``active=None`` asks for active and delisted alike."""
        params: dict[str, str] = {"limit": str(limit)}
        if active is not None:
            params["active"] = _flag(active)
        if market:
            params["market"] = market
        path = TICKERS_PATH
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            fetched = self._get(path, params)
            yield fetched
            next_url = _next_url(fetched)
            if next_url is None:
                return
            path, params = _follow(next_url)
            cursor = params.get("cursor", "")
            if cursor in seen:
                # Stop, never loop; and say so, since the pages after this one were never seen.
                raise RepeatedCursorError(
                    f"polygon tickers: next_url repeats a cursor already followed after "
                    f"{len(seen) + 1} pages; stopped paging, the listing is incomplete"
                )
            seen.add(cursor)
        raise SourceError(
            self.http.source, TICKERS_PATH, f"still paging after {MAX_PAGES} pages; stopping"
        )


def _next_url(fetched: Fetched) -> str | None:
    next_url = load_body(fetched.content, "tickers").get("next_url")
    if next_url is None or next_url == "":
        return None
    if not isinstance(next_url, str):
        raise PolygonFormatError(f"polygon tickers: next_url is {type(next_url).__name__}")
    return next_url


def _follow(next_url: str) -> tuple[str, dict[str, str]]:
    """``next_url`` → (path, params) for our own base URL; the host it names is ignored."""
    parts = urlsplit(next_url)
    if parts.path.rstrip("/") != TICKERS_PATH:
        raise PolygonFormatError(
            f"polygon tickers: next_url points at {parts.path!r}, not {TICKERS_PATH}"
        )
    params = {
        key: value
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() != "apikey"  # ours is added back by `_get`; never forward one we were sent
    }
    if not params.get("cursor"):
        raise PolygonFormatError("polygon tickers: next_url carries no cursor")
    return TICKERS_PATH, params
