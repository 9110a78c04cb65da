"""Parse NSE bhavcopy CSVs (both formats) into typed rows; every amount is converted to INR.

- full (``sec_bhavdata_full``): values separated by ", "; ``TURNOVER_LACS`` is INR lakhs
  (× 100,000 here); delivery columns are "-" where NSE reports none (non-EQ series).
- legacy (``cm…bhav.csv``, zipped): ``TOTTRDVAL`` is already INR; no average price or delivery;
  a trailing comma leaves an empty 14th field.

A line that cannot be read (wrong field count, a non-number, another day's date, a price not
above zero, a symbol and series seen twice) is rejected with its 1-based line number in the file
and the reason; the rest of the file still loads.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from stockyard.models import QuarantineRecord
from stockyard.sources.nse.urls import FULL, LEGACY

SOURCE = "nse"
PARSER_VERSION = "nse.bhavcopy/1"
INR_PER_LAKH = 100_000

FULL_COLUMNS = (
    "SYMBOL",
    "SERIES",
    "DATE1",
    "PREV_CLOSE",
    "OPEN_PRICE",
    "HIGH_PRICE",
    "LOW_PRICE",
    "LAST_PRICE",
    "CLOSE_PRICE",
    "AVG_PRICE",
    "TTL_TRD_QNTY",
    "TURNOVER_LACS",
    "NO_OF_TRADES",
    "DELIV_QTY",
    "DELIV_PER",
)
LEGACY_COLUMNS = (
    "SYMBOL",
    "SERIES",
    "OPEN",
    "HIGH",
    "LOW",
    "CLOSE",
    "LAST",
    "PREVCLOSE",
    "TOTTRDQTY",
    "TOTTRDVAL",
    "TIMESTAMP",
    "TOTALTRADES",
    "ISIN",
)


class NseFormatError(ValueError):
    """The file is not a bhavcopy of the expected format (truncated zip, HTML, wrong header…)."""


@dataclass(frozen=True, slots=True)
class BhavRow:
    """One security's day. Prices and turnover are INR."""

    symbol: str
    series: str
    trade_date: date
    prev_close: float
    open: float
    high: float
    low: float
    close: float
    last: float | None  # NSE leaves it blank for some debt series (NT, AT…)
    avg_price: float | None
    total_traded_qty: int
    turnover_inr: float
    number_of_trades: int | None
    delivery_qty: int | None
    delivery_pct: float | None
    isin: str | None
    file_format: str
    line: int


@dataclass(slots=True)
class BhavcopyParse:
    rows: list[BhavRow] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)
    lines: int = 0  # data lines read (header excluded)


def _number(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} is not a number: {value!r}") from None


def _count(value: str, name: str) -> int:
    number = _number(value, name)
    if number < 0 or number != int(number):
        raise ValueError(f"{name} is not a whole count: {value!r}")
    return int(number)


def _optional(value: str) -> str | None:
    """NSE writes "-" (or nothing) where a figure does not apply."""
    return None if value in ("", "-") else value


def _optional_number(value: str, name: str) -> float | None:
    present = _optional(value)
    return None if present is None else _number(present, name)


def _last_price(value: str, name: str) -> float | None:
    """The last traded price; the legacy file writes 0 where the full one leaves it blank."""
    number = _optional_number(value, name)
    return number if number else None


def _day(value: str, name: str) -> date:
    try:
        return datetime.strptime(value, "%d-%b-%Y").date()
    except ValueError:
        raise ValueError(f"{name} is not a dd-Mon-yyyy date: {value!r}") from None


def _check_prices(row: BhavRow) -> BhavRow:
    prices = {"open": row.open, "high": row.high, "low": row.low, "close": row.close}
    bad = [name for name, value in prices.items() if value <= 0]
    if bad:
        raise ValueError(f"price not above zero ({', '.join(bad)})")
    if row.low > row.high:
        raise ValueError(f"low {row.low} above high {row.high}")
    return row


def _full_row(fields: dict[str, str], line: int) -> BhavRow:
    deliv_qty = _optional(fields["DELIV_QTY"])
    trades = _optional(fields["NO_OF_TRADES"])
    return BhavRow(
        symbol=fields["SYMBOL"],
        series=fields["SERIES"],
        trade_date=_day(fields["DATE1"], "DATE1"),
        prev_close=_number(fields["PREV_CLOSE"], "PREV_CLOSE"),
        open=_number(fields["OPEN_PRICE"], "OPEN_PRICE"),
        high=_number(fields["HIGH_PRICE"], "HIGH_PRICE"),
        low=_number(fields["LOW_PRICE"], "LOW_PRICE"),
        close=_number(fields["CLOSE_PRICE"], "CLOSE_PRICE"),
        last=_last_price(fields["LAST_PRICE"], "LAST_PRICE"),
        avg_price=_optional_number(fields["AVG_PRICE"], "AVG_PRICE"),
        total_traded_qty=_count(fields["TTL_TRD_QNTY"], "TTL_TRD_QNTY"),
        # Lakhs → INR; rounded to the paisa so float noise never shows as a mismatch.
        turnover_inr=round(_number(fields["TURNOVER_LACS"], "TURNOVER_LACS") * INR_PER_LAKH, 2),
        number_of_trades=_count(trades, "NO_OF_TRADES") if trades else None,
        delivery_qty=_count(deliv_qty, "DELIV_QTY") if deliv_qty else None,
        delivery_pct=_optional_number(fields["DELIV_PER"], "DELIV_PER"),
        isin=None,
        file_format=FULL,
        line=line,
    )


def _legacy_row(fields: dict[str, str], line: int) -> BhavRow:
    return BhavRow(
        symbol=fields["SYMBOL"],
        series=fields["SERIES"],
        trade_date=_day(fields["TIMESTAMP"], "TIMESTAMP"),
        prev_close=_number(fields["PREVCLOSE"], "PREVCLOSE"),
        open=_number(fields["OPEN"], "OPEN"),
        high=_number(fields["HIGH"], "HIGH"),
        low=_number(fields["LOW"], "LOW"),
        close=_number(fields["CLOSE"], "CLOSE"),
        last=_last_price(fields["LAST"], "LAST"),
        avg_price=None,
        total_traded_qty=_count(fields["TOTTRDQTY"], "TOTTRDQTY"),
        turnover_inr=_number(fields["TOTTRDVAL"], "TOTTRDVAL"),
        number_of_trades=_count(fields["TOTALTRADES"], "TOTALTRADES"),
        delivery_qty=None,
        delivery_pct=None,
        isin=_optional(fields["ISIN"]),
        file_format=LEGACY,
        line=line,
    )


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(1-based line number, stripped fields) of every non-blank line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            fields = next(csv.reader([line], skipinitialspace=True))
            yield number, [value.strip() for value in fields]


def _parse(
    text: str,
    columns: tuple[str, ...],
    build: Callable[[dict[str, str], int], BhavRow],
    file_format: str,
    expect_day: date | None,
) -> BhavcopyParse:
    lines = _lines(text)
    first = next(lines, None)
    if first is None:
        raise NseFormatError(f"nse {file_format}: the file is empty")
    header = [name for name in first[1] if name]
    if tuple(header) != columns:
        raise NseFormatError(
            f"nse {file_format}: unexpected header {header[:6]}…; expected {list(columns[:6])}…"
        )
    result = BhavcopyParse()
    seen: set[tuple[str, str]] = set()
    for number, values in lines:
        result.lines += 1
        # The legacy format ends every line with a comma: one empty field more than its header.
        if file_format == LEGACY and len(values) == len(columns) + 1 and values[-1] == "":
            values = values[:-1]
        try:
            if len(values) != len(columns):
                raise ValueError(f"{len(values)} fields, expected {len(columns)}")
            row = _check_prices(build(dict(zip(columns, values, strict=True)), number))
            if not row.symbol or not row.series:
                raise ValueError("symbol or series empty")
            if expect_day is not None and row.trade_date != expect_day:
                raise ValueError(f"dated {row.trade_date}, the file is for {expect_day}")
            if (row.symbol, row.series) in seen:
                raise ValueError(f"{row.symbol} {row.series} appears twice in the file")
        except ValueError as exc:
            result.rejects.append(
                QuarantineRecord(
                    source=SOURCE,
                    dataset=file_format,
                    reason=str(exc),
                    record_ref=f"line {number}",
                    payload=", ".join(values)[:1000],
                )
            )
            continue
        seen.add((row.symbol, row.series))
        result.rows.append(row)
    if result.lines and not result.rows:
        raise NseFormatError(
            f"nse {file_format}: none of {result.lines} lines could be read "
            f"(first problem: {result.rejects[0].reason})"
        )
    return result


def _decode(content: bytes, file_format: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NseFormatError(f"nse {file_format}: the file is not text") from None


def parse_full_bhavcopy(content: bytes, expect_day: date | None = None) -> BhavcopyParse:
    """A ``sec_bhavdata_full_DDMMYYYY.csv`` file."""
    return _parse(_decode(content, FULL), FULL_COLUMNS, _full_row, FULL, expect_day)


def parse_legacy_bhavcopy(content: bytes, expect_day: date | None = None) -> BhavcopyParse:
    """A ``cmDDMONYYYYbhav.csv.zip`` file (the zip NSE serves, or the CSV inside it)."""
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(members) != 1:
                    raise NseFormatError(f"nse {LEGACY}: zip holds {len(members)} CSV files, not 1")
                content = archive.read(members[0])
        except (zipfile.BadZipFile, EOFError) as exc:
            raise NseFormatError(f"nse {LEGACY}: broken zip (truncated?): {exc}") from None
    return _parse(_decode(content, LEGACY), LEGACY_COLUMNS, _legacy_row, LEGACY, expect_day)
