"""The watched tickers and news terms, changed while running (the Live page's control form).

The websocket client re-subscribes from it and the news poller reads it; both wait on
`changed()` rather than polling.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

TICKER = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")


class WatchList:
    def __init__(self, tickers: Iterable[str] = (), terms: Iterable[str] = ()) -> None:
        self.tickers: list[str] = sorted({normalise_ticker(t) for t in tickers})
        self.terms: list[str] = sorted({t.strip() for t in terms if t.strip()})
        self.version = 0
        self._changed = asyncio.Event()

    def update(
        self,
        *,
        add_tickers: Iterable[str] = (),
        remove_tickers: Iterable[str] = (),
        add_terms: Iterable[str] = (),
        remove_terms: Iterable[str] = (),
    ) -> bool:
        """Apply a change; returns whether anything changed. Bad tickers raise ``ValueError``."""
        tickers = set(self.tickers) | {normalise_ticker(t) for t in add_tickers}
        tickers -= {t.strip().upper() for t in remove_tickers}
        terms = set(self.terms) | {t.strip() for t in add_terms if t.strip()}
        terms -= {t.strip() for t in remove_terms}
        if sorted(tickers) == self.tickers and sorted(terms) == self.terms:
            return False
        self.tickers, self.terms = sorted(tickers), sorted(terms)
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()
        return True

    def replace(self, tickers: Iterable[str], terms: Iterable[str]) -> bool:
        """Set both lists (another process's change); returns whether anything changed."""
        tickers, terms = list(tickers), list(terms)
        return self.update(
            add_tickers=tickers,
            remove_tickers=set(self.tickers) - {t.strip().upper() for t in tickers},
            add_terms=terms,
            remove_terms=set(self.terms) - {t.strip() for t in terms},
        )

    async def changed(self, since_version: int) -> int:
        """Wait until the version moves past ``since_version``; returns the new version."""
        while self.version == since_version:
            await self._changed.wait()
        return self.version

    def as_dict(self) -> dict[str, object]:
        return {"tickers": self.tickers, "terms": self.terms, "version": self.version}


def normalise_ticker(text: str) -> str:
    ticker = text.strip().upper()
    if not TICKER.match(ticker):
        raise ValueError(
            f"{text!r} is not a ticker symbol: use 1-10 letters, digits, '.' or '-' (e.g. AAPL)"
        )
    return ticker
