"""Opening the warehouse: one DuckDB file, its raw schema created on first writable open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from stockyard.warehouse.schema import all_ddl

# Rows per row group in what a writable connection writes (DuckDB's default is 122,880). A
# block's min/max lets a filter skip it; smaller blocks let a date range, a member or a ticker
# skip more of a published mart, and let a newest-first page stop after the newest blocks. At
# 1M trades this took the API's filtered trade queries from ~59 to ~41 ms p95 (bench_api).
ROW_GROUP_SIZE = 16_384


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at ``path``; a writable open also creates the schemas and raw tables."""
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run the pipeline (or a load) first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = open_for_writing(path)
    try:
        ensure_schema(con)
    except Exception:
        con.close()
        raise
    return con


def open_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    """The file at ``path``, writable, as the default catalog, writing ROW_GROUP_SIZE row groups.

    The row group size is an ATTACH option only, hence the in-memory host connection.
    """
    con = duckdb.connect()
    try:
        literal = str(path).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS warehouse (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE warehouse")
    except Exception:
        con.close()
        raise
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create whatever raw tables are missing (every statement is IF NOT EXISTS)."""
    with transaction(con):
        for statement in all_ddl():
            con.execute(statement)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One DuckDB transaction: committed when the block ends, rolled back if it raises."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()
