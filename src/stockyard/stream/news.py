"""News into the stream: Guardian polling with a publication-time watermark, or a recording.

`GuardianPoller` searches every watched term each ``news_poll_seconds`` (at once when the terms
change) and publishes only articles published after that term's watermark — the newest
publication time it has published — so a poll that overlaps the last one adds nothing twice.

A replay has no live news, so `ReplayNews` plays a recorded Guardian ``/search`` response whose
publication times are moved by a fixed offset onto the replayed session (``news/shift.json`` beside
the recording says by how much and why). An article is released once the bar clock (the newest
bar end the websocket client has seen) passes its shifted publication time, and only when a
watched news term appears in its title or trail text — what a ``q=<term>`` search would have
found among these results. Articles are keyed by that term on the bus.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import structlog
from prometheus_client import Counter

from stockyard.models.news import Article
from stockyard.sources.guardian import GuardianClient, GuardianFormatError, parse_search_page
from stockyard.sources.http import SourceError
from stockyard.stream.events import NewsEvent
from stockyard.stream.watchlist import WatchList

log = structlog.get_logger("stockyard.stream.news")

Publish = Callable[[Sequence[NewsEvent]], Awaitable[None]]


def news_event(article: Article, term: str = "", shift_ms: int = 0) -> NewsEvent:
    """An article as the stream carries it (event time = publication time, moved ``shift_ms``)."""
    return NewsEvent(
        id=article.id,
        published_ms=int(article.published_at.timestamp() * 1000) + shift_ms,
        title=article.title,
        url=article.web_url,
        section=article.section or "",
        trail_text=article.trail_text or "",
        term=term,
    )


def load_guardian_results(path: Path, shift_ms: int = 0) -> list[NewsEvent]:
    """The results of a recorded Guardian ``/search`` response, moved ``shift_ms`` in time."""
    try:
        page = parse_search_page(path.read_bytes())
    except (OSError, GuardianFormatError) as exc:
        raise ValueError(f"{path} is not a Guardian /search response: {exc}") from exc
    events = [news_event(article, shift_ms=shift_ms) for article in page.articles]
    return sorted(events, key=lambda e: e.published_ms)


def load_replay_news(bars_dir: Path) -> list[NewsEvent]:
    """``<bars_dir>/news/*.json`` with the offset in ``news/shift.json`` (none: no news)."""
    folder = bars_dir / "news"
    shift_file = folder / "shift.json"
    if not shift_file.is_file():
        return []
    shift = json.loads(shift_file.read_text(encoding="utf-8"))
    shift_ms = int(shift["shift_ms"])
    events: list[NewsEvent] = []
    for file in sorted(folder.glob("*.json")):
        if file.name != "shift.json":
            events.extend(load_guardian_results(file, shift_ms))
    return sorted(events, key=lambda e: e.published_ms)


def matching_term(item: NewsEvent, terms: Sequence[str]) -> str | None:
    text = f"{item.title}\n{item.trail_text}".lower()
    for term in terms:
        if term.lower() in text:
            return term
    return None


class ReplayNews:
    """Releases recorded articles as the replayed bar clock passes their (shifted) times."""

    def __init__(self, articles: list[NewsEvent], watchlist: WatchList, publish: Publish) -> None:
        self._pending = list(articles)
        self._watchlist = watchlist
        self._publish = publish
        self.released = 0

    async def advance(self, clock_ms: int) -> None:
        """Publish every article due by ``clock_ms`` that a watched term finds."""
        due = [a for a in self._pending if a.published_ms <= clock_ms]
        if not due:
            return
        self._pending = [a for a in self._pending if a.published_ms > clock_ms]
        found = []
        for article in due:
            term = matching_term(article, self._watchlist.terms)
            if term is not None:
                found.append(
                    NewsEvent(
                        article.id,
                        article.published_ms,
                        article.title,
                        article.url,
                        article.section,
                        article.trail_text,
                        term,
                    )
                )
        if found:
            self.released += len(found)
            await self._publish(found)

    async def finish(self) -> None:
        """The replay is over: whatever is left is due."""
        await self.advance(2**62)


POLLS = Counter("stockyard_stream_news_polls_total", "Guardian polls by outcome", ["outcome"])


class GuardianPoller:
    """Polls The Guardian for each watched term; the HTTP client is blocking, so it runs in a thread."""

    def __init__(
        self,
        client: GuardianClient,
        watchlist: WatchList,
        publish: Publish,
        *,
        poll_seconds: float = 60.0,
        page_size: int = 50,
        started_at: datetime | None = None,
    ) -> None:
        self.client = client
        self.watchlist = watchlist
        self.publish = publish
        self.poll_seconds = poll_seconds
        self.page_size = page_size
        # Per term: the newest publication time published and the ids published at that instant.
        self.watermarks: dict[str, tuple[datetime, set[str]]] = {}
        self._start = started_at or datetime.now(UTC)
        self.published = 0
        self.failures = 0

    async def run(self) -> None:
        version = self.watchlist.version
        while True:
            await self.poll_once()
            with contextlib.suppress(TimeoutError):
                version = await asyncio.wait_for(
                    self.watchlist.changed(version), timeout=self.poll_seconds
                )

    async def poll_once(self) -> int:
        """Search every watched term once; returns how many new articles were published."""
        found = 0
        for term in list(self.watchlist.terms):
            try:
                fresh = await asyncio.to_thread(self._search, term)
            except (SourceError, GuardianFormatError) as exc:
                self.failures += 1
                POLLS.labels("error").inc()
                log.warning("news_poll_failed", term=term, error=str(exc))
                continue
            POLLS.labels("ok").inc()
            if fresh:
                await self.publish(fresh)
                found += len(fresh)
        self.published += found
        return found

    def _search(self, term: str) -> list[NewsEvent]:
        since, seen_at_mark = self.watermarks.get(term, (self._start, set()))
        fetched = self.client.search_page(term, from_time=since, page=1, page_size=self.page_size)
        articles = parse_search_page(fetched.content).articles
        fresh = [
            a
            for a in articles
            if a.published_at > since or (a.published_at == since and a.id not in seen_at_mark)
        ]
        if fresh:
            newest = max(a.published_at for a in fresh)
            at_newest = {a.id for a in fresh if a.published_at == newest}
            if newest == since:
                at_newest |= seen_at_mark
            self.watermarks[term] = (newest, at_newest)
        return [news_event(a, term) for a in sorted(fresh, key=lambda a: a.published_at)]
