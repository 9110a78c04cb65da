"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from stockyard import __version__
from stockyard.api.errors import install_error_handlers
from stockyard.api.routes import health, members, trades
from stockyard.config import Settings, get_settings

DESCRIPTION = """
What US members of Congress disclose they trade, read from Stockyard's audited warehouse.

Trades come from official House Clerk PTRs and Senate eFD reports. Amounts are the disclosed
bands (`amount_max` null means open-ended). Superseded rows (replaced by an amendment) are hidden
unless `include_superseded=true`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API; ``settings`` defaults to the environment's (``STOCKYARD_*``)."""
    app = FastAPI(title="Stockyard", version=__version__, description=DESCRIPTION)
    # Dependencies read settings from app.state so each app (and each test) can carry its own.
    app.state.settings = settings or get_settings()
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(trades.router)
    app.include_router(members.router)
    return app
