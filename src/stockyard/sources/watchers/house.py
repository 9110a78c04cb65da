"""Parse the House Stock Watcher aggregate (``data/all_transactions.json``), dirty rows and all.

One JSON object per trade, extracted by the aggregator from House Clerk PTR PDFs. The extraction
leaves garbage we must not load: OCR'd impossible years (2202, 1935), amounts split over lines,
and byte-identical duplicate rows. Rows are judged one by one; a bad row goes to ``rejects`` with
its 0-based position in the JSON array (``"row 6537"``), every good row is kept.

Rules for an impossible date (the PDFs cannot say otherwise):
- a transaction or disclosure date before 2012 (PTRs exist since the STOCK Act of 2012);
- a transaction dated after its own disclosure (notification) date.

``disclosure_date`` is per row and varies within one filing (it is the PDF's notification date),
so it becomes ``notified_date`` and the document's ``filed_date`` is the latest of them.
A byte-identical repeat of an earlier row is rejected as a duplicate; note that a filer can
genuinely report two identical trades, which this aggregate cannot tell apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction, QuarantineRecord
from stockyard.sources.senate_efd.vocabulary import asset_type_code, owner_code, tx_type_code
from stockyard.sources.watchers.cut_bands import parse_band_or_cut
from stockyard.sources.watchers.records import WatcherParse, load_json_list, text_field

SOURCE = "house_watcher"
DATASET = "all_transactions"
PARSER_VERSION = "watchers.house/1"
EARLIEST = date(2012, 1, 1)
_HEADER_FIELDS = ("representative", "district", "source_url")


@dataclass(slots=True)
class _Row:
    filing_id: str
    header: dict[str, str]
    disclosed: date
    transaction: ParsedTransaction


@dataclass(slots=True)
class _Filing:
    header: dict[str, str]
    rows: list[_Row] = field(default_factory=list)


def _mdy(text: str, what: str) -> date:
    try:
        # strptime accepts unpadded "3/7/2018" as well as "03/07/2018".
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        raise ValueError(f"unreadable {what} {text!r}") from None


def _row(record: Any) -> _Row:
    """Validate one aggregate row. Raises ``ValueError`` with the reason it cannot be kept."""
    if not isinstance(record, dict):
        raise ValueError(f"row is a {type(record).__name__}, not an object")
    filing_id = text_field(record, "filing_id").strip()
    if not filing_id:
        raise ValueError("empty filing_id")
    tx_date = _mdy(text_field(record, "transaction_date"), "transaction_date")
    disclosed = _mdy(text_field(record, "disclosure_date"), "disclosure_date")
    for label, day in (("transaction_date", tx_date), ("disclosure_date", disclosed)):
        if day < EARLIEST:
            raise ValueError(f"impossible {label} {day.isoformat()}: before 2012")
    if tx_date > disclosed:
        raise ValueError(
            f"impossible transaction_date {tx_date.isoformat()}: after its disclosure_date "
            f"{disclosed.isoformat()}"
        )
    try:
        owner = owner_code(text_field(record, "owner"))
        tx_type = tx_type_code(text_field(record, "type"))
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    amount_text = " ".join(text_field(record, "amount").split())
    amount_min, amount_max = parse_band_or_cut(amount_text)
    asset_name = " ".join(text_field(record, "asset_description").split())
    if not asset_name:
        raise ValueError("empty asset_description")
    ticker = text_field(record, "ticker").strip()
    asset_type_text = text_field(record, "asset_type").strip() or None
    header = {key: text_field(record, key).strip() for key in _HEADER_FIELDS}
    transaction = ParsedTransaction(
        asset_name=asset_name,
        owner=owner,
        ticker=ticker if ticker not in ("", "--") else None,
        asset_type=asset_type_code(asset_type_text),
        tx_type=tx_type,
        tx_date=tx_date,
        notified_date=disclosed,
        amount_min=amount_min,
        amount_max=amount_max,
        amount_text=amount_text,
        asset_type_text=asset_type_text,
    )
    return _Row(filing_id, header, disclosed, transaction)


def _reject(index: int, record: Any, reason: str) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=DATASET,
        reason=reason,
        record_ref=f"row {index}",
        payload=json.dumps(record, sort_keys=True),
    )


def _document(filing_id: str, filing: _Filing) -> ParsedDocument:
    return ParsedDocument(
        doc_id=filing_id,
        source=SOURCE,
        status=DocStatus.PARSED,
        parser_version=PARSER_VERSION,
        filer_name=filing.header["representative"] or None,
        state_district=filing.header["district"] or None,
        chamber="house",
        source_url=filing.header["source_url"] or None,
        filed_date=max(row.disclosed for row in filing.rows),
        # Position within the filing in aggregate order (the PDF's own order is not recorded).
        transactions=[replace(row.transaction, row=pos) for pos, row in enumerate(filing.rows)],
    )


def parse_house_watcher(data: bytes) -> WatcherParse:
    """Every good row grouped by filing into documents; every bad row as a quarantine record."""
    records = load_json_list(data, f"{SOURCE} {DATASET}.json")
    result = WatcherParse()
    filings: dict[str, _Filing] = {}
    first_seen: dict[str, int] = {}
    for index, record in enumerate(records):
        canonical = json.dumps(record, sort_keys=True)
        if canonical in first_seen:
            result.rejects.append(
                _reject(index, record, f"duplicate of row {first_seen[canonical]}")
            )
            continue
        first_seen[canonical] = index
        try:
            row = _row(record)
        except ValueError as exc:
            result.rejects.append(_reject(index, record, str(exc)))
            continue
        filing = filings.setdefault(row.filing_id, _Filing(header=row.header))
        if row.header != filing.header:
            result.rejects.append(
                _reject(index, record, f"conflicts with filing {row.filing_id}'s filer or URL")
            )
            continue
        filing.rows.append(row)
    result.documents = [_document(fid, filing) for fid, filing in filings.items()]
    return result
