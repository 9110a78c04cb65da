"""Parse Benzinga's ``/api/v1/gov/usa/congress/trades`` answer into documents.

Benzinga flattens filings into one record per trade; ``report_id`` is the chamber's own document
id (the House DocID), so records are grouped back into one document per report. ``updated``
(epoch seconds) is when Benzinga last touched a record: its maximum is the incremental watermark.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction, QuarantineRecord
from stockyard.sources.house_clerk.amounts import parse_amount_band
from stockyard.sources.senate_efd.vocabulary import owner_code, tx_type_code

SOURCE = "benzinga"
DATASET = "congress_trades"
PARSER_VERSION = "benzinga.trades/1"
CHAMBERS = {"house": "house", "senate": "senate"}
_OWNER_CODES = {"SP", "JT", "DC"}
_SELF = {"", "self", "filer"}
_TX_CODES = {"P": "P", "S": "S", "E": "E", "S (PARTIAL)": "S (partial)", "SP": "S (partial)"}
# Benzinga's security types, where a House two-letter code plainly applies.
_ASSET_CODES = {"STOCK": "ST", "OPTION": "OP", "STOCK OPTION": "OP", "CRYPTO": "CT"}
_DIGITS = re.compile(r"^\d+$")


class BenzingaFormatError(ValueError):
    """The answer is not Benzinga trades JSON at all (truncated, an error page…)."""


@dataclass(slots=True)
class BenzingaParse:
    documents: list[ParsedDocument] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)
    max_updated: int | None = None  # epoch seconds; the next incremental run starts here


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} missing or empty")
    return value.strip()


def _owner(value: Any) -> str | None:
    word = (value or "").strip() if isinstance(value, str) else ""
    if word.upper() in _OWNER_CODES:
        return word.upper()
    if word.lower() in _SELF:
        return None
    try:
        return owner_code(word)  # spelled out ("Spouse", "Joint", "Dependent Child")
    except KeyError:
        raise ValueError(f"unknown ownership {value!r}") from None


def _tx_type(value: str) -> str:
    code = " ".join(value.split()).upper()
    if code in _TX_CODES:
        return _TX_CODES[code]
    try:
        return tx_type_code(value)
    except KeyError:
        raise ValueError(f"unknown transaction_type {value!r}") from None


def _iso_date(record: dict[str, Any], key: str) -> date | None:
    value = record.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"unreadable {key} {value!r}") from None


def _state_district(filer: dict[str, Any], chamber: str) -> str | None:
    state, district = filer.get("state"), str(filer.get("district") or "")
    if chamber != "house" or not isinstance(state, str) or not _DIGITS.match(district):
        return None
    return f"{state.upper()}{int(district):02d}"


def _transaction(record: dict[str, Any], row: int) -> ParsedTransaction:
    security = record.get("security") or {}
    if not isinstance(security, dict):
        raise ValueError("field 'security' is not an object")
    amount_text = _text(record, "amount")
    amount_min, amount_max = parse_amount_band(amount_text)
    security_type = security.get("type") if isinstance(security.get("type"), str) else None
    ticker = security.get("ticker")
    description = record.get("description")
    return ParsedTransaction(
        asset_name=_text(security, "name"),
        owner=_owner(record.get("ownership")),
        ticker=(ticker.strip() or None) if isinstance(ticker, str) else None,
        asset_type=_ASSET_CODES.get(security_type.upper()) if security_type else None,
        tx_type=_tx_type(_text(record, "transaction_type")),
        tx_date=_iso_date(record, "transaction_date"),
        notified_date=_iso_date(record, "notification_date"),
        amount_min=amount_min,
        amount_max=amount_max,
        description=(description.strip() or None) if isinstance(description, str) else None,
        row=row,
        amount_text=amount_text,
        asset_type_text=security_type,
        source_tx_id=_text(record, "transaction_id"),
    )


def _document(record: dict[str, Any]) -> ParsedDocument:
    filer = record.get("filer_info") or {}
    if not isinstance(filer, dict):
        raise ValueError("field 'filer_info' is not an object")
    chamber = CHAMBERS.get(_text(record, "chamber").lower())
    if chamber is None:
        raise ValueError(f"unknown chamber {record.get('chamber')!r}")
    amendment = record.get("amendment_number")
    member_id = filer.get("member_id")
    return ParsedDocument(
        doc_id=_text(record, "report_id"),
        source=SOURCE,
        status=DocStatus.PARSED,
        parser_version=PARSER_VERSION,
        filer_name=filer.get("display_name") or filer.get("member_name") or None,
        state_district=_state_district(filer, chamber),
        chamber=chamber,
        bioguide_id=member_id if isinstance(member_id, str) and member_id else None,
        source_url=record.get("disclosure_url") or None,
        filed_date=_iso_date(record, "report_date"),
        amendment_number=amendment if isinstance(amendment, int) and amendment > 0 else None,
    )


def _reject(reason: str, index: int, record: Any) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=DATASET,
        reason=reason,
        record_ref=f"record {index}",
        payload=json.dumps(record, sort_keys=True),
    )


def parse_trades(data: bytes) -> BenzingaParse:
    """One API page → documents grouped by report, rejects, and the ``updated`` watermark."""
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise BenzingaFormatError(f"benzinga trades: not valid JSON (truncated?): {exc}") from None
    if body == {}:
        return BenzingaParse()  # Benzinga's answer for a day without trades
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise BenzingaFormatError("benzinga trades: answer has no 'data' list")
    result = BenzingaParse()
    documents: dict[str, ParsedDocument] = {}
    for index, record in enumerate(body["data"]):
        if not isinstance(record, dict):
            result.rejects.append(_reject("record is not an object", index, record))
            continue
        updated = record.get("updated")
        if isinstance(updated, int) and (
            result.max_updated is None or updated > result.max_updated
        ):
            # Counted even for a rejected record: it was seen, and re-reading it will not fix it.
            result.max_updated = updated
        try:
            header = _document(record)
            doc = documents.get(header.doc_id, header)
            transaction = _transaction(record, len(doc.transactions))
            documents.setdefault(doc.doc_id, doc).transactions.append(transaction)
        except ValueError as exc:
            result.rejects.append(_reject(str(exc), index, record))
    result.documents = list(documents.values())
    return result
