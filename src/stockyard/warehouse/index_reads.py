"""Reads the pipeline needs from the raw layer to plan its next fetches."""

from __future__ import annotations

import duckdb


def ptr_doc_ids(con: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """DocIDs of the Periodic Transaction Reports listed in a year's House index."""
    rows = con.execute(
        "SELECT DISTINCT doc_id FROM raw.fd_index "
        "WHERE _partition = ? AND filing_type = 'P' ORDER BY doc_id",
        [str(year)],
    ).fetchall()
    return [str(r[0]) for r in rows]
