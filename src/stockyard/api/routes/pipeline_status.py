"""GET /api/pipeline: loads and freshness per source, audit runs, quarantine, alert deliveries."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from stockyard.alerts.service import store_for
from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.explore_schemas import (
    AlertsStatusOut,
    AuditRunOut,
    DeadLetterOut,
    PipelineOut,
    QuarantineCountOut,
    SourceLoadOut,
)
from stockyard.api.schemas import Readiness
from stockyard.warehouse import ops_reads

router = APIRouter(prefix="/api", tags=["pipeline"])


def pipeline_out(con: WarehouseDep, settings: SettingsDep) -> PipelineOut:
    ready = ops_reads.readiness(
        con,
        now=datetime.now(UTC),
        max_age_hours=settings.freshness_max_age_hours_by_source,
        default_max_age_hours=settings.freshness_max_age_hours,
    )
    newest = ops_reads.newest_filing_by_source(con)
    runs = ops_reads.audit_runs(con, limit=20)
    quarantine, total = ops_reads.quarantine_summary(con)
    return PipelineOut(
        readiness=Readiness(
            status="ready" if ready.ready else "not_ready",
            reasons=ready.reasons,
            published_at=ready.published_at,
            source_age_hours=ready.source_age_hours,
            served_publish=ready.served.publish_id if ready.served else None,
            served_snapshot=ready.served.file if ready.served else None,
        ),
        sources=[
            SourceLoadOut(
                source=load.source,
                datasets=load.datasets,
                partitions=load.partitions,
                rows=load.rows,
                quarantined=load.quarantined,
                last_load=load.last_load,
                newest_filing=newest.get(load.source),
            )
            for load in ops_reads.source_loads(con)
        ],
        audit_runs=[
            AuditRunOut(
                run_id=run.run_id,
                started_at=run.started_at,
                finished_at=run.finished_at,
                passed=run.passed,
                published=run.published,
                failures=run.failures,
                warnings=run.warnings,
                outcome=run.outcome,
                duration_seconds=run.duration_seconds,
            )
            for run in runs
        ],
        last_audit_findings=ops_reads.audit_findings(con, runs[0].run_id) if runs else [],
        quarantine=[QuarantineCountOut.model_validate(row) for row in quarantine],
        quarantine_total=total,
        alerts=alerts_status(settings),
    )


def alerts_status(settings: SettingsDep) -> AlertsStatusOut:
    store = store_for(settings)
    counts = store.summary()
    dead = store.deliveries("dead") if counts["dead"] else []
    return AlertsStatusOut(
        **counts,
        dead_letters=[
            DeadLetterOut(
                delivery_id=d.delivery_id,
                follow_id=d.follow_id,
                publish_id=d.publish_id,
                trades=d.events,
                attempts=d.attempts,
                reason=d.last_error,
                created_at=d.created_at,
            )
            for d in dead[-50:]
        ],
    )


@router.get("/pipeline", response_model=PipelineOut)
def get_pipeline(con: WarehouseDep, settings: SettingsDep) -> PipelineOut:
    """What the pipeline last did: per-source loads, freshness, audit runs and quarantine."""
    return pipeline_out(con, settings)
