"""Liveness (/healthz) and readiness (/readyz) for a monitor or a load balancer."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from stockyard.api.deps import SettingsDep
from stockyard.api.schemas import Health, Readiness
from stockyard.warehouse.ops_reads import readiness
from stockyard.warehouse.queries import WarehouseBusy, WarehouseNotReady, open_readonly
from stockyard.warehouse.serving import served_path

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(settings: SettingsDep) -> Health:
    """Always 200 while the process runs (a liveness probe); `warehouse` says if data is there."""
    try:
        open_readonly(served_path(settings.resolved_warehouse_path)).close()
    except WarehouseBusy as exc:
        return Health(status="ok", warehouse="busy", detail=str(exc))
    except WarehouseNotReady as exc:
        return Health(status="ok", warehouse="not_built", detail=str(exc))
    return Health(status="ok", warehouse="ready")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready; `reasons` say why"}},
)
def readyz(settings: SettingsDep) -> JSONResponse:
    """200 when the warehouse is readable, its marts published and every source loaded recently.

    A source is stale once its newest load in raw.load_log is older than
    `STOCKYARD_FRESHNESS_MAX_AGE_HOURS` (per-source overrides allowed).
    """
    try:
        con = open_readonly(served_path(settings.resolved_warehouse_path))
    except WarehouseNotReady as exc:
        body = Readiness(
            status="not_ready", reasons=[str(exc)], published_at=None, source_age_hours={}
        )
        return JSONResponse(status_code=503, content=body.model_dump(mode="json"))
    try:
        found = readiness(
            con,
            now=datetime.now(UTC),
            max_age_hours=settings.freshness_max_age_hours_by_source,
            default_max_age_hours=settings.freshness_max_age_hours,
        )
    finally:
        con.close()
    body = Readiness(
        status="ready" if found.ready else "not_ready",
        reasons=found.reasons,
        published_at=found.published_at,
        source_age_hours=found.source_age_hours,
        served_publish=found.served.publish_id if found.served else None,
        served_snapshot=found.served.file if found.served else None,
    )
    return JSONResponse(
        status_code=200 if found.ready else 503, content=body.model_dump(mode="json")
    )
