"""What the pipeline writes is stored in small row groups, so filters skip more of a mart."""

from __future__ import annotations

from pathlib import Path

import duckdb

from stockyard.warehouse.db import ROW_GROUP_SIZE, connect


def test_a_writable_open_writes_small_row_groups_that_a_plain_reader_opens(
    warehouse_path: Path,
) -> None:
    rows = ROW_GROUP_SIZE * 4
    con = connect(warehouse_path)
    con.execute(
        "CREATE TABLE raw.numbers AS SELECT range AS n, range // 1000 AS k FROM range(?)", [rows]
    )
    groups = con.execute(
        "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('raw.numbers')"
    ).fetchone()
    con.close()

    reader = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        plan = str(
            reader.execute(
                "EXPLAIN ANALYZE SELECT count(*) FROM raw.numbers WHERE k = 7"
            ).fetchall()
        )
        total = reader.execute("SELECT count(*), sum(n) FROM raw.numbers").fetchone()
    finally:
        reader.close()
    assert groups == (4,)  # DuckDB's default would have stored all of these in one
    assert total == (rows, rows * (rows - 1) // 2)
    assert "Row Groups Scanned: 1 / 4" in plan  # the filter read one block of four
