"""HTTP for The Guardian's content search (``GET /search``; the key travels as ``api-key``).

The key is a query parameter. `HttpClient`'s redaction knows ``key=``/``apikey=`` but not the
hyphenated ``api-key=``, so this client scrubs it from the URL it hands on (the landing manifest
keeps URLs) and from errors itself. Guardian's public developer key is ``test`` (rate-limited,
fine for the demo and a first run).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from pydantic import SecretStr

from stockyard.sources.guardian.parse import GuardianPage, parse_search_page
from stockyard.sources.http import Fetched, HttpClient, SourceError

SEARCH_PATH = "/search"
# The API allows page-size up to 50 (200 on some tiers); 50 keeps pages few for every key.
PAGE_SIZE = 50
# A broken server that never reports its last page must not loop us.
MAX_PAGES = 200
_API_KEY_PARAM = re.compile(r"(?i)([?&]api-key=)[^&#\s]+")


def scrub_key(text: str) -> str:
    """Hide the ``api-key`` query parameter (HttpClient's redaction misses the hyphen)."""
    return _API_KEY_PARAM.sub(r"\1***", text)


class GuardianClient:
    def __init__(self, http: HttpClient, api_key: SecretStr) -> None:
        if not api_key.get_secret_value():
            raise ValueError("guardian: an API key is required (STOCKYARD_GUARDIAN__API_KEY)")
        self.http = http
        self._api_key = api_key

    def search_page(
        self,
        query: str,
        *,
        from_time: datetime | None,
        page: int,
        page_size: int,
        section: str | None = None,
    ) -> Fetched:
        """One page (1-based) of articles matching ``query``, newest first.

        ``from_time`` is sent as Guardian's ``from-date`` (a UTC date: the API's granularity);
        callers drop the articles of that day they already hold.
        """
        params = {
            "api-key": self._api_key.get_secret_value(),
            "q": query,
            "page": str(page),
            "page-size": str(page_size),
            "order-by": "newest",
            "show-fields": "trailText",
        }
        if from_time is not None:
            params["from-date"] = from_time.astimezone(UTC).date().isoformat()
        if section:
            params["section"] = section
        try:
            fetched = self.http.get(SEARCH_PATH, params=params)
        except SourceError as exc:
            message = str(exc).removeprefix(f"{exc.source}: ").removesuffix(f" ({exc.url})")
            raise type(exc)(
                exc.source, scrub_key(exc.url), scrub_key(message), status=exc.status
            ) from None
        return dataclasses.replace(fetched, url=scrub_key(fetched.url))

    def iter_pages(
        self,
        query: str,
        *,
        from_time: datetime | None,
        page_size: int = PAGE_SIZE,
        section: str | None = None,
        max_pages: int = MAX_PAGES,
    ) -> Iterator[tuple[Fetched, GuardianPage]]:
        """Every page up to the last one the API reports (``pages``), each fetched and parsed.

        Stops early once a page holds only articles older than ``from_time`` (results are newest
        first, so later pages can only be older). Raises `GuardianFormatError` for an unreadable
        page: the caller keeps what earlier pages gave.
        """
        page = 1
        while True:
            fetched = self.search_page(
                query, from_time=from_time, page=page, page_size=page_size, section=section
            )
            parsed = parse_search_page(fetched.content)
            yield fetched, parsed
            if page >= parsed.pages or not parsed.articles:
                return
            if from_time is not None and all(a.published_at < from_time for a in parsed.articles):
                return
            if page >= max_pages:
                raise SourceError(
                    self.http.source,
                    SEARCH_PATH,
                    f"{query!r}: still {parsed.pages} pages after {max_pages}; stopping. Narrow "
                    "the query or raise news.max_pages",
                )
            page += 1
