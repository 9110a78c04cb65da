"""The DuckDB warehouse: raw-layer loads, the dbt project's write-audit-publish, read queries.

Member resolution lives in ``stockyard.warehouse.resolution`` (it needs the resolver package).
"""

from stockyard.warehouse.db import connect, transaction
from stockyard.warehouse.raw import (
    LoadResult,
    load_documents,
    load_fd_index,
    load_legislators,
    load_quarantine,
)
from stockyard.warehouse.wap import AuditFailure, PublishResult, audit_report, publish, run_wap

__all__ = [
    "AuditFailure",
    "LoadResult",
    "PublishResult",
    "audit_report",
    "connect",
    "load_documents",
    "load_fd_index",
    "load_legislators",
    "load_quarantine",
    "publish",
    "run_wap",
    "transaction",
]
