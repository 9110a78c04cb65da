"""News ↔ ticker joins in event time, and the alerts they raise.

An article mentions a ticker when its title or trail text contains the ticker symbol as a whole
upper-case word or the company's name (settings ``stream.company_names``). A mention joins the
ticker's bars whose window ends within ±``join_window`` of the publication time; a joined bar whose
5-minute move is at least ``alert_move_pct`` raises one alert per (ticker, window end, article).
Either side may arrive first: each side is kept for the join window plus the allowed lateness.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from stockyard.stream.events import Alert, BarSignal, NewsEvent


@dataclass
class JoinStats:
    news_in: int = 0
    news_duplicates: int = 0
    mentions: int = 0
    alerts: int = 0


class NewsJoin:
    def __init__(
        self,
        company_names: dict[str, str],
        *,
        join_window_ms: int,
        retention_ms: int,
        alert_move_pct: float,
    ) -> None:
        self.join_window_ms = join_window_ms
        self.retention_ms = retention_ms
        self.alert_move = alert_move_pct / 100
        self.stats = JoinStats()
        self._patterns: dict[str, re.Pattern[str]] = {}
        self.set_companies(company_names)
        self._news: dict[str, deque[NewsEvent]] = {}
        self._moves: dict[str, deque[BarSignal]] = {}
        self._seen_news: set[str] = set()
        self._alerted: set[tuple[str, int, str]] = set()

    def set_companies(self, company_names: dict[str, str]) -> None:
        # Case matters: "Apple" the company, not "apple" the fruit; "V" only as an upper-case word.
        self._patterns = {
            ticker.upper(): re.compile(
                rf"\b{re.escape(ticker.upper())}\b" + (rf"|\b{re.escape(name)}\b" if name else "")
            )
            for ticker, name in company_names.items()
        }

    def watch(self, tickers: list[str]) -> None:
        """Tickers without a company name still match on their symbol."""
        for ticker in tickers:
            self._patterns.setdefault(
                ticker.upper(), re.compile(rf"\b{re.escape(ticker.upper())}\b")
            )

    def mentions(self, news: NewsEvent) -> list[str]:
        text = f"{news.title}\n{news.trail_text}"
        return sorted(t for t, pattern in self._patterns.items() if pattern.search(text))

    def on_news(self, news: NewsEvent) -> tuple[list[str], list[Alert]]:
        """The tickers the article mentions and the alerts it raises with moves already seen."""
        self.stats.news_in += 1
        if news.id in self._seen_news:
            self.stats.news_duplicates += 1
            return [], []
        self._seen_news.add(news.id)
        tickers = self.mentions(news)
        alerts: list[Alert] = []
        for ticker in tickers:
            self.stats.mentions += 1
            self._news.setdefault(ticker, deque()).append(news)
            for move in self._moves.get(ticker, ()):
                alerts.extend(self._alert(move, news))
        return tickers, alerts

    def on_signal(self, signal: BarSignal) -> list[Alert]:
        move = signal.ret_5m
        if move is None or abs(move) < self.alert_move:
            if self._moves or self._news:  # (most bars: nothing held, nothing to expire)
                self._expire(signal.ticker, signal.end_ms)
            return []
        moves = self._moves.setdefault(signal.ticker, deque())
        moves.append(signal)
        self._expire(signal.ticker, signal.end_ms)
        alerts: list[Alert] = []
        for news in self._news.get(signal.ticker, ()):
            alerts.extend(self._alert(signal, news))
        return alerts

    def _alert(self, move: BarSignal, news: NewsEvent) -> list[Alert]:
        if abs(move.end_ms - news.published_ms) > self.join_window_ms or move.ret_5m is None:
            return []
        key = (move.ticker, move.end_ms, news.id)
        if key in self._alerted:
            return []
        self._alerted.add(key)
        self.stats.alerts += 1
        return [
            Alert(
                ticker=move.ticker,
                window_end_ms=move.end_ms,
                news_id=news.id,
                move_pct=round(move.ret_5m * 100, 4),
                close=move.close,
                news_title=news.title,
                news_url=news.url,
                published_ms=news.published_ms,
            )
        ]

    def _expire(self, ticker: str, now_ms: int) -> None:
        horizon = now_ms - self.retention_ms
        moves = self._moves.get(ticker)
        while moves and moves[0].end_ms < horizon:
            moves.popleft()
        news = self._news.get(ticker)
        while news and news[0].published_ms < horizon:
            news.popleft()
