"""Field-level agreement between a parsed PTR and a hand-typed ground-truth JSON document.

The ground truth (tests/fixtures/ptr_ground_truth/<DocID>.json) has the `ParsedDocument.to_json()`
shape plus a "comment" per transaction and an optional "pages_typed" list: when present only rows
starting on those pages were typed, so parsed rows starting elsewhere are left out of the match.
Shared by the ground-truth test and the parser benchmark so both count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stockyard.models import ParsedDocument

__all__ = ["COMPARED_FIELDS", "DocumentScore", "score_document"]

COMPARED_FIELDS = (
    "owner",
    "asset_name",
    "ticker",
    "asset_type",
    "tx_type",
    "tx_date",
    "notified_date",
    "amount_min",
    "amount_max",
    "filing_status",
    "subholding_of",
    "description",
    "comment",
    "page",
)


@dataclass(slots=True)
class DocumentScore:
    doc_id: str
    expected_rows: int
    parsed_rows: int
    fields: int = 0
    matching: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.matching / self.fields if self.fields else 0.0


def score_document(expected: dict[str, Any], parsed: ParsedDocument) -> DocumentScore:
    """Compare row by row in document order; a missing or extra row counts every field as wrong."""
    pages = expected.get("pages_typed")
    got = [
        {**t.to_json(), "comment": t.comment}
        for t in parsed.transactions
        if pages is None or t.page in pages
    ]
    want: list[dict[str, Any]] = expected["transactions"]
    score = DocumentScore(expected["doc_id"], expected_rows=len(want), parsed_rows=len(got))
    for index in range(max(len(got), len(want))):
        mine = got[index] if index < len(got) else {}
        theirs = want[index] if index < len(want) else {}
        for name in COMPARED_FIELDS:
            score.fields += 1
            if index < len(got) and index < len(want) and mine.get(name) == theirs.get(name):
                score.matching += 1
            else:
                score.mismatches.append(
                    f"row {index} {name}: parsed {mine.get(name)!r}, expected {theirs.get(name)!r}"
                )
    return score
