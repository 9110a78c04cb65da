"""Parse Polygon.io REST answers into typed records. Pure: bytes in, dataclasses out.

Shape of a parse: ``ParseResult(records, rejects)``. ``records`` are the rows we accept;
``rejects`` are ``QuarantineRecord``s for single rows we could not read (a bar without ``o``/``h``/
``l``/``c``, a ticker without ``ticker``), kept with the reason, the row's index (``results[i]``) and
its JSON so the warehouse can quarantine them beside the good rows.

A body that is not Polygon JSON at all (truncated, an HTML error page, ``"status": "ERROR"``) raises
``PolygonFormatError``; it never turns into an empty list. A day without data (a market holiday:
``resultsCount: 0`` and no ``results``) is an empty ``records`` list, not an error.

Aggregate timestamps ``t`` are epoch milliseconds at the start of the bar; a daily bar starts at
midnight in New York, so its trading day is the date of ``t`` in ``America/New_York`` (never the
machine's local zone, and not UTC).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import orjson

from stockyard.models import QuarantineRecord
from stockyard.sources.http import redact
from stockyard.sources.polygon.websocket import MINUTE_MS, AggregateBar

SOURCE = "polygon"
PARSER_VERSION = "polygon.parse/1"
NEW_YORK = ZoneInfo("America/New_York")
# "DELAYED" is what the free tier answers for recent data; the body is otherwise normal.
_GOOD_STATUSES = {"OK", "DELAYED"}

T = TypeVar("T")


class PolygonFormatError(ValueError):
    """The answer is not usable Polygon JSON (truncated, not JSON, or an error status)."""


@dataclass(frozen=True, slots=True)
class DailyBar:
    ticker: str
    day: date  # the trading day, in New York
    open: float
    high: float
    low: float
    close: float
    volume: float  # Polygon sends floats for some instruments (fractional shares)
    vwap: float | None
    transactions: int | None


@dataclass(frozen=True, slots=True)
class OpenClose(DailyBar):
    """`/v1/open-close`: a daily bar plus the pre-market and after-hours prices."""

    pre_market: float | None = None
    after_hours: float | None = None


@dataclass(frozen=True, slots=True)
class TickerRef:
    ticker: str
    name: str | None
    market: str | None
    type: str | None
    active: bool | None
    primary_exchange: str | None
    cik: str | None
    composite_figi: str | None
    delisted_utc: datetime | None
    last_updated: datetime | None


@dataclass(frozen=True, slots=True)
class TickerDetails:
    """`/v3/reference/tickers/{ticker}`: what the industry flags need (SIC is the SEC's
    Standard Industrial Classification; funds and many ADRs have none)."""

    ticker: str
    name: str | None
    type: str | None
    cik: str | None
    sic_code: str | None
    sic_description: str | None


@dataclass(frozen=True, slots=True)
class ParseResult(Generic[T]):
    records: list[T] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TickersPage:
    results: list[TickerRef]
    next_url: str | None
    rejects: list[QuarantineRecord] = field(default_factory=list)


# -- whole-body checks ----------------------------------------------------------------------------
def load_json_value(data: bytes | str, what: str) -> Any:
    """Decode any JSON value, or raise `PolygonFormatError` (truncated, an HTML error page…)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        head = data[:60] if isinstance(data, str) else data[:60].decode("utf-8", "replace")
        raise PolygonFormatError(
            f"polygon {what}: body is not JSON (truncated or an error page?): {exc}; "
            f"starts {redact(head)!r}"
        ) from None


def load_body(data: bytes | str, what: str) -> dict[str, Any]:
    """Decode a Polygon JSON object, or raise `PolygonFormatError` saying what was wrong."""
    body = load_json_value(data, what)
    if not isinstance(body, dict):
        raise PolygonFormatError(
            f"polygon {what}: expected a JSON object, got {type(body).__name__}"
        )
    status = body.get("status")
    if status is not None and status not in _GOOD_STATUSES:
        detail = body.get("error") or body.get("message") or ""
        raise PolygonFormatError(redact(f"polygon {what}: status {status!r} {detail}".rstrip()))
    return body


def _results(body: dict[str, Any], what: str) -> list[Any]:
    results = body.get("results")
    if results is None:
        count = body.get("resultsCount", body.get("count"))
        if count in (None, 0):
            return []  # a holiday or a range without trading: no data, not an error
        raise PolygonFormatError(f"polygon {what}: resultsCount {count!r} but no results")
    if not isinstance(results, list):
        raise PolygonFormatError(f"polygon {what}: results is {type(results).__name__}, not a list")
    return results


# -- fields ---------------------------------------------------------------------------------------
def _number(row: dict[str, Any], key: str) -> float:
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"field {key!r} missing or not a number ({value!r})")
    return float(value)


def _optional_number(row: dict[str, Any], key: str) -> float | None:
    return None if row.get(key) is None else _number(row, key)


def _optional_int(row: dict[str, Any], key: str) -> int | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"field {key!r} is not a whole number ({value!r})")
    return int(value)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} missing or empty")
    return value.strip()


def _optional_text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _timestamp(value: Any, key: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} is not a timestamp ({value!r})")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"field {key!r} is not a timestamp ({value!r})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@lru_cache(maxsize=4096)  # every bar of a grouped day, and a range's days, repeat the same few t
def new_york_day(epoch_ms: int) -> date:
    """The New York calendar date of an epoch-milliseconds instant."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC).astimezone(NEW_YORK).date()


def _bar(row: Any, ticker: str | None) -> DailyBar:
    if not isinstance(row, dict):
        raise ValueError(f"row is {type(row).__name__}, not an object")
    t = row.get("t")
    if isinstance(t, bool) or not isinstance(t, int):
        raise ValueError(f"field 't' missing or not epoch milliseconds ({t!r})")
    return DailyBar(
        ticker=ticker if ticker is not None else _text(row, "T"),
        day=new_york_day(t),
        open=_number(row, "o"),
        high=_number(row, "h"),
        low=_number(row, "l"),
        close=_number(row, "c"),
        volume=_number(row, "v"),
        vwap=_optional_number(row, "vw"),
        transactions=_optional_int(row, "n"),
    )


def _reject(dataset: str, index: int, reason: str, row: Any) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=dataset,
        reason=reason,
        record_ref=f"results[{index}]",
        payload=json.dumps(row, sort_keys=True, default=str),
    )


def _bars(
    rows: list[Any], dataset: str, ticker: str | None, expect_day: date | None
) -> ParseResult[DailyBar]:
    records: list[DailyBar] = []
    rejects: list[QuarantineRecord] = []
    for index, row in enumerate(rows):
        try:
            bar = _bar(row, ticker)
        except ValueError as exc:
            rejects.append(_reject(dataset, index, str(exc), row))
            continue
        if expect_day is not None and bar.day != expect_day:
            reason = f"bar is for {bar.day.isoformat()}, asked for {expect_day.isoformat()}"
            rejects.append(_reject(dataset, index, reason, row))
            continue
        records.append(bar)
    return ParseResult(records, rejects)


# -- endpoints ------------------------------------------------------------------------------------
def parse_grouped_daily(data: bytes | str, expect_day: date | None = None) -> ParseResult[DailyBar]:
    """`/v2/aggs/grouped/locale/us/market/stocks/{date}`: one bar per ticker (``T``).

    With ``expect_day``, bars whose New York date differs are rejected rather than trusted.
    """
    body = load_body(data, "grouped daily")
    return _bars(_results(body, "grouped daily"), "grouped_daily", None, expect_day)


def parse_range_bars(data: bytes | str, ticker: str) -> ParseResult[DailyBar]:
    """`/v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}`: daily bars of one ticker."""
    body = load_body(data, "range bars")
    answered = body.get("ticker")
    if isinstance(answered, str) and answered.upper() != ticker.upper():
        raise PolygonFormatError(f"polygon range bars: asked for {ticker!r}, got {answered!r}")
    return _bars(_results(body, "range bars"), "range_bars", ticker, None)


def parse_open_close(data: bytes | str) -> OpenClose:
    """`/v1/open-close/{ticker}/{date}`: one day's open, high, low, close, volume."""
    body = load_body(data, "open-close")
    try:
        return OpenClose(
            ticker=_text(body, "symbol"),
            day=date.fromisoformat(_text(body, "from")),
            open=_number(body, "open"),
            high=_number(body, "high"),
            low=_number(body, "low"),
            close=_number(body, "close"),
            volume=_number(body, "volume"),
            vwap=None,
            transactions=None,
            pre_market=_optional_number(body, "preMarket"),
            after_hours=_optional_number(body, "afterHours"),
        )
    except ValueError as exc:
        raise PolygonFormatError(f"polygon open-close: {exc}") from None


def _ticker_ref(row: Any) -> TickerRef:
    if not isinstance(row, dict):
        raise ValueError(f"row is {type(row).__name__}, not an object")
    active = row.get("active")
    return TickerRef(
        ticker=_text(row, "ticker"),
        name=_optional_text(row, "name"),
        market=_optional_text(row, "market"),
        type=_optional_text(row, "type"),
        active=active if isinstance(active, bool) else None,
        primary_exchange=_optional_text(row, "primary_exchange"),
        cik=_optional_text(row, "cik"),
        composite_figi=_optional_text(row, "composite_figi"),
        delisted_utc=_timestamp(row.get("delisted_utc"), "delisted_utc"),
        last_updated=_timestamp(row.get("last_updated_utc"), "last_updated_utc"),
    )


def parse_tickers_page(data: bytes | str) -> TickersPage:
    """One `/v3/reference/tickers` page: its tickers, rejects and the ``next_url`` (or None)."""
    body = load_body(data, "tickers")
    results: list[TickerRef] = []
    rejects: list[QuarantineRecord] = []
    for index, row in enumerate(_results(body, "tickers")):
        try:
            results.append(_ticker_ref(row))
        except ValueError as exc:
            rejects.append(_reject("tickers", index, str(exc), row))
    next_url = body.get("next_url")
    if next_url is not None and not isinstance(next_url, str):
        raise PolygonFormatError(f"polygon tickers: next_url is {type(next_url).__name__}")
    return TickersPage(results=results, next_url=next_url or None, rejects=rejects)


def parse_ticker_details(data: bytes | str) -> TickerDetails:
    """One ticker's details, or `PolygonFormatError` saying what is missing or malformed."""
    body = load_body(data, "ticker details")
    row = body.get("results")
    if not isinstance(row, dict):
        raise PolygonFormatError("polygon ticker details: no results object")
    try:
        sic_code = _optional_text(row, "sic_code")
        if sic_code is not None and not (sic_code.isdigit() and len(sic_code) <= 4):
            raise ValueError(f"field 'sic_code' is not a SIC code ({sic_code!r})")
        return TickerDetails(
            ticker=_text(row, "ticker"),
            name=_optional_text(row, "name"),
            type=_optional_text(row, "type"),
            cik=_optional_text(row, "cik"),
            sic_code=sic_code.zfill(4) if sic_code else None,
            sic_description=_optional_text(row, "sic_description"),
        )
    except ValueError as exc:
        raise PolygonFormatError(f"polygon ticker details: {exc}") from None


def parse_minute_bars(data: bytes | str, ticker: str) -> list[AggregateBar]:
    """A minute range answer as the websocket's bars (``t`` is the minute's start); rows that do
    not parse are skipped, as a malformed ``AM`` event would be."""
    bars = []
    for row in _results(load_body(data, "minute bars"), "minute bars"):
        try:
            start = int(_number(row, "t"))
            close = _number(row, "c")
            bars.append(
                AggregateBar(
                    ticker.upper(),
                    start,
                    start + MINUTE_MS,
                    _number(row, "o"),
                    _number(row, "h"),
                    _number(row, "l"),
                    close,
                    _number(row, "v"),
                    _optional_number(row, "vw") or close,
                )
            )
        except (ValueError, TypeError, AttributeError):
            continue
    return bars
