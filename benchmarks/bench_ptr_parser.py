"""House PTR parser speed against pdfplumber's bare word extraction, plus ground-truth accuracy.

    python benchmarks/bench_ptr_parser.py [--repeat N]

Both rates are measured in this run over every electronic PTR in the bundled sample (best of N
repetitions, each opening the PDFs from bytes): (a) `page.extract_words()` on every page and
nothing else; (b) `parse_ptr_pdf` end to end. A ratio ≥ 1 means the full parser is at least as
fast as merely extracting the words.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from rich.console import Console
from rich.table import Table

import stockyard
from stockyard.sources.house_clerk.accuracy import score_document
from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf

SAMPLE = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc/ptr-pdfs"
TRUTH = Path(__file__).resolve().parents[1] / "tests/fixtures/ptr_ground_truth"


def electronic_ptrs() -> dict[str, bytes]:
    # Electronically filed PTRs have 8-digit DocIDs starting 2; 7-digit ones are paper scans.
    return {
        p.stem: p.read_bytes()
        for p in sorted(SAMPLE.glob("*/*.pdf"))
        if len(p.stem) == 8 and p.stem.startswith("2")
    }


def bare_extract_words(documents: dict[str, bytes]) -> int:
    pages = 0
    for data in documents.values():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_words()
                pages += 1
    return pages


def full_parser(documents: dict[str, bytes]) -> int:
    return sum(parse_ptr_pdf(data, doc_id).page_count for doc_id, data in documents.items())


def best_rate(
    run: Callable[[dict[str, bytes]], int], documents: dict[str, bytes], repeat: int
) -> float:
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = run(documents)
        best = max(best, pages / (time.perf_counter() - start))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    console = Console()
    documents = electronic_ptrs()
    pages = bare_extract_words(documents)  # warm-up: imports, font caches

    # Interleave the two measurements so machine load affects both alike.
    bare = parsed = 0.0
    for _ in range(args.repeat):
        bare = max(bare, best_rate(bare_extract_words, documents, 1))
        parsed = max(parsed, best_rate(full_parser, documents, 1))

    speed = Table(title=f"House PTR parser: {len(documents)} electronic PDFs, {pages} pages")
    speed.add_column("measure")
    speed.add_column("pages/second", justify="right")
    speed.add_row("(a) pdfplumber extract_words, bare", f"{bare:.1f}")
    speed.add_row("(b) parse_ptr_pdf, full", f"{parsed:.1f}")
    speed.add_row("ratio (b)/(a)", f"{parsed / bare:.2f}")
    console.print(speed)

    truth = sorted(TRUTH.glob("[0-9]*.json"))
    accuracy = Table(title=f"Field-level accuracy against {len(truth)} ground-truth files")
    for column in ("DocID", "rows expected", "rows parsed", "fields", "accuracy"):
        accuracy.add_column(column, justify="right")
    fields = matching = 0
    for path in truth:
        expected = json.loads(path.read_text(encoding="utf-8"))
        score = score_document(expected, parse_ptr_pdf(documents[path.stem], path.stem))
        fields += score.fields
        matching += score.matching
        accuracy.add_row(
            path.stem,
            str(score.expected_rows),
            str(score.parsed_rows),
            str(score.fields),
            f"{score.accuracy:.2%}",
        )
    if fields:
        accuracy.add_row("all", "", "", str(fields), f"{matching / fields:.2%}")
    console.print(accuracy)


if __name__ == "__main__":
    main()
