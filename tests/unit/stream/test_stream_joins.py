"""News ↔ ticker joins: who an article mentions, and when a move and news make an alert."""

from __future__ import annotations

from stockyard.config import StreamSettings
from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.events import NewsEvent
from stockyard.stream.processor import Processor

MINUTE = 60_000
T0 = 1_550_241_000_000


def article(minute: int, title: str, id: str = "a1") -> NewsEvent:
    return NewsEvent(id, T0 + minute * MINUTE, title, f"https://x/{id}", "business", "", "Apple")


def bars(ticker: str, closes: list[float]) -> list[AggregateBar]:
    return [
        AggregateBar(ticker, T0 + (i - 1) * MINUTE, T0 + i * MINUTE, c, c, c, c, 100, c)
        for i, c in enumerate(closes)
    ]


def processor(**overrides: object) -> Processor:
    return Processor(StreamSettings(alert_move_pct=0.5, news_join_minutes=10, **overrides))


def test_mentions_match_company_names_and_whole_upper_case_tickers() -> None:
    join = processor().join
    assert join.mentions(article(0, "Apple and Microsoft report")) == ["AAPL", "MSFT"]
    assert join.mentions(article(0, "An apple a day; SPY falls")) == ["SPY"]
    assert join.mentions(article(0, "Spyware and spying")) == []


def test_a_move_after_the_news_raises_one_alert() -> None:
    p = processor()
    first = p.process([article(2, "Apple addict")])
    assert first.news[0][1] == ["AAPL"] and not first.alerts
    # +1% over 5 minutes at minute 6, within 10 minutes of the article.
    out = p.process(bars("AAPL", [100, 100, 100, 100, 100, 100, 101, 101]))
    assert [(a.ticker, a.window_end_ms, a.news_id) for a in out.alerts] == [
        ("AAPL", T0 + 6 * MINUTE, "a1"),
        ("AAPL", T0 + 7 * MINUTE, "a1"),
    ]
    assert out.alerts[0].move_pct == 1.0
    again = p.process([article(2, "Apple addict")])  # a redelivered article: no second alert
    assert not again.alerts and not again.news[0][1]


def test_news_after_the_move_joins_too_and_far_news_does_not() -> None:
    p = processor()
    p.process(bars("AAPL", [100, 100, 100, 100, 100, 100, 101]))
    assert len(p.process([article(12, "Apple shares", id="near")]).alerts) == 1
    assert p.process([article(30, "Apple again", id="far")]).alerts == []
    assert p.process([article(3, "Tesla news", id="other")]).alerts == []
    assert p.counters()["alerts"] == 1


def test_news_and_the_move_in_one_batch_raise_the_alert() -> None:
    # A fast feed hands the processor news and bars together: the alert must not be lost.
    out = processor().process(
        [article(2, "Apple addict"), *bars("AAPL", [100, 100, 100, 100, 100, 100, 101])]
    )
    assert [(a.ticker, a.window_end_ms) for a in out.alerts] == [("AAPL", T0 + 6 * MINUTE)]
