"""Event-time windows: the signals' values, and the rules for late, duplicate and out-of-order bars."""

from __future__ import annotations

import math
import random

import pytest

from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.windows import MINUTE_MS, Windows

T0 = 1_550_241_000_000  # 2019-02-15 14:30Z


def bar(minute: int, close: float, volume: float = 100.0, ticker: str = "AAPL") -> AggregateBar:
    end = T0 + minute * MINUTE_MS
    return AggregateBar(ticker, end - MINUTE_MS, end, close, close, close, close, volume, close)


def test_returns_vwap_and_zscore_over_their_windows() -> None:
    windows = Windows(allowed_lateness_ms=0)
    closes = [100.0 + i for i in range(20)]
    volumes = [100.0] * 19 + [400.0]
    signals = [
        windows.add(bar(i, c, v))[0] for i, (c, v) in enumerate(zip(closes, volumes, strict=True))
    ]
    last = signals[-1]
    assert last.ret_1m == pytest.approx(119 / 118 - 1)
    assert last.ret_5m == pytest.approx(119 / 114 - 1)
    assert last.ret_15m == pytest.approx(119 / 104 - 1)
    # VWAP over the 15 minutes ending with the bar: minutes 5..19, the last one 4× the volume.
    expected = (sum(closes[5:19]) * 100 + closes[19] * 400) / (14 * 100 + 400)
    assert last.rolling_vwap == pytest.approx(expected)
    # The past volumes are all 100: no spread, so no z-score; one step up gives a finite one.
    assert last.volume_z is None
    assert signals[0].ret_1m is None and signals[0].ret_15m is None


def test_volume_zscore_against_the_preceding_window() -> None:
    windows = Windows(allowed_lateness_ms=0)
    volumes = [100.0, 200.0] * 5 + [450.0]
    signal = [windows.add(bar(i, 10.0, v)) for i, v in enumerate(volumes)][-1][0]
    assert signal.volume_z == pytest.approx((450 - 150) / 50)


def test_late_duplicate_and_out_of_order_bars_follow_the_rules() -> None:
    windows = Windows(allowed_lateness_ms=2 * MINUTE_MS)
    for minute in (0, 1, 2, 5):
        windows.add(bar(minute, 10.0 + minute))
    assert windows.add(bar(5, 99.0)) == []  # same ticker and end: duplicate
    assert windows.add(bar(3, 13.0)) == []  # newest 5, lateness 2: 3 is at the watermark, too late
    recomputed = windows.add(bar(4, 14.0))  # within lateness: accepted, and minute 5 recomputed
    assert [s.end_ms for s in recomputed] == [T0 + 4 * MINUTE_MS, T0 + 5 * MINUTE_MS]
    assert recomputed[1].ret_1m == pytest.approx(15 / 14 - 1)
    stats = windows.stats
    assert (stats.duplicates, stats.late_dropped, stats.out_of_order) == (1, 1, 1)
    assert stats.bars_in == 7 and stats.accepted == 5


def test_signals_do_not_depend_on_arrival_order_within_the_lateness() -> None:
    rng = random.Random(7)
    bars = [bar(i, 50 + math.sin(i / 3) * 5, 100 + rng.random() * 50) for i in range(40)]
    in_order = Windows(allowed_lateness_ms=3 * MINUTE_MS)
    expected = {s.end_ms: s for b in bars for s in in_order.add(b)}
    # Swap neighbours: every bar arrives at most one minute late.
    shuffled = bars[:]
    for i in range(0, 38, 3):
        shuffled[i], shuffled[i + 1] = shuffled[i + 1], shuffled[i]
    out_of_order = Windows(allowed_lateness_ms=3 * MINUTE_MS)
    final = {s.end_ms: s for b in shuffled for s in out_of_order.add(b)}
    assert out_of_order.stats.out_of_order > 0
    assert final == expected


def test_old_bars_are_trimmed_but_windows_stay_whole() -> None:
    windows = Windows(allowed_lateness_ms=MINUTE_MS)
    for minute in range(600):
        signal = windows.add(bar(minute, 100.0 + minute % 7))[0]
    assert signal.ret_15m == pytest.approx((100 + 599 % 7) / (100 + 584 % 7) - 1)
    assert len(windows._tickers["AAPL"].ends) <= 4 * 30 + 1


def test_warm_windows_continue_as_if_never_stopped() -> None:
    bars = [bar(i, 100.0 + (i * 7) % 11, 100.0 + (i * 13) % 17) for i in range(40)]
    straight = Windows()
    expected = [s for b in bars for s in straight.add(b)]
    restarted = Windows()
    restarted.warm(bars[:25])  # what the sink held when the processor died
    assert restarted.add(bars[24]) == []  # a redelivered, already written bar is a duplicate
    resumed = [s for b in bars[25:] for s in restarted.add(b)]
    assert resumed == expected[25:]
