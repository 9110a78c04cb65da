"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from stockyard import __version__
from stockyard.api import metrics
from stockyard.api.caching import ConditionalGetMiddleware
from stockyard.api.errors import install_error_handlers
from stockyard.api.routes import (
    committees,
    exports,
    feeds,
    filings,
    follows,
    health,
    macro,
    members,
    news,
    nse,
    overview,
    page_images,
    pipeline_status,
    portfolios,
    states,
    tickers,
    trades,
)
from stockyard.config import Settings, get_settings
from stockyard.warehouse.reader import SharedReader
from stockyard.warehouse.serving import served_path, serving_dir
from stockyard.warehouse.serving_remote import Puller

DESCRIPTION = """
What US members of Congress disclose they trade, read from Stockyard's audited warehouse.

Trades come from official House Clerk PTRs and Senate eFD reports. Amounts are the disclosed
bands (`amount_max` null means open-ended). Superseded rows (replaced by an amendment) are hidden
unless `include_superseded=true`.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """A web machine given STOCKYARD_SERVING_PULL_URL keeps its snapshot current from there; the
    shared reader closes at shutdown."""
    settings: Settings = app.state.settings
    puller = None
    if settings.serving_pull_url:
        folder = serving_dir(settings.resolved_warehouse_path)
        puller = Puller(settings.serving_pull_url, folder, settings.serving_pull_seconds).start()
    try:
        yield
    finally:
        if puller is not None:
            puller.stop()
        # Let go of the served file at shutdown, not a linger later: a writer may be waiting.
        app.state.warehouse_reader.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API; ``settings`` defaults to the environment's (``STOCKYARD_*``)."""
    app = FastAPI(
        title="Stockyard", version=__version__, description=DESCRIPTION, lifespan=_lifespan
    )
    # Dependencies read settings from app.state so each app (and each test) can carry its own.
    app.state.settings = settings or get_settings()
    install_error_handlers(app)

    def warehouse_path() -> Path:
        # The current serving snapshot, asked per request: a publish switches it under us.
        return served_path(app.state.settings.resolved_warehouse_path)

    app.state.warehouse_reader = SharedReader(
        warehouse_path, linger=app.state.settings.reader_linger_seconds
    )
    app.state.metrics_registry, request_latency = metrics.build_registry(warehouse_path)
    # Added last = outermost: the latency figure includes the time the cache check takes.
    app.add_middleware(ConditionalGetMiddleware, warehouse_path=warehouse_path)
    app.add_middleware(metrics.RequestMetricsMiddleware, histogram=request_latency)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(trades.router)
    app.include_router(exports.router)
    app.include_router(members.router)
    app.include_router(states.router)
    app.include_router(committees.router)
    app.include_router(tickers.router)
    app.include_router(filings.router)
    app.include_router(page_images.router)
    app.include_router(macro.router)
    app.include_router(overview.router)
    app.include_router(pipeline_status.router)
    app.include_router(nse.router)
    app.include_router(news.router)
    app.include_router(feeds.router)
    app.include_router(follows.router)
    app.include_router(portfolios.router)
    return app
