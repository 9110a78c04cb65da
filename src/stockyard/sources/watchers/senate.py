"""Parse the Senate Stock Watcher aggregate (``aggregate/all_daily_summaries.json``).

One JSON object per eFD filing with its transactions nested, scraped from the eFD HTML (so the
words are the eFD's own: "Sale (Partial)", "Child"…, and ``asset_description``/``ticker`` may still
hold HTML). Paper filings (``/search/view/paper/<uuid>/``) were scanned images the aggregator could
not read: they become ``needs_ocr`` documents without transactions.

Unlike the House aggregate this one is not de-duplicated: a Senate PTR may list the same trade
twice (same day, same band) as separate numbered rows, and the eFD pages confirm such pairs.
The key ``date_recieved`` is misspelt upstream.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction, QuarantineRecord
from stockyard.sources.house_clerk.amounts import parse_amount_band
from stockyard.sources.senate_efd.asset_cell import clean_text, read_asset_html
from stockyard.sources.senate_efd.vocabulary import asset_type_code, owner_code, tx_type_code
from stockyard.sources.watchers.records import WatcherParse, load_json_list, text_field

SOURCE = "senate_watcher"
DATASET = "all_daily_summaries"
PARSER_VERSION = "watchers.senate/1"
_REPORT_LINK = re.compile(r"/search/view/(ptr|paper)/([0-9a-fA-F-]{36})/?$")
_BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
_EMPTY = "--"


def _mdy(text: str, what: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        raise ValueError(f"unreadable {what} {text!r}") from None


def _optional(text: str) -> str | None:
    text = clean_text(text)
    return None if text in ("", _EMPTY) else text


def _transaction(record: Any, row: int) -> ParsedTransaction:
    """One nested transaction. Raises ``ValueError`` with the reason it cannot be kept."""
    if not isinstance(record, dict):
        raise ValueError(f"transaction is a {type(record).__name__}, not an object")
    asset = read_asset_html(text_field(record, "asset_description"), text_field(record, "ticker"))
    try:
        owner = owner_code(text_field(record, "owner"))
        tx_type = tx_type_code(text_field(record, "type"))
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    amount_text = clean_text(text_field(record, "amount"))
    amount_min, amount_max = parse_amount_band(amount_text)
    asset_type_text = clean_text(text_field(record, "asset_type")) or None
    return ParsedTransaction(
        asset_name=asset.name,
        owner=owner,
        ticker=asset.ticker,
        asset_type=asset_type_code(asset_type_text),
        tx_type=tx_type,
        tx_date=_mdy(text_field(record, "transaction_date"), "transaction_date"),
        amount_min=amount_min,
        amount_max=amount_max,
        description=asset.description,
        comment=_optional(text_field(record, "comment")),
        row=row,
        amount_text=amount_text,
        asset_type_text=asset_type_text,
    )


def _reject(reason: str, ref: str, payload: Any) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=DATASET,
        reason=reason,
        record_ref=ref,
        payload=json.dumps(payload, sort_keys=True),
    )


def _document(filing: Any) -> ParsedDocument:
    """The filing's header as a document (no transactions yet). Raises ``ValueError``."""
    if not isinstance(filing, dict):
        raise ValueError(f"filing is a {type(filing).__name__}, not an object")
    link = text_field(filing, "ptr_link").strip()
    match = _REPORT_LINK.search(link)
    if match is None:
        raise ValueError(f"ptr_link is not an eFD report link: {link!r}")
    if not isinstance(filing.get("transactions"), list):
        raise ValueError("field 'transactions' missing or not a list")
    name = clean_text(f"{text_field(filing, 'first_name')} {text_field(filing, 'last_name')}")
    bioguide = filing.get("bioguide")
    return ParsedDocument(
        doc_id=match[2].lower(),
        source=SOURCE,
        status=DocStatus.NEEDS_OCR if match[1] == "paper" else DocStatus.PARSED,
        parser_version=PARSER_VERSION,
        filer_name=name or None,
        chamber="senate",
        # The aggregator states the member's bioguide id itself; keep it only when well-formed.
        bioguide_id=bioguide if isinstance(bioguide, str) and _BIOGUIDE.match(bioguide) else None,
        source_url=link,
        filed_date=_mdy(text_field(filing, "date_recieved"), "date_recieved"),
    )


def parse_senate_watcher(data: bytes) -> WatcherParse:
    """Every filing as a document; unreadable filings and transactions as quarantine records."""
    filings = load_json_list(data, f"{SOURCE} {DATASET}.json")
    result = WatcherParse()
    seen: dict[str, int] = {}
    for index, filing in enumerate(filings):
        try:
            doc = _document(filing)
        except ValueError as exc:
            result.rejects.append(_reject(str(exc), f"filing {index}", filing))
            continue
        if doc.doc_id in seen:
            result.rejects.append(
                _reject(f"duplicate of filing {seen[doc.doc_id]}", f"filing {index}", filing)
            )
            continue
        seen[doc.doc_id] = index
        for position, record in enumerate(filing["transactions"]):
            ref = f"filing {index} transaction {position}"
            if doc.status is DocStatus.NEEDS_OCR:
                # A scanned filing has no machine-readable rows; any here came from elsewhere.
                result.rejects.append(_reject("transaction listed on a paper filing", ref, record))
                continue
            try:
                doc.transactions.append(_transaction(record, position))
            except ValueError as exc:
                result.rejects.append(_reject(str(exc), ref, record))
        result.documents.append(doc)
    return result
