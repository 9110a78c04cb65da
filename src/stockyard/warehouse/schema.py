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
        # "text" (a text layer or page) or "ocr" (a scan); OCR rows carry how sure the read is
        # and the fields to check, comma-separated (dbt splits them).
        ("text_source", "VARCHAR"),
        ("confidence", "DOUBLE"),
        ("needs_review", "VARCHAR"),
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
    # Market data (stockyard.warehouse.market). Bars keep every loaded version; the mart picks one.
    "daily_bars": (
        ("ticker", "VARCHAR NOT NULL"),
        ("bar_date", "DATE NOT NULL"),
        ("open", "DOUBLE NOT NULL"),
        ("high", "DOUBLE NOT NULL"),
        ("low", "DOUBLE NOT NULL"),
        ("close", "DOUBLE NOT NULL"),
        ("volume", "DOUBLE"),
        ("vwap", "DOUBLE"),
        ("transactions", "BIGINT"),
        ("adjusted", "BOOLEAN NOT NULL"),
    ),
    # History, never replaced: a change closes the current row (valid_to) and opens a new one.
    "ticker_reference": (
        ("ticker", "VARCHAR NOT NULL"),
        ("name", "VARCHAR"),
        ("market", "VARCHAR"),
        ("type", "VARCHAR"),
        ("active", "BOOLEAN"),
        ("primary_exchange", "VARCHAR"),
        ("cik", "VARCHAR"),
        ("composite_figi", "VARCHAR"),
        ("delisted_utc", "TIMESTAMPTZ"),
        ("last_updated", "TIMESTAMPTZ"),
        ("valid_from", "TIMESTAMPTZ NOT NULL"),
        ("valid_to", "TIMESTAMPTZ"),
        ("is_current", "BOOLEAN NOT NULL"),
    ),
    # One row per ticker asked about (stockyard.warehouse.ticker_details): the newest answer.
    # found = false records a 404 (no details at Polygon), so the ticker is not asked every run.
    "ticker_details": (
        ("ticker", "VARCHAR NOT NULL"),
        ("found", "BOOLEAN NOT NULL"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("cik", "VARCHAR"),
        ("sic_code", "VARCHAR"),
        ("sic_description", "VARCHAR"),
        ("fetched_at", "TIMESTAMPTZ NOT NULL"),
    ),
    "market_days": (
        ("day", "DATE NOT NULL"),
        ("is_trading_day", "BOOLEAN NOT NULL"),
        ("recorded_at", "TIMESTAMPTZ NOT NULL"),
    ),
    # One row per raw.transactions row (source, doc_id, row); rewritten whole by each run.
    "trade_tickers": (
        ("source", "VARCHAR NOT NULL"),
        ("doc_id", "VARCHAR NOT NULL"),
        ("row", "INTEGER NOT NULL"),
        ("asset_name", "VARCHAR"),
        ("reported_ticker", "VARCHAR"),
        ("resolved_ticker", "VARCHAR"),
        ("confidence", "DOUBLE NOT NULL"),
        ("method", "VARCHAR NOT NULL"),
        ("asset_class", "VARCHAR NOT NULL"),
        ("reason", "VARCHAR"),
    ),
    # NSE bhavcopy rows of both file formats (stockyard.warehouse.nse); prices and turnover in INR.
    "nse_bhavcopy": (
        ("symbol", "VARCHAR NOT NULL"),
        ("series", "VARCHAR NOT NULL"),
        ("trade_date", "DATE NOT NULL"),
        ("prev_close", "DOUBLE"),
        ("open", "DOUBLE NOT NULL"),
        ("high", "DOUBLE NOT NULL"),
        ("low", "DOUBLE NOT NULL"),
        ("close", "DOUBLE NOT NULL"),
        ("last", "DOUBLE"),
        ("avg_price", "DOUBLE"),
        ("total_traded_qty", "BIGINT NOT NULL"),
        ("turnover_inr", "DOUBLE NOT NULL"),
        ("number_of_trades", "BIGINT"),
        ("delivery_qty", "BIGINT"),
        ("delivery_pct", "DOUBLE"),
        ("isin", "VARCHAR"),
        ("file_format", "VARCHAR NOT NULL"),
        ("source_line", "INTEGER NOT NULL"),
        ("parser_version", "VARCHAR NOT NULL"),
    ),
    # News articles (stockyard.warehouse.news): one row per (provider, article_id), never twice.
    "news_articles": (
        ("article_id", "VARCHAR NOT NULL"),
        ("provider", "VARCHAR NOT NULL"),
        ("query", "VARCHAR"),
        ("published_at", "TIMESTAMPTZ NOT NULL"),
        ("title", "VARCHAR NOT NULL"),
        ("url", "VARCHAR NOT NULL"),
        ("section", "VARCHAR"),
        ("trail_text", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("sentiment_score", "DOUBLE"),
        ("sentiment_label", "VARCHAR"),
        ("parser_version", "VARCHAR NOT NULL"),
    ),
    # One row per (provider, query): the newest publication time any search for it returned.
    "news_cursors": (
        ("provider", "VARCHAR NOT NULL"),
        ("query", "VARCHAR NOT NULL"),
        ("watermark", "TIMESTAMPTZ NOT NULL"),
    ),
    "news_ticker_sentiment": (
        ("article_id", "VARCHAR NOT NULL"),
        ("provider", "VARCHAR NOT NULL"),
        ("ticker", "VARCHAR NOT NULL"),
        ("relevance_score", "DOUBLE"),
        ("sentiment_score", "DOUBLE"),
        ("sentiment_label", "VARCHAR"),
    ),
    # US Treasury Fiscal Data (stockyard.warehouse.treasury): the fields each dataset requests
    # (stockyard.sources.treasury.datasets), typed by the API's meta.dataTypes. A re-published
    # record_date replaces every earlier row of that date. DTS amounts: USD millions.
    "treasury_dts_deposits": (
        ("record_date", "DATE NOT NULL"),
        ("account_type", "VARCHAR"),
        ("transaction_type", "VARCHAR"),
        ("transaction_catg", "VARCHAR"),
        ("transaction_catg_desc", "VARCHAR"),
        ("transaction_today_amt", "DECIMAL(20,2)"),
        ("src_line_nbr", "INTEGER"),
    ),
    "treasury_dts_income_tax_refunds": (
        ("record_date", "DATE NOT NULL"),
        ("tax_refund_type", "VARCHAR"),
        ("tax_refund_type_desc", "VARCHAR"),
        ("tax_refund_today_amt", "DECIMAL(20,2)"),
        ("src_line_nbr", "INTEGER"),
    ),
    "treasury_dts_operating_cash_balance": (
        ("record_date", "DATE NOT NULL"),
        ("account_type", "VARCHAR"),
        ("close_today_bal", "DECIMAL(20,2)"),
        ("open_today_bal", "DECIMAL(20,2)"),
        ("src_line_nbr", "INTEGER"),
    ),
    # Debt to the penny and revenue collections are in dollars (with cents).
    "treasury_debt_to_penny": (
        ("record_date", "DATE NOT NULL"),
        ("debt_held_public_amt", "DECIMAL(20,2)"),
        ("intragov_hold_amt", "DECIMAL(20,2)"),
        ("tot_pub_debt_out_amt", "DECIMAL(20,2)"),
        ("src_line_nbr", "INTEGER"),
    ),
    "treasury_revenue_collections": (
        ("record_date", "DATE NOT NULL"),
        ("electronic_category_desc", "VARCHAR"),
        ("channel_type_desc", "VARCHAR"),
        ("tax_category_desc", "VARCHAR"),
        ("net_collections_amt", "DECIMAL(20,2)"),
        ("src_line_nbr", "INTEGER"),
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
    # A reviewer's fix of one field of one parsed row (OCR rows above all). Never touched by
    # loads, so a fix survives re-parsing; dbt applies the latest fix per field on top.
    """CREATE TABLE IF NOT EXISTS raw.review_corrections (
    correction_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    row_position INTEGER NOT NULL,
    field VARCHAR NOT NULL,
    old_value VARCHAR,
    new_value VARCHAR,
    reviewer VARCHAR NOT NULL,
    reviewed_at TIMESTAMPTZ NOT NULL,
    note VARCHAR
)""",
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
    # Each published version of each trade (trade_versions.py): what alerts and feeds call new or
    # amended, and when a version was first published.
    """CREATE TABLE IF NOT EXISTS raw.trade_versions (
    trade_id VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    publish_id VARCHAR NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    change VARCHAR NOT NULL,
    changed_fields JSON,
    fields JSON NOT NULL,
    -- not (trade_id, version): a trade can change back to fields it had before (a correction
    -- undone), which is news again
    PRIMARY KEY (trade_id, publish_id)
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


def added_columns_ddl(table: str) -> list[str]:
    """Columns added since a warehouse file was created, so an existing home keeps loading."""
    return [
        f"ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS {name} {column_type(sql_type)}"
        for name, sql_type in RAW_COLUMNS[table]
        if "NOT NULL" not in sql_type
    ]


def column_type(declared: str) -> str:
    """A declared raw column's type without its constraint (what ALTER and casts take)."""
    return declared.replace("NOT NULL", "").strip()


def all_ddl() -> list[str]:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {schema}" for schema in SCHEMAS]
    statements += [raw_table_ddl(table) for table in RAW_COLUMNS]
    statements += [sql for table in RAW_COLUMNS for sql in added_columns_ddl(table)]
    statements += list(_LOG_DDL)
    return statements
