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
from stockyard.warehouse.wap import (
    AuditFailure,
    AuditRun,
    PublishRefusedError,
    PublishResult,
    WapResult,
    audit_report,
    finish_audit_run,
    publish,
    record_audit,
    run_wap,
    start_audit_run,
)

__all__ = [
    "AuditFailure",
    "AuditRun",
    "LoadResult",
    "PublishRefusedError",
    "PublishResult",
    "WapResult",
    "audit_report",
    "connect",
    "finish_audit_run",
    "load_documents",
    "load_fd_index",
    "load_legislators",
    "load_quarantine",
    "publish",
    "record_audit",
    "run_wap",
    "start_audit_run",
    "transaction",
]
