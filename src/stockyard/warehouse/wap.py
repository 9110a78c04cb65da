"""Write-audit-publish: dbt builds the marts into schema ``audit``, tests them there, and only a
fully passing run is copied into ``marts``, in one DuckDB transaction, and from there into a
serving snapshot (serving.py), the file the API reads.

A failing audit leaves ``marts`` exactly as it was; ``audit_report`` says which test failed and
on which rows (dbt's run_results.json plus the failures dbt stored in ``audit_failures``).
Every attempt is a row in ``raw.audit_runs``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import duckdb

from stockyard.warehouse import serving, serving_remote
from stockyard.warehouse.db import connect, transaction
from stockyard.warehouse.dbt import DbtResult, run_dbt
from stockyard.warehouse.ops_reads import existing_tables
from stockyard.warehouse.trade_versions import record_versions

AUDIT_SCHEMA: Final = "audit"
FAILURES_SCHEMA: Final = "audit_failures"
PUBLISHED_SCHEMA: Final = "marts"
TRADE_MART: Final = "fct_trades"
SAMPLE_ROWS: Final = 5
_FAILED_STATUSES: Final = frozenset({"fail", "error", "runtime error"})
# Reported with the audit (and stored in raw.audit_runs) but not blocking publication.
_WARNING_STATUSES: Final = frozenset({"warn"})


class PublishRefusedError(RuntimeError):
    """Publishing was asked for without a passing audit run to publish."""


@dataclass(frozen=True, slots=True)
class AuditFailure:
    test_name: str
    model: str | None
    failing_rows: int
    sample: list[dict[str, Any]] = field(default_factory=list)
    status: str = "fail"  # dbt's: fail, error, or warn (reported, not blocking)
    message: str | None = None

    @property
    def blocking(self) -> bool:
        return self.status != "warn"

    def describe(self) -> str:
        """One line for logs and run metadata: test, model, how many rows, a first example."""
        where = f" on {self.model}" if self.model else ""
        first = f"; e.g. {json.dumps(self.sample[0], default=str)}" if self.sample else ""
        detail = f" ({self.message})" if self.message and not self.sample else ""
        return f"{self.status}: {self.test_name}{where}: {self.failing_rows} rows{detail}{first}"


@dataclass(frozen=True, slots=True)
class PublishResult:
    run_id: str
    tables: dict[str, int]  # published table -> row count
    published_at: datetime


@dataclass(frozen=True, slots=True)
class WapResult:
    run_id: str
    passed: bool
    failures: list[AuditFailure]
    dbt: DbtResult
    published: PublishResult | None


def _now() -> datetime:
    return datetime.now(UTC)


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"dbt artifact {path} is missing: did the dbt run start?")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


def _stored_failures(con: duckdb.DuckDBPyConnection, node: dict[str, Any]) -> list[dict[str, Any]]:
    """A few of the rows dbt stored for a failed test (none for unit tests or errors)."""
    if node.get("resource_type") != "test" or not node.get("config", {}).get("store_failures"):
        return []
    schema, alias = node.get("schema"), node.get("alias")
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, alias],
    ).fetchone()
    if not exists or not exists[0]:
        return []
    cursor = con.execute(f'SELECT * FROM "{schema}"."{alias}" LIMIT {SAMPLE_ROWS}')
    names = [d[0] for d in cursor.description or []]
    return [
        {name: _jsonable(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _tested_model(node: dict[str, Any], nodes: dict[str, Any]) -> str | None:
    parent = node.get("attached_node") or node.get("tested_node_unique_id")
    if not parent:
        models = [n for n in node.get("depends_on", {}).get("nodes", []) if n.startswith("model.")]
        parent = models[0] if models else None
    if node.get("resource_type") == "model":
        return str(node.get("name"))
    if parent:
        return str(nodes.get(parent, {}).get("name") or parent.split(".")[-1])
    return None


def audit_report(con: duckdb.DuckDBPyConnection, *, target_path: Path) -> list[AuditFailure]:
    """Which tests (or models) failed or warned in the dbt run at ``target_path``, on what rows."""
    results = _read_json(target_path / "run_results.json").get("results", [])
    manifest = _read_json(target_path / "manifest.json")
    nodes: dict[str, Any] = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    failures: list[AuditFailure] = []
    for result in results:
        status = str(result.get("status"))
        if status not in _FAILED_STATUSES | _WARNING_STATUSES:
            continue
        unique_id = str(result.get("unique_id"))
        node = nodes.get(unique_id, {})
        failures.append(
            AuditFailure(
                test_name=str(node.get("name") or unique_id),
                model=_tested_model(node, nodes),
                failing_rows=int(result.get("failures") or 0),
                sample=_stored_failures(con, node),
                status=status,
                message=result.get("message"),
            )
        )
    return failures


def publish(
    con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, serving_url: str = ""
) -> PublishResult:
    """Copy every audit mart into ``marts`` in one transaction, for a passing audit run only,
    then write the serving snapshot readers switch to (and push it to ``serving_url`` if set).

    ``run_id`` defaults to the latest recorded run; a run that did not pass is refused.
    """
    row = con.execute(
        """SELECT run_id, passed FROM raw.audit_runs
           WHERE run_id = coalesce(?, run_id)
           ORDER BY started_at DESC LIMIT 1""",
        [run_id],
    ).fetchone()
    if row is None:
        raise PublishRefusedError("no audit run recorded: run dbt build through run_wap first")
    chosen, passed = str(row[0]), row[1]
    if not passed:
        raise PublishRefusedError(f"audit run {chosen} did not pass; marts left as they were")
    tables = [
        str(r[0])
        for r in con.execute(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name""",
            [AUDIT_SCHEMA],
        ).fetchall()
    ]
    if not tables:
        raise PublishRefusedError(f"schema {AUDIT_SCHEMA} holds no tables to publish")
    counts: dict[str, int] = {}
    published_at = _now()
    with transaction(con):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {PUBLISHED_SCHEMA}")
        if TRADE_MART in tables:
            record_versions(
                con,
                source=f"{AUDIT_SCHEMA}.{TRADE_MART}",
                publish_id=chosen,
                published_at=published_at,
                baseline=_first_versions_over_published_trades(con),
            )
        for table in tables:
            con.execute(
                f'CREATE OR REPLACE TABLE {PUBLISHED_SCHEMA}."{table}" AS '
                f'SELECT * FROM {AUDIT_SCHEMA}."{table}"'
            )
            count = con.execute(f'SELECT count(*) FROM {PUBLISHED_SCHEMA}."{table}"').fetchone()
            counts[table] = int(count[0]) if count else 0
        con.execute("UPDATE raw.audit_runs SET published = true WHERE run_id = ?", [chosen])
    path = _database_file(con)
    if path is not None:
        # What readers open from now on: they never touch the file the pipeline writes.
        snapshot = serving.write_snapshot(
            con, serving.serving_dir(path), publish_id=chosen, published_at=published_at
        )
        if serving_url:
            serving_remote.push(snapshot, serving_url)
    return PublishResult(run_id=chosen, tables=counts, published_at=published_at)


def _first_versions_over_published_trades(con: duckdb.DuckDBPyConnection) -> bool:
    """True when trades were published before any version was recorded (a home older than
    versions): its trades are the baseline, not news."""
    if f"{PUBLISHED_SCHEMA}.{TRADE_MART}" not in existing_tables(con):
        return False
    versions = con.execute("SELECT count(*) FROM raw.trade_versions").fetchone()
    return not versions or versions[0] == 0


def _database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


@dataclass(frozen=True, slots=True)
class AuditRun:
    run_id: str
    passed: bool
    failures: list[AuditFailure]


def start_audit_run(con: duckdb.DuckDBPyConnection, *, started_at: datetime | None = None) -> str:
    """Open a raw.audit_runs row before dbt starts; returns its run id."""
    run_id = uuid.uuid4().hex
    con.execute(
        "INSERT INTO raw.audit_runs (run_id, started_at) VALUES (?, ?)",
        [run_id, started_at or _now()],
    )
    return run_id


def finish_audit_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    target_path: Path,
    dbt_succeeded: bool,
    dbt_error: str | None = None,
) -> AuditRun:
    """Judge a finished dbt build from its artifacts and record the verdict.

    For callers that run dbt themselves (the pipeline's dagster-dbt asset) as well as run_wap.
    """
    if dbt_error is None and (target_path / "run_results.json").is_file():
        failures = audit_report(con, target_path=target_path)
    else:
        failures = []
    if not dbt_succeeded and not any(f.blocking for f in failures):
        failures = [
            *failures,
            AuditFailure(
                test_name="dbt",
                model=None,
                failing_rows=0,
                status="error",
                message=dbt_error or "dbt failed without a failing node in run_results.json",
            ),
        ]
    passed = dbt_succeeded and not any(f.blocking for f in failures)
    con.execute(
        """UPDATE raw.audit_runs SET finished_at = ?, passed = ?, failures = ?, message = ?
           WHERE run_id = ?""",
        [_now(), passed, json.dumps([asdict(f) for f in failures]), str(target_path), run_id],
    )
    return AuditRun(run_id, passed, failures)


def record_audit(
    warehouse_path: Path,
    *,
    target_path: Path,
    dbt_success: bool,
    started_at: datetime | None = None,
) -> AuditRun:
    """Record a dbt build someone else ran (the pipeline's dagster-dbt asset) as an audit run."""
    con = connect(warehouse_path)
    try:
        run_id = start_audit_run(con, started_at=started_at)
        return finish_audit_run(
            con, run_id=run_id, target_path=target_path, dbt_succeeded=dbt_success
        )
    finally:
        con.close()


def run_wap(warehouse_path: Path, *, dbt_args: tuple[str, ...] = ("build",)) -> WapResult:
    """Build and audit with dbt, record the attempt, and publish only if every test passed.

    The caller must not hold the warehouse open: dbt needs its own connection meanwhile.
    """
    con = connect(warehouse_path)
    try:
        run_id = start_audit_run(con)
    finally:
        con.close()
    result = run_dbt(list(dbt_args), warehouse_path=warehouse_path)
    con = connect(warehouse_path)
    try:
        audit = finish_audit_run(
            con,
            run_id=run_id,
            target_path=result.target_path,
            dbt_succeeded=result.success,
            dbt_error=result.exception,
        )
        published = publish(con, run_id=run_id) if audit.passed else None
    finally:
        con.close()
    return WapResult(run_id, audit.passed, audit.failures, result, published)
