"""Liveness, with whether the warehouse can be read yet."""

from __future__ import annotations

from fastapi import APIRouter

from stockyard.api.deps import SettingsDep
from stockyard.api.schemas import Health
from stockyard.warehouse.queries import WarehouseBusy, WarehouseNotReady, open_readonly

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(settings: SettingsDep) -> Health:
    """Always 200 while the process runs (a liveness probe); `warehouse` says if data is there."""
    try:
        open_readonly(settings.resolved_warehouse_path).close()
    except WarehouseBusy as exc:
        return Health(status="ok", warehouse="busy", detail=str(exc))
    except WarehouseNotReady as exc:
        return Health(status="ok", warehouse="not_built", detail=str(exc))
    return Health(status="ok", warehouse="ready")
