"""Disclosure documents and the transactions parsed from them, one shape for every source.

Conventions (shared by House PDFs, Senate eFD pages, watcher aggregates and vendors):
- ``owner``: ``"SP"`` spouse, ``"JT"`` joint, ``"DC"`` dependent child, ``None`` for the filer.
- ``tx_type``: ``"P"`` purchase, ``"S"`` sale (full), ``"S (partial)"``, ``"E"`` exchange.
- ``asset_type``: the House two-letter code (``"ST"``, ``"OP"``, ``"EF"``, ``"GS"``…) without brackets.
- amounts: the disclosed band as integer dollars; open-ended bands have ``amount_max = None``;
  an exact amount has ``amount_min == amount_max``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class DocStatus(StrEnum):
    PARSED = "parsed"
    NEEDS_OCR = "needs_ocr"
    NOT_PTR = "not_ptr"
    ERROR = "error"


# The statutory bands (5 U.S.C. 13104). "Over $1,000,000" is the spouse/child band.
AMOUNT_BANDS: tuple[tuple[int, int | None], ...] = (
    (1, 1_000),
    (1_001, 15_000),
    (15_001, 50_000),
    (50_001, 100_000),
    (100_001, 250_000),
    (250_001, 500_000),
    (500_001, 1_000_000),
    (1_000_001, 5_000_000),
    (1_000_001, None),
    (5_000_001, 25_000_000),
    (25_000_001, 50_000_000),
    (50_000_001, None),
)

# The House paper form's amount columns, by the letter printed over each.
HOUSE_BAND_LETTERS: dict[str, tuple[int, int | None]] = {
    "A": (1_001, 15_000),
    "B": (15_001, 50_000),
    "C": (50_001, 100_000),
    "D": (100_001, 250_000),
    "E": (250_001, 500_000),
    "F": (500_001, 1_000_000),
    "G": (1_000_001, 5_000_000),
    "H": (5_000_001, 25_000_000),
    "I": (25_000_001, 50_000_000),
    "J": (50_000_001, None),
    "K": (1_000_001, None),  # "Transaction in a spouse or dependent child asset over $1,000,000"
}

OWNERS = ("SP", "JT", "DC")
TX_TYPES = ("P", "S", "S (partial)", "E")


@dataclass(frozen=True, slots=True)
class ParsedTransaction:
    asset_name: str
    owner: str | None = None
    ticker: str | None = None
    asset_type: str | None = None
    tx_type: str | None = None
    tx_date: date | None = None
    notified_date: date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    filing_status: str | None = None  # "New" | "Amended" (House "F S:")
    subholding_of: str | None = None  # House "S O:"
    description: str | None = None  # House "D:"
    comment: str | None = None  # House "C:", Senate comment column
    page: int = 1  # 1-based page the row starts on
    row: int = 0  # 0-based position of the row in the document
    amount_text: str | None = None  # the band as printed, for lineage and debugging
    asset_type_text: str | None = (
        None  # the source's own asset-type wording (Senate "Stock Option")
    )
    source_tx_id: str | None = None  # a vendor's own transaction id, where it has one
    # How the row was read: "text" from a text layer or page, "ocr" from a scanned image. OCR rows
    # carry the row's confidence (the weakest field's, 0..1) and the fields a person should check.
    text_source: str = "text"
    confidence: float = 1.0
    needs_review: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The `stockyard ptr parse --json` shape for one transaction."""
        return {
            "owner": self.owner,
            "asset_name": self.asset_name,
            "ticker": self.ticker,
            "asset_type": self.asset_type,
            "tx_type": self.tx_type,
            "tx_date": self.tx_date.isoformat() if self.tx_date else None,
            "notified_date": self.notified_date.isoformat() if self.notified_date else None,
            "amount_min": self.amount_min,
            "amount_max": self.amount_max,
            "filing_status": self.filing_status,
            "subholding_of": self.subholding_of,
            "description": self.description,
            "page": self.page,
            "text_source": self.text_source,
            "confidence": self.confidence,
            "needs_review": list(self.needs_review),
        }


@dataclass(slots=True)
class ParsedDocument:
    doc_id: str
    source: str  # "house_clerk" | "senate_efd" | "house_watcher" | "senate_watcher" | "benzinga"
    status: DocStatus
    parser_version: str
    filer_name: str | None = None
    state_district: str | None = None  # House "CA11"; Senate None
    chamber: str | None = None  # "house" | "senate"
    bioguide_id: str | None = None  # only when the source states it (Benzinga filer_info.member_id)
    source_url: str | None = None  # where the original document lives (PDF, eFD page)
    filed_date: date | None = None
    report_title: str | None = None
    amendment_number: int | None = None  # Senate "(Amendment 1)"; None for an original
    page_count: int = 0
    transactions: list[ParsedTransaction] = field(default_factory=list)
    # Rows the parser saw but could not read: (page, raw text, reason). They go to quarantine.
    rejects: list[tuple[int, str, str]] = field(default_factory=list)
    error: str | None = None
    # Scanned documents: per page, how it was read ({"page", "rotation", "skew", "problem"}).
    scan_pages: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `stockyard ptr parse --json` document shape."""
        return {
            "doc_id": self.doc_id,
            "status": str(self.status),
            "filer_name": self.filer_name,
            "state_district": self.state_district,
            "transactions": [t.to_json() for t in self.transactions],
            **({"error": self.error} if self.error else {}),
            **({"scan_pages": self.scan_pages} if self.scan_pages else {}),
        }


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    """A record we could not accept, kept with why and where it came from."""

    source: str
    dataset: str
    reason: str
    landing_path: str | None = None
    record_ref: str | None = None  # e.g. "page 3", "line 17", "row 204"
    payload: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
