"""OCR of scanned House PTRs: accuracy against hand-typed ground truth, a survey of every scan,
and seconds per page beside the bare OCR engine on the same pages, in the same run.

    python benchmarks/bench_ocr.py

(a) bare engine: `tesseract page.pgm - tsv` (its default page segmentation) on each page as
rendered at 300 dpi, nothing else; (b) the whole OCR path of `parse_ptr_pdf` with no cache
(render, orientation, deskew, grid, marks, OCR, second look with both engines, validation); (c)
the same with the
page cache warm (a re-run). Both engines run one thread (OMP_THREAD_LIMIT=1), one page at a time.
Target: (b) at most 1.5x (a).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import pypdfium2 as pdfium
from rich.console import Console
from rich.table import Table

import stockyard
from stockyard.landing import FilePageCache
from stockyard.models import DocStatus, ParsedDocument
from stockyard.sources.house_clerk.ocr import engine, scan, second_look
from stockyard.sources.house_clerk.ocr_accuracy import OcrScore, score_ocr_document
from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLE = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc/ptr-pdfs"
TRUTH = REPO / "tests/fixtures/ocr_ground_truth"


def scanned_pdfs() -> dict[str, bytes]:
    """Every scan we have: the demo sample's paper PTRs (7-digit DocIDs) and the test fixture."""
    found = {p.stem: p for p in sorted(SAMPLE.glob("*/*.pdf")) if len(p.stem) == 7}
    found["ayaviri_scan_wied_2025"] = REPO / "tests/fixtures/pdfs/ayaviri_scan_wied_2025.pdf"
    return {doc_id: path.read_bytes() for doc_id, path in found.items()}


def bare_engine(documents: dict[str, bytes]) -> tuple[int, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    pages, seconds = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for data in documents.values():
            pdf = pdfium.PdfDocument(data)
            for index in range(len(pdf)):
                image = pdf[index].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
                path = Path(tmp) / "page.pgm"
                image.save(path)
                start = time.perf_counter()
                subprocess.run(
                    ["tesseract", str(path), "-", "tsv"], env=env, capture_output=True, check=True
                )
                seconds += time.perf_counter() - start
                pages += 1
            pdf.close()
    return pages, seconds


class _EngineClock:
    """Seconds spent inside the OCR engines' calls, by caller, while the pipeline runs."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._originals: list[tuple[Any, str, Callable[..., Any]]] = []

    def __enter__(self) -> _EngineClock:
        for module, name, label in (
            (scan, "read_words", "page pass"),
            (second_look, "read_words", "second look"),
            (second_look, "read_lines", "second engine"),
        ):
            original = getattr(module, name)

            def timed(
                *args: Any, _original: Any = original, _label: str = label, **kwargs: Any
            ) -> Any:
                start = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.seconds[_label] += time.perf_counter() - start

            self._originals.append((module, name, original))
            setattr(module, name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        for module, name, original in self._originals:
            setattr(module, name, original)


def pipeline(
    documents: dict[str, bytes], cache: FilePageCache | None
) -> tuple[dict[str, ParsedDocument], float]:
    start = time.perf_counter()
    docs = {
        doc_id: parse_ptr_pdf(data, doc_id, page_cache=cache) for doc_id, data in documents.items()
    }
    return docs, time.perf_counter() - start


def main() -> None:
    console = Console()
    console.print(f"engine: {engine.engine_version()}")
    documents = scanned_pdfs()
    pages, bare_seconds = bare_engine(documents)
    with tempfile.TemporaryDirectory() as tmp, _EngineClock() as clock:
        cache = FilePageCache(tmp)
        docs, full_seconds = pipeline(documents, cache)
        _, warm_seconds = pipeline(documents, cache)

    speed = Table(title=f"Seconds per page over {len(documents)} scanned PDFs, {pages} pages")
    speed.add_column("measure")
    speed.add_column("s/page", justify="right")
    speed.add_column("x bare", justify="right")
    rows = [
        ("(a) bare tesseract (tsv, default layout)", bare_seconds),
        ("(b) OCR pipeline, no cache", full_seconds),
        ("    of which tesseract page pass", clock.seconds["page pass"]),
        ("    of which tesseract second look", clock.seconds["second look"]),
        ("    of which second engine (PP-OCR lines)", clock.seconds["second engine"]),
        ("    of which everything else", full_seconds - sum(clock.seconds.values())),
        ("(c) OCR pipeline, page cache warm", warm_seconds),
    ]
    for label, seconds in rows:
        speed.add_row(label, f"{seconds / pages:.3f}", f"{seconds / bare_seconds:.2f}")
    console.print(speed)

    survey = Table(title="Survey: every scanned PDF")
    for column in ("DocID", "pages", "status", "rows", "flagged rows", "min conf", "note"):
        survey.add_column(column)
    with_rows = 0
    for doc_id, doc in docs.items():
        flagged = sum(bool(t.needs_review) for t in doc.transactions)
        with_rows += bool(doc.transactions)
        survey.add_row(
            doc_id,
            str(doc.page_count),
            str(doc.status),
            str(len(doc.transactions)),
            str(flagged),
            f"{min((t.confidence for t in doc.transactions), default=0):.2f}",
            (doc.error or "")[:60],
        )
    console.print(survey)
    console.print(
        f"documents with >= 1 transaction: {with_rows}/{len(docs)} = {with_rows / len(docs):.0%} "
        f"(target >= 90%); crashed: 0; errors: {sum(d.status is DocStatus.ERROR for d in docs.values())}"
    )

    accuracy = Table(title="Against hand-typed ground truth (tests/fixtures/ocr_ground_truth)")
    for column in (
        "DocID",
        "rows truth",
        "rows out",
        "paired",
        "field accuracy",
        "row precision",
        "wrong flagged",
    ):
        accuracy.add_column(column, justify="right")
    total = OcrScore("all", 0, 0)
    for path in sorted(TRUTH.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        score = score_ocr_document(truth, docs[truth["doc_id"]])
        total.add(score)
        accuracy.add_row(
            score.doc_id,
            str(score.expected_rows),
            str(score.output_rows),
            str(score.paired_rows),
            f"{score.field_accuracy:.1%}",
            f"{score.row_precision:.1%}",
            f"{score.wrong_flagged}/{score.wrong_paired}",
        )
    accuracy.add_row(
        "all",
        str(total.expected_rows),
        str(total.output_rows),
        str(total.paired_rows),
        f"{total.field_accuracy:.1%}",
        f"{total.row_precision:.1%}",
        f"{total.wrong_flagged}/{total.wrong_paired} = {total.flagged_share:.0%}",
    )
    console.print(accuracy)
    console.print("targets: fields >= 90%, rows >= 95%, wrong fields flagged >= 80%")


if __name__ == "__main__":
    cv2.setNumThreads(1)
    main()
