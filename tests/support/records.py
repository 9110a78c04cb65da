"""Hand-made records for warehouse tests: shaped like what the connectors produce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction


@dataclass(frozen=True, slots=True)
class IndexRow:
    """Shaped like stockyard.sources.house_clerk.fd_index.FdIndexRow."""

    doc_id: str
    last: str | None
    first: str | None
    state_district: str | None
    filing_date: date | None
    filing_type: str | None = "P"
    prefix: str | None = "Hon."
    suffix: str | None = None
    year: int | None = 2024


def trade(row: int, **fields: object) -> ParsedTransaction:
    values: dict[str, object] = {
        "asset_name": "Apple Inc. - Common Stock",
        "ticker": "AAPL",
        "asset_type": "ST",
        "tx_type": "P",
        "tx_date": date(2024, 1, 2),
        "notified_date": date(2024, 1, 3),
        "amount_min": 1_001,
        "amount_max": 15_000,
        "page": 1,
        "row": row,
    }
    values.update(fields)
    return ParsedTransaction(**values)  # type: ignore[arg-type]


def document(
    doc_id: str,
    *transactions: ParsedTransaction,
    source: str = "house_clerk",
    status: DocStatus = DocStatus.PARSED,
    **fields: object,
) -> ParsedDocument:
    doc = ParsedDocument(
        doc_id=doc_id,
        source=source,
        status=status,
        parser_version="test-1",
        filer_name="Hon. Virginia Foxx",
        state_district="NC05",
        filed_date=date(2024, 1, 20),
        transactions=list(transactions),
    )
    for name, value in fields.items():
        setattr(doc, name, value)
    return doc
