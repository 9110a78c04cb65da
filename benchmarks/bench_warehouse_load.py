"""Raw-layer load speed: `load_documents` (column-list inserts) vs row-by-row executemany.

Loads 100,000 transactions (1,000 documents × 100 rows) into a fresh DuckDB file each way, in the
same run. Run: `python benchmarks/bench_warehouse_load.py`.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from rich.console import Console

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction
from stockyard.warehouse.db import connect
from stockyard.warehouse.raw import load_documents

DOCS, ROWS = 1_000, 100


def documents() -> list[tuple[ParsedDocument, str]]:
    out = []
    for i in range(DOCS):
        txs = [
            ParsedTransaction(
                asset_name="Apple Inc. - Common Stock",
                ticker="AAPL",
                asset_type="ST",
                tx_type="P",
                tx_date=date(2024, 1, 2),
                notified_date=date(2024, 1, 3),
                amount_min=1_001,
                amount_max=15_000,
                page=r // 10 + 1,
                row=r,
            )
            for r in range(ROWS)
        ]
        doc = ParsedDocument(
            f"D{i:05d}", "house_clerk", DocStatus.PARSED, "bench", transactions=txs
        )
        out.append((doc, f"{i}.pdf"))
    return out


def main() -> None:
    docs = documents()
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "a.duckdb")
        started = time.perf_counter()
        load_documents(con, source="house_clerk", dataset="ptr", partition="bench", documents=docs)
        ours = time.perf_counter() - started
        con.close()

        con = connect(Path(folder) / "b.duckdb")
        sample = docs[:20]  # row-by-row is slow: time 2,000 rows and scale
        rows = [
            (
                d.doc_id,
                d.source,
                t.row,
                t.page,
                t.asset_name,
                t.ticker,
                t.tx_date,
                t.amount_min,
                t.amount_max,
            )
            for d, _ in sample
            for t in d.transactions
        ]
        con.execute(
            "CREATE TABLE t (doc_id VARCHAR, source VARCHAR, r INT, page INT, asset VARCHAR, "
            "ticker VARCHAR, tx_date DATE, amin BIGINT, amax BIGINT)"
        )
        started = time.perf_counter()
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        per_row = (time.perf_counter() - started) / len(rows)
        con.close()
    total = DOCS * ROWS
    console = Console()
    console.print(
        f"load_documents: {total:,} transactions in {ours:.2f} s = {total / ours:,.0f} rows/s"
    )
    console.print(f"executemany baseline: {1 / per_row:,.0f} rows/s (timed on {len(rows):,} rows)")
    console.print(f"ratio: {(total / ours) * per_row:.0f}× the row-by-row rate")


if __name__ == "__main__":
    main()
