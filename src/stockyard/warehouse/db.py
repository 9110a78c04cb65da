"""Opening the warehouse: one DuckDB file, its raw schema created on first writable open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from stockyard.warehouse.schema import all_ddl


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at ``path``; a writable open also creates the schemas and raw tables."""
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run the pipeline (or a load) first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
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
