"""One PTR table row: its words gathered cell by cell, then read into a `ParsedTransaction`.

A printed row is several lines: the first carries owner, asset, type, dates and amount; the next
may continue the asset name (often with the "(TICKER) [XX]" tail) and the amount band's second
half; then labelled blocks follow ("Filing Status:", "Subholding Of:", "Description:",
"Comments:", "Location:"), each possibly wrapped over several lines and over a page break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from stockyard.models import ParsedTransaction
from stockyard.models.disclosures import OWNERS
from stockyard.sources.house_clerk.amounts import AmountBandError, parse_amount_band
from stockyard.sources.house_clerk.ptr_layout import Column, Label

__all__ = ["RowDraft", "RowError", "split_asset"]

_TX_TYPES = {
    "P": "P",
    "PURCHASE": "P",
    "S": "S",
    "SALE": "S",
    "S (PARTIAL)": "S (partial)",
    "SALE (PARTIAL)": "S (partial)",
    "E": "E",
    "EXCHANGE": "E",
}
_TYPE_TAG = re.compile(r"\s*\[([A-Za-z0-9]{2})\]")
# A ticker is short and starts with a letter (BRK.B, T, GOOGL); CUSIPs ("912797KJ5") are not tickers
# and stay in the asset name.
_TICKER_TAIL = re.compile(r"\s*\(([A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Z0-9]{1,3})?)\)$")
_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


class RowError(ValueError):
    """A row whose cells cannot be read; it becomes a document reject."""


def is_date(text: str) -> bool:
    return _DATE.match(text) is not None


def parse_date(text: str) -> date:
    if not is_date(text):
        raise RowError(f"not a date: {text!r}")
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError as exc:
        raise RowError(f"impossible date: {text!r}") from exc


def split_asset(text: str) -> tuple[str, str | None, str | None]:
    """``"Apple Inc. (AAPL) [ST]"`` → ``("Apple Inc.", "AAPL", "ST")``.

    The "[XX]" type tag is never a ticker; the ticker is the parenthesised symbol that ends the
    name once the tag is removed, and is absent for funds, bonds and private holdings.
    """
    asset_type: str | None = None
    tags = list(_TYPE_TAG.finditer(text))
    if tags:
        last = tags[-1]
        asset_type = last.group(1).upper()
        text = text[: last.start()] + text[last.end() :]
    text = " ".join(text.split())
    ticker: str | None = None
    if match := _TICKER_TAIL.search(text):
        ticker = match.group(1)
        text = text[: match.start()].rstrip()
    return text, ticker, asset_type


@dataclass
class RowDraft:
    """Words collected for one row while walking the table's lines."""

    page: int
    cells: dict[Column, list[str]] = field(default_factory=dict)
    blocks: dict[Label, list[str]] = field(default_factory=dict)
    open_block: Label | None = None
    raw_lines: list[str] = field(default_factory=list)

    def add_cell_word(self, column: Column, text: str) -> None:
        self.cells.setdefault(column, []).append(text)

    def open(self, label: Label, words: list[str]) -> None:
        self.open_block = label
        self.blocks.setdefault(label, []).extend(words)

    def extend_block(self, words: list[str]) -> None:
        if self.open_block is not None:
            self.blocks[self.open_block].extend(words)

    def cell(self, column: Column) -> str:
        return " ".join(self.cells.get(column, []))

    def block(self, label: Label) -> str | None:
        words = self.blocks.get(label)
        return " ".join(words) if words else None

    @property
    def raw_text(self) -> str:
        return " / ".join(self.raw_lines)

    def to_transaction(self, row: int) -> ParsedTransaction:
        """Read the collected cells; raises `RowError` saying which cell is unreadable."""
        owner = self.cell(Column.OWNER) or None
        if owner is not None and owner not in OWNERS:
            raise RowError(f"unknown owner {owner!r}")
        type_text = self.cell(Column.TX_TYPE)
        tx_type = _TX_TYPES.get(" ".join(type_text.upper().split()))
        if tx_type is None:
            raise RowError(f"unknown transaction type {type_text!r}")
        amount_text = self.cell(Column.AMOUNT)
        try:
            amount_min, amount_max = parse_amount_band(amount_text)
        except AmountBandError as exc:
            raise RowError(str(exc)) from exc
        asset_name, ticker, asset_type = split_asset(self.cell(Column.ASSET))
        if not asset_name:
            raise RowError("empty asset name")
        return ParsedTransaction(
            asset_name=asset_name,
            owner=owner,
            ticker=ticker,
            asset_type=asset_type,
            tx_type=tx_type,
            tx_date=parse_date(self.cell(Column.DATE)),
            notified_date=parse_date(self.cell(Column.NOTIFIED)),
            amount_min=amount_min,
            amount_max=amount_max,
            filing_status=self.block(Label.FILING_STATUS),
            subholding_of=self.block(Label.SUBHOLDING_OF),
            description=self.block(Label.DESCRIPTION),
            comment=self.block(Label.COMMENT),
            page=self.page,
            row=row,
            amount_text=" ".join(amount_text.split()),
        )
