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
import math
from dataclasses import dataclass

from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.events import BarSignal

MINUTE_MS = 60_000
RETURN_MINUTES = (1, 5, 15)


@dataclass
class WindowStats:
    bars_in: int = 0
    accepted: int = 0
    out_of_order: int = 0
    late_dropped: int = 0
    duplicates: int = 0


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
            self._trim(state)

    def add(self, bar: AggregateBar) -> list[BarSignal]:
        """Signals to write because of ``bar``: none when it is late or a duplicate.

        The first signal is the bar's own; any after it are later minutes computed again
        because an out-of-order bar changed their windows (`revisions`).
        """
        self.stats.bars_in += 1
        state = self._tickers.get(bar.ticker)
        if state is None:
            state = self._tickers[bar.ticker] = _Ticker()
        end = bar.end_ms
        if end in state.bars:
            self.stats.duplicates += 1
            return []
        if state.ends and end <= state.newest - self.allowed_lateness_ms:
            self.stats.late_dropped += 1
            return []
        self.stats.accepted += 1
        state.bars[end] = bar
        if end > state.newest:
            state.append(bar)
            state.newest = end
            self._trim(state)
            return [self._signal(state, bar, len(state.ends) - 1)]
        # Out of order but within the allowed lateness: recompute what it falls inside of.
        self.stats.out_of_order += 1
        index = bisect.bisect_left(state.ends, end)
        state.ends.insert(index, end)
        state.rebuild_sums(index)
        signals = []
        for i in range(index, len(state.ends)):
            later = state.ends[i]
            if later - end >= self.horizon_ms:
                break
            signals.append(self._signal(state, state.bars[later], i))
        return signals

    def _trim(self, state: _Ticker) -> None:
        keep_from = state.newest - self.horizon_ms - self.allowed_lateness_ms
        if len(state.ends) > 4 * (self.horizon_ms // MINUTE_MS) and state.ends[0] < keep_from:
            cut = bisect.bisect_left(state.ends, keep_from)
            for old in state.ends[:cut]:
                del state.bars[old]
            del state.ends[:cut]
            state.sums = [(0.0, 0.0, 0.0)]
            state.rebuild_sums(0)

    def _signal(self, state: _Ticker, bar: AggregateBar, index: int) -> BarSignal:
        end, bars, ends, sums = bar.end_ms, state.bars, state.ends, state.sums
        # Bars in (end - window, end] are ends[first..index]; their totals are a difference.
        first_vwap = bisect.bisect_right(ends, end - self.vwap_window_ms, 0, index)
        value = sums[index + 1][0] - sums[first_vwap][0]
        volume = sums[index + 1][1] - sums[first_vwap][1]
        # The z-score compares the bar with the bars before it in (end - window, end).
        first_z = bisect.bisect_right(ends, end - self.zscore_window_ms, 0, index)
        count = index - first_z
        volume_z = None
        if count >= 5:
            total = sums[index][1] - sums[first_z][1]
            squares = sums[index][2] - sums[first_z][2]
            mean = total / count
            variance = squares / count - mean * mean
            # Relative guard: cancellation leaves crumbs where the spread is really zero.
            if variance > 1e-9 * max(mean * mean, 1.0):
                volume_z = (bar.volume - mean) / math.sqrt(variance)
        close = bar.close
        before = bars.get(end - MINUTE_MS)
        ret_1m = close / before.close - 1 if before and before.close else None
        before = bars.get(end - 5 * MINUTE_MS)
        ret_5m = close / before.close - 1 if before and before.close else None
        before = bars.get(end - 15 * MINUTE_MS)
        ret_15m = close / before.close - 1 if before and before.close else None
        return BarSignal(
            bar.ticker,
            bar.start_ms,
            end,
            bar.open,
            bar.high,
            bar.low,
            close,
            bar.volume,
            bar.vwap,
            value / volume if volume else bar.vwap,
            ret_1m,
            ret_5m,
            ret_15m,
            volume_z,
        )
