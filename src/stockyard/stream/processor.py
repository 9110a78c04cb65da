"""The processor: bars and news in, signals, matched news and alerts out (no I/O of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field

from stockyard.config import StreamSettings
from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.events import Alert, BarSignal, Event, NewsEvent
from stockyard.stream.joins import NewsJoin
from stockyard.stream.windows import MINUTE_MS, Windows


@dataclass
class Output:
    """What one batch of events produced, for the sinks."""

    signals: list[BarSignal] = field(default_factory=list)
    # Minutes already emitted, computed again because an out-of-order bar joined their windows.
    revisions: list[BarSignal] = field(default_factory=list)
    news: list[tuple[NewsEvent, list[str]]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    def extend(self, later: Output) -> None:
        """Append a later batch's output (revisions stay after the signals they correct)."""
        self.signals.extend(later.signals)
        self.revisions.extend(later.revisions)
        self.news.extend(later.news)
        self.alerts.extend(later.alerts)

    def __bool__(self) -> bool:
        return bool(self.signals or self.revisions or self.news or self.alerts)


class Processor:
    def __init__(self, settings: StreamSettings) -> None:
        lateness = settings.allowed_lateness_seconds * 1000
        self.windows = Windows(
            allowed_lateness_ms=lateness,
            vwap_window_ms=settings.vwap_window_minutes * MINUTE_MS,
            zscore_window_ms=settings.zscore_window_minutes * MINUTE_MS,
        )
        join_ms = settings.news_join_minutes * MINUTE_MS
        self.join = NewsJoin(
            settings.company_names,
            join_window_ms=join_ms,
            retention_ms=join_ms + lateness,
            alert_move_pct=settings.alert_move_pct,
        )
        self.join.watch(settings.tickers)

    def process(self, events: list[Event]) -> Output:
        out = Output()
        add, on_signal = self.windows.add, self.join.on_signal
        keep, raise_alerts = out.signals.append, out.alerts.extend
        for event in events:
            if type(event) is AggregateBar or isinstance(event, AggregateBar):
                signals = add(event)
                if signals:
                    # Alerts come from a bar's own minute; revisions only correct stored signals.
                    keep(signals[0])
                    raised = on_signal(signals[0])
                    if raised:
                        raise_alerts(raised)
                    if len(signals) > 1:
                        out.revisions.extend(signals[1:])
            else:
                tickers, alerts = self.join.on_news(event)
                out.news.append((event, tickers))
                out.alerts.extend(alerts)
        return out

    def counters(self) -> dict[str, int]:
        w, j = self.windows.stats, self.join.stats
        return {
            "bars_in": w.bars_in,
            "bars_accepted": w.accepted,
            "out_of_order": w.out_of_order,
            "late_dropped": w.late_dropped,
            "duplicates": w.duplicates,
            "news_in": j.news_in,
            "news_mentions": j.mentions,
            "alerts": j.alerts,
        }
