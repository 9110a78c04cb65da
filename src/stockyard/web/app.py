"""The web app: the API app with the HTML pages and their static files mounted on it."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from stockyard.api import create_app
from stockyard.api.errors import warehouse_not_ready_response
from stockyard.config import Settings
from stockyard.warehouse.queries import WarehouseBusy, WarehouseNotReady
from stockyard.web import (
    explore_pages,
    follow_pages,
    global_pages,
    macro_pages,
    overview_pages,
    pages,
    portfolio_pages,
)
from stockyard.web.live import router as live_router
from stockyard.web.templating import STATIC_DIR, templates


def create_web_app(settings: Settings | None = None) -> FastAPI:
    app = create_app(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(overview_pages.router)
    app.include_router(pages.router)
    app.include_router(explore_pages.router)
    app.include_router(macro_pages.router)
    app.include_router(global_pages.router)
    app.include_router(live_router)
    app.include_router(follow_pages.router)
    app.include_router(portfolio_pages.router)
    app.add_api_route("/favicon.ico", _no_favicon, include_in_schema=False)
    # Replaces the API's handler: pages get an HTML explanation, /api keeps its JSON.
    app.add_exception_handler(WarehouseNotReady, _warehouse_not_ready)
    return app


async def _no_favicon() -> Response:
    # Pages declare an empty inline icon; a browser showing a bare page image (a scan) still
    # asks for /favicon.ico, and an empty answer spares it a 404.
    return Response(status_code=204)


async def _warehouse_not_ready(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return await warehouse_not_ready_response(request, exc)
    busy = isinstance(exc, WarehouseBusy)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "title": "Warehouse busy" if busy else "Warehouse not built yet",
            "message": str(exc),
            "next_step": (
                "Reload this page in a few seconds."
                if busy
                else "Reload this page once the build has finished."
            ),
            "next_url": None,
        },
        status_code=503,
    )
