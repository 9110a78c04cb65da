"""DDL for the warehouse's own schemas: the raw layer loaders write and the audit log WAP writes.

dbt owns everything built from these tables (staging views, the ``audit`` marts, ``marts``);
only the tables below are created from Python, so a fresh file is usable before dbt ever ran.
"""

from __future__ import annotations

from typing import Final

# Every raw row says where it came from; partition loads delete and re-insert by the first three.
LINEAGE_COLUMNS: Final[tuple[str, ...]] = (
    "_source",
    "_dataset",
    "_partition",
    "_landing_path",
    "_loaded_at",
)
_LINEAGE_DDL = """,
    _source VARCHAR NOT NULL,
    _dataset VARCHAR NOT NULL,
    _partition VARCHAR NOT NULL,
    _landing_path VARCHAR,
    _loaded_at TIMESTAMPTZ NOT NULL"""

# Data columns per raw table, in insert order (lineage columns follow them).
RAW_COLUMNS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "fd_index": (
        ("doc_id", "VARCHAR NOT NULL"),
        ("prefix", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("suffix", "VARCHAR"),
        ("filing_type", "VARCHAR"),
        ("state_district", "VARCHAR"),
        ("year", "INTEGER"),
        ("filing_date", "DATE"),
    ),
    "documents": (
        ("doc_id", "VARCHAR NOT NULL"),
        ("source", "VARCHAR NOT NULL"),
        ("chamber", "VARCHAR"),
        ("status", "VARCHAR NOT NULL"),
        ("filer_name", "VARCHAR"),
        ("state_district", "VARCHAR"),
        ("filed_date", "DATE"),
        ("report_title", "VARCHAR"),
        ("amendment_number", "INTEGER"),
        ("bioguide_id", "VARCHAR"),
        ("source_url", "VARCHAR"),
        ("page_count", "INTEGER"),
        ("parser_version", "VARCHAR"),
        ("error", "VARCHAR"),
        ("transaction_count", "INTEGER"),
    ),
    "transactions": (
        ("doc_id", "VARCHAR NOT NULL"),
        ("source", "VARCHAR NOT NULL"),
        ("row", "INTEGER NOT NULL"),
        ("page", "INTEGER"),
        ("asset_name", "VARCHAR"),
        ("owner", "VARCHAR"),
        ("ticker", "VARCHAR"),
        ("asset_type", "VARCHAR"),
        ("tx_type", "VARCHAR"),
        ("tx_date", "DATE"),
        ("notified_date", "DATE"),
        ("amount_min", "BIGINT"),
        ("amount_max", "BIGINT"),
        ("filing_status", "VARCHAR"),
        ("subholding_of", "VARCHAR"),
        ("description", "VARCHAR"),
        ("comment", "VARCHAR"),
        ("amount_text", "VARCHAR"),
        ("asset_type_text", "VARCHAR"),
        ("source_tx_id", "VARCHAR"),
        ("parser_version", "VARCHAR"),
    ),
    "legislators": (
        ("bioguide_id", "VARCHAR NOT NULL"),
        ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("full_name", "VARCHAR"),
        ("middle_name", "VARCHAR"),
        ("nickname", "VARCHAR"),
        ("suffix", "VARCHAR"),
        ("is_current", "BOOLEAN"),
    ),
    "legislator_terms": (
        ("bioguide_id", "VARCHAR NOT NULL"),
        ("term_index", "INTEGER NOT NULL"),
        ("chamber", "VARCHAR"),
        ("state", "VARCHAR"),
        ("district", "INTEGER"),
        ("party", "VARCHAR"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
    ),
    "committees": (
        ("committee_id", "VARCHAR NOT NULL"),
        ("name", "VARCHAR"),
        ("chamber", "VARCHAR"),
        ("parent_id", "VARCHAR"),
        ("jurisdiction", "VARCHAR"),
    ),
    "committee_memberships": (
        ("committee_id", "VARCHAR NOT NULL"),
        ("bioguide_id", "VARCHAR NOT NULL"),
        ("party_side", "VARCHAR"),
        ("rank", "INTEGER"),
        ("title", "VARCHAR"),
    ),
    "member_resolutions": (
        ("source", "VARCHAR NOT NULL"),
        ("doc_id", "VARCHAR NOT NULL"),
        ("filer_name", "VARCHAR"),
        ("bioguide_id", "VARCHAR"),
        ("method", "VARCHAR"),
        ("confidence", "DOUBLE"),
        ("reason", "VARCHAR"),
        ("candidates", "VARCHAR[]"),
    ),
    "quarantine": (
        ("source", "VARCHAR NOT NULL"),
        ("dataset", "VARCHAR NOT NULL"),
        ("partition", "VARCHAR"),
        ("landing_path", "VARCHAR"),
        ("record_ref", "VARCHAR"),
        ("reason", "VARCHAR NOT NULL"),
        ("payload", "VARCHAR"),
        ("quarantined_at", "TIMESTAMPTZ NOT NULL"),
    ),
}

# Logs are history, not partitioned data: they are appended to and never replaced.
_LOG_DDL: Final[tuple[str, ...]] = (
    """CREATE TABLE IF NOT EXISTS raw.load_log (
    source VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    partition VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    quarantined BIGINT NOT NULL,
    landing_paths VARCHAR[],
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS raw.audit_runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    passed BOOLEAN,
    failures JSON,
    published BOOLEAN NOT NULL DEFAULT false,
    message VARCHAR
)""",
)

# `marts` is written only by publish(); creating it up front lets readers open an empty warehouse.
SCHEMAS: Final[tuple[str, ...]] = ("raw", "marts")


def raw_table_ddl(table: str) -> str:
    columns = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in RAW_COLUMNS[table])
    return f"CREATE TABLE IF NOT EXISTS raw.{table} (\n    {columns}{_LINEAGE_DDL}\n)"


def all_ddl() -> list[str]:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {schema}" for schema in SCHEMAS]
    statements += [raw_table_ddl(table) for table in RAW_COLUMNS]
    statements += list(_LOG_DDL)
    return statements
