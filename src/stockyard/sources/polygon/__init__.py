"""Polygon.io market data (daily bars, open/close, market status, ticker reference)."""

from stockyard.sources.polygon.client import PolygonClient, RepeatedCursorError
from stockyard.sources.polygon.parse import (
    PARSER_VERSION,
    DailyBar,
    OpenClose,
    ParseResult,
    PolygonFormatError,
    TickerRef,
    TickersPage,
    new_york_day,
    parse_grouped_daily,
    parse_open_close,
    parse_range_bars,
    parse_tickers_page,
)

__all__ = [
    "PARSER_VERSION",
    "DailyBar",
    "OpenClose",
    "ParseResult",
    "PolygonClient",
    "PolygonFormatError",
    "RepeatedCursorError",
    "TickerRef",
    "TickersPage",
    "new_york_day",
    "parse_grouped_daily",
    "parse_open_close",
    "parse_range_bars",
    "parse_tickers_page",
]
