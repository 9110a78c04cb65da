"""Raw loaders for Treasury Fiscal Data: a fetched record_date window in, one transaction.

The Treasury re-publishes: a Daily Treasury Statement can be corrected after the fact, and our
incremental fetch re-reads a few days before the watermark to catch that. So a load replaces, for
every record_date it carries, all earlier rows of that date (whichever window loaded them), then
inserts. Loading the same window twice leaves identical rows; a failure part way leaves the
previous rows in place (one transaction).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from stockyard.models import QuarantineRecord
from stockyard.warehouse.bulk import Lineage, delete_partition, insert_rows
from stockyard.warehouse.db import transaction
from stockyard.warehouse.raw import LoadResult, log_load, quarantine_rows
from stockyard.warehouse.schema import RAW_COLUMNS

SOURCE = "treasury"


def _columns(table: str) -> tuple[str, ...]:
    if not table.startswith("treasury_") or table not in RAW_COLUMNS:
        raise ValueError(f"raw.{table} is not a Treasury raw table")
    return tuple(name for name, _ in RAW_COLUMNS[table])


def load_treasury_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    table: str,
    dataset: str,
    partition: str,
    rows: Sequence[tuple[Mapping[str, Any], str]],
    rejects: Sequence[QuarantineRecord] = (),
) -> LoadResult:
    """Load typed rows (each with its landing path) of one window into ``raw.<table>``.

    A row without a record_date cannot be placed and goes to quarantine instead. Fields the table
    does not have are ignored; fields the row lacks are NULL.
    """
    columns = _columns(table)
    loaded_at = datetime.now(UTC)
    lineage = Lineage(SOURCE, dataset, partition, loaded_at)
    values: list[tuple[Any, ...]] = []
    paths: list[str | None] = []
    quarantine = list(rejects)
    for index, (row, path) in enumerate(rows):
        if not isinstance(row.get("record_date"), date):
            quarantine.append(
                QuarantineRecord(
                    SOURCE, dataset, "row has no record_date", path, f"row {index}", repr(row)
                )
            )
            continue
        values.append(tuple(row.get(name) for name in columns))
        paths.append(path)
    dates = sorted({value[0] for value in values})
    rejected = quarantine_rows(quarantine, partition=partition, at=loaded_at)
    with transaction(con):
        delete_partition(con, table, lineage)
        delete_partition(con, "quarantine", lineage)
        if dates:
            # Re-published dates: the newest load of a date is the truth, whoever loaded it before.
            con.execute(
                f"DELETE FROM raw.{table} WHERE record_date IN (SELECT unnest($1::DATE[]))",
                [dates],
            )
        insert_rows(con, table, values, lineage=lineage, landing_paths=paths)
        insert_rows(
            con, "quarantine", rejected, lineage=lineage, landing_paths=[r[3] for r in rejected]
        )
        log_load(con, lineage, rows=len(values), quarantined=len(rejected), landing_paths=paths)
    return LoadResult(SOURCE, dataset, partition, len(values), len(rejected))


def latest_record_date(con: duckdb.DuckDBPyConnection, table: str) -> date | None:
    """The incremental watermark: the newest record_date loaded into ``raw.<table>``."""
    _columns(table)
    row = con.execute(f"SELECT max(record_date) FROM raw.{table}").fetchone()
    return row[0] if row else None
