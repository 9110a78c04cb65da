"""Per-ticker event-time windows: rolling VWAP, 1/5/15-minute returns, volume z-score.

Rules for time (event time = the bar's end):
- the watermark of a ticker is its newest bar end minus the allowed lateness;
- a bar at or behind the watermark is too late: dropped and counted;
- a bar already seen (same ticker and end) is a duplicate: dropped and counted;
- a bar behind the newest but ahead of the watermark is out of order: accepted, counted, and the
  bars after it within the longest window are computed again, so the result does not depend on
  the order in which bars arrived (the sink upserts them on (ticker, window end)).
Each window looks only backwards from the bar's end, so a signal is a function of the bars, not of
arrival order.
"""

from __future__ import annotations

import bisect
from bisect import bisect_right
from dataclasses import dataclass
from math import sqrt

from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.events import BarSignal

MINUTE_MS = 60_000
RETURN_MINUTES = (1, 5, 15)


@dataclass
class WindowStats:
    bars_in: int = 0
    out_of_order: int = 0
    late_dropped: int = 0
    duplicates: int = 0

    @property
    def accepted(self) -> int:
        return self.bars_in - self.late_dropped - self.duplicates


class _Ticker:
    """A ticker's recent bars in end order, with running sums so a window costs two bisects.

    ``sums[i]`` holds (Σ vwap·volume, Σ volume, Σ volume²) over bars ``0..i-1``; a window's totals
    are the difference of two entries. An out-of-order insert rebuilds the sums after it.
    """

    __slots__ = ("bars", "ends", "newest", "sums")

    def __init__(self) -> None:
        self.ends: list[int] = []
        self.bars: dict[int, AggregateBar] = {}
        self.sums: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)]
        self.newest = 0

    def append(self, bar: AggregateBar) -> None:
        value, volume, squares = self.sums[-1]
        self.ends.append(bar.end_ms)
        v = bar.volume
        self.sums.append((value + bar.vwap * v, volume + v, squares + v * v))

    def rebuild_sums(self, start: int) -> None:
        del self.sums[start + 1 :]
        value, volume, squares = self.sums[start]
        for end in self.ends[start:]:
            bar = self.bars[end]
            v = bar.volume
            value, volume, squares = value + bar.vwap * v, volume + v, squares + v * v
            self.sums.append((value, volume, squares))


class Windows:
    """Holds each ticker's recent bars and turns every accepted bar into signals."""

    def __init__(
        self,
        *,
        allowed_lateness_ms: int = 120_000,
        vwap_window_ms: int = 15 * MINUTE_MS,
        zscore_window_ms: int = 30 * MINUTE_MS,
    ) -> None:
        self.allowed_lateness_ms = allowed_lateness_ms
        self.vwap_window_ms = vwap_window_ms
        self.zscore_window_ms = zscore_window_ms
        self.horizon_ms = max(vwap_window_ms, zscore_window_ms, RETURN_MINUTES[-1] * MINUTE_MS)
        # Bars older than this behind the newest can no longer enter a window (nor be revised);
        # they are dropped in bulk once a ticker holds a few horizons of minutes.
        self._keep_ms = self.horizon_ms + allowed_lateness_ms
        self._trim_above = 4 * (self.horizon_ms // MINUTE_MS)
        self.stats = WindowStats()
        self._tickers: dict[str, _Ticker] = {}

    def watermark(self, ticker: str) -> int:
        state = self._tickers.get(ticker)
        return state.newest - self.allowed_lateness_ms if state else 0

    def warm(self, bars: list[AggregateBar]) -> None:
        """Take bars already processed (read back from the sink after a restart), oldest first
        per ticker, so the next signals see whole windows; nothing is emitted or counted."""
        for bar in bars:
            state = self._tickers.setdefault(bar.ticker, _Ticker())
            if bar.end_ms > state.newest:
                state.bars[bar.end_ms] = bar
                state.append(bar)
                state.newest = bar.end_ms
        for state in self._tickers.values():
            if state.ends and state.ends[0] < state.newest - self._keep_ms:
                self._trim(state)

    def add(self, bar: AggregateBar) -> list[BarSignal]:
        """Signals to write because of ``bar``: none when it is late or a duplicate.

        The first signal is the bar's own; any after it are later minutes computed again
        because an out-of-order bar changed their windows (`revisions`).
        """
        stats = self.stats
        stats.bars_in += 1
        state = self._tickers.get(bar.ticker)
        if state is None:
            state = self._tickers[bar.ticker] = _Ticker()
        end = bar.end_ms
        bars = state.bars
        if end > state.newest:  # the common case: the ticker's next minute (kept lean)
            bars[end] = bar
            ends, sums = state.ends, state.sums
            value, volume, squares = sums[-1]
            v = bar.volume
            ends.append(end)
            sums.append((value + bar.vwap * v, volume + v, squares + v * v))
            state.newest = end
            if len(ends) > self._trim_above and ends[0] < end - self._keep_ms:
                self._trim(state)
            return [self._signal(state, bar, len(state.ends) - 1)]
        if end in bars:
            stats.duplicates += 1
            return []
        if end <= state.newest - self.allowed_lateness_ms:
            stats.late_dropped += 1
            return []
        bars[end] = bar
        # Out of order but within the allowed lateness: recompute what it falls inside of.
        stats.out_of_order += 1
        index = bisect.bisect_left(state.ends, end)
        state.ends.insert(index, end)
        state.rebuild_sums(index)
        signals = []
        for i in range(index, len(state.ends)):
            later = state.ends[i]
            if later - end >= self.horizon_ms:
                break
            signals.append(self._signal(state, bars[later], i))
        return signals

    def _trim(self, state: _Ticker) -> None:
        cut = bisect.bisect_left(state.ends, state.newest - self._keep_ms)
        for old in state.ends[:cut]:
            del state.bars[old]
        del state.ends[:cut]
        state.sums = [(0.0, 0.0, 0.0)]
        state.rebuild_sums(0)

    def _signal(self, state: _Ticker, bar: AggregateBar, index: int) -> BarSignal:
        end, close, volume, vwap = bar.end_ms, bar.close, bar.volume, bar.vwap
        ends, sums = state.ends, state.sums
        # Bars in (end - window, end] are ends[first..index]; their totals are a difference.
        value, total, _ = sums[index + 1]
        value_before, total_before, _ = sums[
            bisect_right(ends, end - self.vwap_window_ms, 0, index)
        ]
        window_volume = total - total_before
        rolling_vwap = (value - value_before) / window_volume if window_volume else vwap
        # The z-score compares the bar with the bars before it in (end - window, end).
        first_z = bisect_right(ends, end - self.zscore_window_ms, 0, index)
        count = index - first_z
        volume_z = None
        if count >= 5:
            _, total, squares = sums[index]
            _, total_before, squares_before = sums[first_z]
            mean = (total - total_before) / count
            variance = (squares - squares_before) / count - mean * mean
            # Relative guard: cancellation leaves crumbs where the spread is really zero.
            if variance > 1e-9 * max(mean * mean, 1.0):
                volume_z = (volume - mean) / sqrt(variance)
        get = state.bars.get
        before = get(end - MINUTE_MS)
        ret_1m = close / before.close - 1 if before and before.close else None
        before = get(end - 5 * MINUTE_MS)
        ret_5m = close / before.close - 1 if before and before.close else None
        before = get(end - 15 * MINUTE_MS)
        ret_15m = close / before.close - 1 if before and before.close else None
        return BarSignal(
            bar.ticker,
            bar.start_ms,
            end,
            bar.open,
            bar.high,
            bar.low,
            close,
            volume,
            vwap,
            rolling_vwap,
            ret_1m,
            ret_5m,
            ret_15m,
            volume_z,
        )
