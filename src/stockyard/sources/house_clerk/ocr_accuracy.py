"""How well OCR reads scanned PTRs, against hand-typed ground truth.

Rows are paired by an order-keeping alignment (a missed or an extra row must not shift every row
after it, as an index-by-index comparison would). Shared by the OCR ground-truth test and
`benchmarks/bench_ocr.py` so both count the same way:

- field accuracy: right fields / (fields of paired rows + fields of every missed row);
- row precision: output rows paired with a real row / output rows;
- flagged share: wrong fields of paired rows whose name is in that row's ``needs_review``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from stockyard.models import ParsedDocument

__all__ = ["OCR_FIELDS", "OcrScore", "score_ocr_document"]

OCR_FIELDS = (
    "owner",
    "asset_name",
    "tx_type",
    "tx_date",
    "notified_date",
    "amount_min",
    "amount_max",
    "subholding_of",
    "page",
)
# needs_review names the amount once for both of its bounds.
_REVIEW_NAME = {"amount_min": "amount", "amount_max": "amount"}
_PAIR_AT = 0.5


@dataclass(slots=True)
class OcrScore:
    doc_id: str
    expected_rows: int
    output_rows: int
    paired_rows: int = 0
    fields: int = 0
    right: int = 0
    wrong_paired: int = 0
    wrong_flagged: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def field_accuracy(self) -> float:
        return self.right / self.fields if self.fields else 1.0

    @property
    def row_precision(self) -> float:
        return self.paired_rows / self.output_rows if self.output_rows else 1.0

    @property
    def flagged_share(self) -> float:
        return self.wrong_flagged / self.wrong_paired if self.wrong_paired else 1.0

    def add(self, other: OcrScore) -> None:
        for name in (
            "expected_rows",
            "output_rows",
            "paired_rows",
            "fields",
            "right",
            "wrong_paired",
            "wrong_flagged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.mismatches.extend(other.mismatches)


def _similarity(mine: dict[str, Any], theirs: dict[str, Any]) -> float:
    if mine.get("page") != theirs.get("page"):
        return 0.0
    same = sum(mine.get(n) == theirs.get(n) for n in OCR_FIELDS if n not in ("asset_name", "page"))
    name = fuzz.ratio(mine.get("asset_name") or "", theirs.get("asset_name") or "") / 100
    return (same + 3 * name) / (len(OCR_FIELDS) - 2 + 3)


def _align(got: Sequence[dict[str, Any]], want: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs (output index, truth index) maximising total similarity, order kept (DP alignment)."""
    rows, cols = len(got), len(want)
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            sim = _similarity(got[i], want[j])
            pair = best[i + 1][j + 1] + sim if sim >= _PAIR_AT else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        sim = _similarity(got[i], want[j])
        if sim >= _PAIR_AT and best[i][j] == best[i + 1][j + 1] + sim:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def score_ocr_document(expected: dict[str, Any], parsed: ParsedDocument) -> OcrScore:
    # "pages_typed": only those pages were typed; output rows from other pages are left out.
    pages = expected.get("pages_typed")
    got = [t.to_json() for t in parsed.transactions if pages is None or t.page in pages]
    want: list[dict[str, Any]] = expected["transactions"]
    score = OcrScore(expected["doc_id"], expected_rows=len(want), output_rows=len(got))
    pairs = _align(got, want)
    score.paired_rows = len(pairs)
    paired_truth = {j for _, j in pairs}
    for i, j in pairs:
        mine, theirs = got[i], want[j]
        review = set(mine.get("needs_review") or ())
        for name in OCR_FIELDS:
            score.fields += 1
            if mine.get(name) == theirs.get(name):
                score.right += 1
                continue
            score.wrong_paired += 1
            flagged = _REVIEW_NAME.get(name, name) in review
            score.wrong_flagged += flagged
            score.mismatches.append(
                f"{score.doc_id} row {j} {name}: read {mine.get(name)!r}, truth {theirs.get(name)!r}"
                + (" (flagged)" if flagged else " (NOT flagged)")
            )
    for j, theirs in enumerate(want):
        if j not in paired_truth:
            score.fields += len(OCR_FIELDS)
            score.mismatches.append(f"{score.doc_id} row {j} missed: {theirs.get('asset_name')!r}")
    for i, mine in enumerate(got):
        if i not in {a for a, _ in pairs}:
            score.mismatches.append(
                f"{score.doc_id} extra output row {i}: {mine.get('asset_name')!r}"
            )
    return score
