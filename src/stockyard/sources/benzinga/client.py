"""HTTP for Benzinga's government trades API (a paid vendor; the key travels as ``token``).

The key is a query parameter, so it would be part of every URL: `HttpClient` redacts URLs in
``Fetched.url`` and in its errors, and this client never puts a URL or the key in a message itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import orjson
from pydantic import SecretStr

from stockyard.sources.http import Fetched, HttpClient, SourceError

TRADES_PATH = "/api/v1/gov/usa/congress/trades"
PAGE_SIZE = 100
# Benzinga pages are small; a day never has this many. A cap keeps a broken server from looping us.
MAX_PAGES = 1000


class BenzingaClient:
    def __init__(self, http: HttpClient, api_key: SecretStr) -> None:
        if not api_key.get_secret_value():
            raise ValueError("benzinga: an API key is required (STOCKYARD_BENZINGA__API_KEY)")
        self.http = http
        self._api_key = api_key

    def trades(self, day: date, page: int = 0, pagesize: int = PAGE_SIZE) -> Fetched:
        """One page of trades Benzinga recorded for ``day``."""
        params = {
            "token": self._api_key.get_secret_value(),
            "date": day.isoformat(),
            "page": str(page),
            "pagesize": str(pagesize),
        }
        return self.http.get(TRADES_PATH, params=params)

    def iter_pages(self, day: date, pagesize: int = PAGE_SIZE) -> Iterator[Fetched]:
        """Pages for ``day`` until an empty page, a page equal to the previous one, or the cap."""
        previous: bytes | None = None
        for page in range(MAX_PAGES):
            fetched = self.trades(day, page, pagesize)
            if _is_empty(fetched) or fetched.content == previous:
                return
            previous = fetched.content
            yield fetched
        raise SourceError(
            self.http.source,
            TRADES_PATH,
            f"still returning data after {MAX_PAGES} pages for {day.isoformat()}; stopping",
        )


def _is_empty(fetched: Fetched) -> bool:
    """True for ``{"data": []}`` or ``{}``; anything unreadable is left for the parser to report."""
    try:
        body = orjson.loads(fetched.content)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(body, dict):
        return False
    return body == {} or body.get("data") == []
