"""The Live page: sparklines, news and alerts by server-sent events, and the watch-list control.

The page and its event stream read the `LiveHub` of a stream running in the same process
(`stockyard stream --serve PORT`). Changing tickers or news terms (form or ``POST /api/live/watch``)
needs the control token from settings (``STOCKYARD_STREAM__CONTROL_TOKEN``), sent as the form's
token field or an ``X-Stockyard-Token`` header; without a configured token, changes are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, SecretStr
from sse_starlette.sse import EventSourceResponse

from stockyard.api.tokens import check_token
from stockyard.stream.hub import LiveHub
from stockyard.stream.watchlist import WatchList
from stockyard.web.page_kit import form_fields
from stockyard.web.templating import templates

router = APIRouter()
KEEPALIVE_SECONDS = 15


@dataclass
class LiveState:
    hub: LiveHub
    watchlist: WatchList
    token: SecretStr | None


def attach_live(app: FastAPI, hub: LiveHub, watchlist: WatchList, token: SecretStr | None) -> None:
    """Give the web app a running stream's hub and watch-list (the CLI does this)."""
    app.state.live = LiveState(hub, watchlist, token)


def _state(request: Request) -> LiveState | None:
    return getattr(request.app.state, "live", None)


def _require_state(request: Request) -> LiveState:
    state = _state(request)
    if state is None:
        raise HTTPException(
            503,
            "no stream is running in this server: start one with "
            "`stockyard stream --replay src/stockyard/data/sample/minute_bars --serve 8000`",
        )
    return state


def _check_token(state: LiveState, given: str | None) -> None:
    check_token(state.token, given, setting="STOCKYARD_STREAM__CONTROL_TOKEN")


class WatchChange(BaseModel):
    add_tickers: list[str] = []
    remove_tickers: list[str] = []
    add_terms: list[str] = []
    remove_terms: list[str] = []


class WatchListOut(BaseModel):
    tickers: list[str]
    terms: list[str]
    version: int


def _apply(state: LiveState, change: WatchChange) -> WatchListOut:
    try:
        state.watchlist.update(**change.model_dump())
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return WatchListOut.model_validate(state.watchlist.as_dict())


@router.get("/api/live/watch", response_model=WatchListOut, tags=["live"])
def get_watchlist(request: Request) -> WatchListOut:
    """The tickers and news terms the running stream watches."""
    return WatchListOut.model_validate(_require_state(request).watchlist.as_dict())


@router.post("/api/live/watch", response_model=WatchListOut, tags=["live"])
def change_watchlist(
    request: Request,
    change: WatchChange,
    x_stockyard_token: Annotated[str | None, Header()] = None,
) -> WatchListOut:
    """Add or remove tickers and news terms without a restart (needs the control token)."""
    state = _require_state(request)
    _check_token(state, x_stockyard_token)
    return _apply(state, change)


@router.get("/api/live/snapshot", tags=["live"])
def live_snapshot(request: Request) -> JSONResponse:
    """The Live page as JSON: recent bars per ticker, news, alerts and the stream's counters."""
    state = _require_state(request)
    return JSONResponse({**state.hub.snapshot(), "watch": state.watchlist.as_dict()})


@router.get("/live", response_class=HTMLResponse, include_in_schema=False)
def live_page(request: Request) -> HTMLResponse:
    state = _state(request)
    return templates.TemplateResponse(
        request,
        "live.html",
        {
            "running": state is not None,
            "watch": state.watchlist.as_dict() if state else None,
            "control": bool(state and state.token and state.token.get_secret_value()),
            "message": request.query_params.get("message"),
            "json_url": "/api/live/snapshot" if state else None,
        },
    )


@router.post("/live/watch", include_in_schema=False)
async def live_form(request: Request) -> RedirectResponse:
    form = await form_fields(request)
    state = _require_state(request)

    def listed(name: str) -> list[str]:
        value = form.get(name, "").strip()
        return [value] if value else []

    try:
        _check_token(state, form.get("token"))
        _apply(
            state,
            WatchChange(
                add_tickers=listed("add_ticker"),
                remove_tickers=listed("remove_ticker"),
                add_terms=listed("add_term"),
                remove_terms=listed("remove_term"),
            ),
        )
        message = "Watch list updated."
    except HTTPException as exc:
        message = str(exc.detail)
    return RedirectResponse(f"/live?message={quote(message)}", status_code=303)


@router.get("/live/events", include_in_schema=False)
async def live_events(request: Request) -> EventSourceResponse:
    state = _require_state(request)

    async def events() -> AsyncIterator[dict[str, Any]]:
        queue = state.hub.subscribe()
        try:
            snapshot = {**state.hub.snapshot(), "watch": state.watchlist.as_dict()}
            yield {"event": "snapshot", "data": json.dumps(snapshot)}
            version = state.watchlist.version
            while True:
                update: tuple[str, dict[str, Any]] | None = None
                # On a quiet stream sse-starlette sends its own pings; we just recheck the list.
                with contextlib.suppress(TimeoutError):
                    update = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                if state.watchlist.version != version:
                    version = state.watchlist.version
                    yield {"event": "watch", "data": json.dumps(state.watchlist.as_dict())}
                if update is not None:
                    yield {"event": update[0], "data": json.dumps(update[1])}
        finally:
            state.hub.unsubscribe(queue)

    return EventSourceResponse(events(), ping=KEEPALIVE_SECONDS)
