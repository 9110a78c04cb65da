"""The front page (overview) and the pipeline status page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.routes.overview import overview_out
from stockyard.api.routes.pipeline_status import pipeline_out
from stockyard.web.charts import party_flow_chart
from stockyard.web.page_kit import chart_json, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    found = overview_out(con)
    lag_chart = {
        "labels": [b.label for b in found.lag.histogram],
        "values": [b.trades for b in found.lag.histogram],
    }
    return render(
        request,
        "overview.html",
        {
            "overview": found,
            "flow_chart": chart_json(party_flow_chart(found.party_flows)),
            "lag_chart": chart_json(lag_chart),
            "json_url": "/api/overview",
        },
    )


@router.get("/pipeline", response_class=HTMLResponse)
def pipeline_page(request: Request, con: WarehouseDep, settings: SettingsDep) -> HTMLResponse:
    return render(
        request,
        "pipeline.html",
        {"status": pipeline_out(con, settings), "json_url": "/api/pipeline"},
    )
