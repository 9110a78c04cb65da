"""Polygon answers rendered from the bundled daily bars (``<root>/polygon/daily_bars.parquet``).

The file holds real daily OHLCV (Yahoo Finance, split-adjusted; see its PROVENANCE.md). Requests
are answered in the exact JSON shapes of Polygon's recorded answers:

- grouped daily ``/v2/aggs/grouped/locale/us/market/stocks/{day}``: every ticker of the day, ``T``
  per row, ``t`` at 16:00 New York (as in Polygon's recording). A day without bars (weekend, a
  market holiday, or outside the file) answers ``resultsCount: 0`` and no ``results``, as Polygon
  does for a holiday.
- range bars ``/v2/aggs/ticker/{t}/range/1/day/{from}/{to}``: one ticker, ``t`` at midnight New York
  (as in the unedited OpenBB recording); an unknown ticker answers ``resultsCount: 0``.
- open-close ``/v1/open-close/{t}/{day}``: one bar; no bar → HTTP 404 ``status: NOT_FOUND``.

Only ``adjusted=true`` (Polygon's default) is rendered, because the bundled prices are adjusted;
an unadjusted request falls through to "no recorded response" rather than getting adjusted prices
under an unadjusted label. The bundled file has no ``vw``/``n``, so those fields are absent (the
parser treats them as optional, as Polygon omits them for some instruments).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from stockyard.replay.render import Rendered, RenderedRoute

BARS_FILE = "daily_bars.parquet"
NEW_YORK = ZoneInfo("America/New_York")
_DAY = r"(?P<{}>\d{{4}}-\d{{2}}-\d{{2}})"
_TICKER = r"(?P<ticker>[^/]+)"
GROUPED = re.compile(r"/v2/aggs/grouped/locale/us/market/stocks/" + _DAY.format("day"))
RANGE = re.compile(
    rf"/v2/aggs/ticker/{_TICKER}/range/1/day/" + _DAY.format("start") + "/" + _DAY.format("end")
)
OPEN_CLOSE = re.compile(rf"/v1/open-close/{_TICKER}/" + _DAY.format("day"))
_COLUMNS = "ticker, day, open, high, low, close, volume"


class DailyBarsFile:
    """The bundled bars, loaded into an in-memory DuckDB on first use (once per server)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                con = duckdb.connect(":memory:")
                con.execute(
                    f"CREATE TABLE bars AS SELECT {_COLUMNS} FROM read_parquet(?)",
                    [str(self.path)],
                )
                self._con = con
            # One cursor per request: a DuckDB connection is not shared between threads.
            return self._con.cursor()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def query(self, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
        cursor = self._cursor()
        try:
            return cursor.execute(
                f"SELECT {_COLUMNS} FROM bars WHERE {where} ORDER BY ticker, day", params
            ).fetchall()
        finally:
            cursor.close()


def _epoch_ms(day: date, at: time) -> int:
    return int(datetime.combine(day, at, tzinfo=NEW_YORK).timestamp() * 1000)


def _aggregate(row: tuple[Any, ...], at: time, with_ticker: bool) -> dict[str, Any]:
    ticker, day, open_, high, low, close, volume = row
    bar: dict[str, Any] = {"T": ticker} if with_ticker else {}
    bar.update({"v": volume, "o": open_, "c": close, "h": high, "l": low, "t": _epoch_ms(day, at)})
    return bar


def _request_id(match: re.Match[str]) -> str:
    return hashlib.md5(match.group(0).encode(), usedforsecurity=False).hexdigest()


def _json(body: dict[str, Any], status: int = 200) -> Rendered:
    return Rendered(json.dumps(body, separators=(",", ":")).encode(), status=status)


def _adjusted(fields: dict[str, str]) -> bool:
    return fields.get("adjusted", "true").lower() == "true"


def _aggregates_body(
    rows: list[tuple[Any, ...]], match: re.Match[str], *, at: time, ticker: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"ticker": ticker} if ticker is not None else {}
    body.update({"queryCount": len(rows), "resultsCount": len(rows), "adjusted": True})
    if rows:
        body["results"] = [_aggregate(row, at, with_ticker=ticker is None) for row in rows]
    body.update({"status": "OK", "request_id": _request_id(match)})
    if rows:
        body["count"] = len(rows)
    return body


def _bad_request(match: re.Match[str], message: str) -> Rendered:
    """Polygon's shape for a request it cannot serve (e.g. 2022-02-30 as a date)."""
    return _json(
        {"status": "ERROR", "request_id": _request_id(match), "error": message}, status=400
    )


def _days(match: re.Match[str], *names: str) -> list[date] | Rendered:
    try:
        return [date.fromisoformat(match[name]) for name in names]
    except ValueError as exc:
        return _bad_request(match, f"Could not parse the date: {exc}")


def polygon_routes(folder: Path) -> list[RenderedRoute]:
    """Routes over ``folder/daily_bars.parquet``; none when the folder has no such file."""
    path = folder / BARS_FILE
    if not path.is_file():
        return []
    bars = DailyBarsFile(path)

    def grouped(match: re.Match[str], fields: dict[str, str]) -> Rendered | None:
        if not _adjusted(fields):
            return None
        days = _days(match, "day")
        if isinstance(days, Rendered):
            return days
        rows = bars.query("day = ?", days)
        return _json(_aggregates_body(rows, match, at=time(16), ticker=None))

    def range_bars(match: re.Match[str], fields: dict[str, str]) -> Rendered | None:
        if not _adjusted(fields):
            return None
        ticker = match["ticker"]
        days = _days(match, "start", "end")
        if isinstance(days, Rendered):
            return days
        start, end = days
        rows = bars.query("ticker = ? AND day BETWEEN ? AND ?", [ticker, start, end])
        return _json(_aggregates_body(rows, match, at=time(0), ticker=ticker))

    def open_close(match: re.Match[str], fields: dict[str, str]) -> Rendered | None:
        if not _adjusted(fields):
            return None
        days = _days(match, "day")
        if isinstance(days, Rendered):
            return days
        (day,) = days
        rows = bars.query("ticker = ? AND day = ?", [match["ticker"], day])
        if not rows:
            missing = {
                "status": "NOT_FOUND",
                "request_id": _request_id(match),
                "message": "Data not found.",
            }
            return _json(missing, status=404)
        ticker, _, open_, high, low, close, volume = rows[0]
        return _json(
            {
                "status": "OK",
                "from": day.isoformat(),
                "symbol": ticker,
                "open": open_,
                "high": high,
                "low": low,
                "close": close,
                "volume": volume,
            }
        )

    return [
        RenderedRoute("polygon", GROUPED, grouped, close=bars.close),
        RenderedRoute("polygon", RANGE, range_bars),
        RenderedRoute("polygon", OPEN_CLOSE, open_close),
    ]
