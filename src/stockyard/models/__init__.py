"""Typed records shared across layers."""

from stockyard.models.disclosures import (
    AMOUNT_BANDS,
    DocStatus,
    ParsedDocument,
    ParsedTransaction,
    QuarantineRecord,
)
from stockyard.models.members import Committee, CommitteeMembership, Legislator, Term

__all__ = [
    "AMOUNT_BANDS",
    "Committee",
    "CommitteeMembership",
    "DocStatus",
    "Legislator",
    "ParsedDocument",
    "ParsedTransaction",
    "QuarantineRecord",
    "Term",
]
