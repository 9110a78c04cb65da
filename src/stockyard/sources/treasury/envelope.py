"""Read one Fiscal Data answer: ``{"data": [...], "meta": {...}, "links": {...}}``.

Every value arrives as a string, a missing one as the literal ``"null"``; ``meta.dataTypes`` says
what each field really is. Rows are typed here, once: amounts become ``Decimal`` (never float, so
a debt figure keeps its cents), dates ``date``, counts ``int``. A row whose value does not read as
its declared type is rejected with the reason (the loader quarantines it); the rest of the page
still loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qs

PARSER_VERSION = "treasury.envelope/1"
NULL = "null"

TypedValue = Decimal | int | date | str | None
TreasuryRow = dict[str, TypedValue]


class TreasuryFormatError(ValueError):
    """The answer is not a Fiscal Data envelope (truncated, an error page, a changed API…)."""


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"not an integer: {text!r}") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}") from None


# Fiscal Data's dataTypes (from its data dictionaries). CURRENCY0 is a whole-number currency.
_TYPED: dict[str, Callable[[str], TypedValue]] = {
    "CURRENCY": _decimal,
    "CURRENCY0": _decimal,
    "NUMBER": _decimal,
    "PERCENTAGE": _decimal,
    "INTEGER": _integer,
    "YEAR": _integer,
    "QUARTER": _integer,
    "MONTH": _integer,
    "DAY": _integer,
    "DATE": _date,
    "STRING": str,
}
KNOWN_TYPES = frozenset(_TYPED)


def type_value(data_type: str, value: Any) -> TypedValue:
    """One field's value as its declared type; ``"null"`` (or JSON null, or "") is None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__} {value!r}")
    text = value.strip()
    if text in ("", NULL):
        return None
    # An unknown type stays text: readable, and check_types() reports it for the fields we use.
    return _TYPED.get(data_type, str)(text)


@dataclass(frozen=True, slots=True)
class RowReject:
    index: int  # position in the page's data list
    reason: str
    payload: str  # the row as received, for the quarantine


@dataclass(slots=True)
class Envelope:
    rows: list[TreasuryRow] = field(default_factory=list)
    rejects: list[RowReject] = field(default_factory=list)
    data_types: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    count: int = 0  # rows on this page (meta.count)
    total_count: int = 0  # rows matching the query on all pages (meta["total-count"])
    total_pages: int = 0
    next_page: int | None = None  # from links.next; None on the last page


def _int_meta(meta: Mapping[str, Any], key: str) -> int:
    value = meta.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TreasuryFormatError(f"treasury: meta.{key} is {value!r}, expected a count")
    return value


def _next_page(links: Any) -> int | None:
    """``links.next`` is a query fragment like ``&page%5Bnumber%5D=2&page%5Bsize%5D=100``."""
    if not isinstance(links, dict) or links.get("next") in (None, ""):
        return None
    fragment = str(links["next"]).lstrip("&?")
    numbers = parse_qs(fragment).get("page[number]")
    if not numbers or not numbers[0].isdigit():
        raise TreasuryFormatError(f"treasury: links.next {links['next']!r} has no page[number]")
    return int(numbers[0])


def _typed_row(raw: dict[str, Any], data_types: Mapping[str, str]) -> TreasuryRow:
    row: TreasuryRow = {}
    for name, value in raw.items():
        try:
            row[name] = type_value(data_types.get(name, "STRING"), value)
        except ValueError as exc:
            raise ValueError(f"field {name!r} ({data_types.get(name, 'STRING')}): {exc}") from None
    return row


def parse_envelope(data: bytes) -> Envelope:
    """One page → typed rows, rejects with reasons, and the paging facts (counts, next page)."""
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise TreasuryFormatError(f"treasury: not valid JSON (truncated?): {exc}") from None
    if not isinstance(body, dict):
        raise TreasuryFormatError("treasury: answer is not a JSON object")
    if "error" in body and "data" not in body:
        raise TreasuryFormatError(f"treasury: the API answered an error: {body.get('message')!r}")
    data_list, meta = body.get("data"), body.get("meta")
    if not isinstance(data_list, list) or not isinstance(meta, dict):
        raise TreasuryFormatError("treasury: answer has no 'data' list or 'meta' object")
    data_types = meta.get("dataTypes")
    if not isinstance(data_types, dict):
        raise TreasuryFormatError("treasury: meta.dataTypes is missing; values cannot be typed")
    labels = meta.get("labels")
    envelope = Envelope(
        data_types={str(k): str(v) for k, v in data_types.items()},
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        count=_int_meta(meta, "count"),
        total_count=_int_meta(meta, "total-count"),
        total_pages=_int_meta(meta, "total-pages"),
        next_page=_next_page(body.get("links")),
    )
    if envelope.count != len(data_list):
        raise TreasuryFormatError(
            f"treasury: meta.count says {envelope.count} rows, the page holds {len(data_list)}"
        )
    for index, raw in enumerate(data_list):
        payload = json.dumps(raw, sort_keys=True)
        if not isinstance(raw, dict):
            envelope.rejects.append(RowReject(index, "row is not an object", payload))
            continue
        try:
            envelope.rows.append(_typed_row(raw, envelope.data_types))
        except ValueError as exc:
            envelope.rejects.append(RowReject(index, str(exc), payload))
    return envelope
