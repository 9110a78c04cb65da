"""The PTR parser against hand-typed ground truth (tests/fixtures/ptr_ground_truth/).

Strings are compared exactly, including letter case: the ground truth follows the printed page, and
the parser repairs the case the 2016-2022 font loses in its text layer (see `pdf_words`).
"""

import functools
import json
from pathlib import Path
from typing import Any

import pytest

import stockyard
from stockyard.models import ParsedDocument
from stockyard.sources.house_clerk.accuracy import score_document
from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf
from support.ocr import shared_page_cache

REPO = Path(__file__).resolve().parents[3]
TRUTH = REPO / "tests/fixtures/ptr_ground_truth"
SAMPLE = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc"
TRUTH_FILES = sorted(TRUTH.glob("[0-9]*.json"))
MIN_FIELD_ACCURACY = 0.99


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@functools.cache
def _parsed(doc_id: str) -> ParsedDocument:
    # Parsed once per run: the per-document and the overall tests read the same result.
    return parse_ptr_pdf(
        next(SAMPLE.glob(f"*/*/{doc_id}.pdf")).read_bytes(), doc_id, page_cache=shared_page_cache()
    )


def test_ground_truth_is_present() -> None:
    assert TRUTH_FILES, f"no ground-truth files under {TRUTH}"


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_document_header_status_and_row_count(path: Path) -> None:
    expected = _expected(path)
    parsed = _parsed(expected["doc_id"])
    assert str(parsed.status) == expected["status"]
    assert parsed.filer_name == expected["filer_name"]
    assert parsed.state_district == expected["state_district"]
    score = score_document(expected, parsed)
    assert score.parsed_rows == score.expected_rows


def test_field_level_accuracy_over_all_documents() -> None:
    fields = matching = 0
    mismatches: list[str] = []
    for path in TRUTH_FILES:
        expected = _expected(path)
        score = score_document(expected, _parsed(path.stem))
        fields += score.fields
        matching += score.matching
        mismatches += [f"{path.stem} {m}" for m in score.mismatches]
    assert fields > 0
    accuracy = matching / fields
    assert accuracy >= MIN_FIELD_ACCURACY, "\n".join([f"accuracy {accuracy:.4f}", *mismatches])


def _expected_statuses() -> list[tuple[str, str]]:
    path = TRUTH / "expected_status.json"
    if not path.exists():
        return []
    statuses: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return sorted(statuses.items())


@pytest.mark.parametrize(("relative", "status"), _expected_statuses(), ids=lambda v: str(v))
def test_expected_status(relative: str, status: str) -> None:
    path = REPO / relative
    parsed = parse_ptr_pdf(path.read_bytes(), path.stem, page_cache=shared_page_cache())
    assert str(parsed.status) == status, parsed.error
