"""What every page shares: parse a query like the API does, render with the form's choices."""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ValidationError

from stockyard.api.errors import ParamError, describe_errors
from stockyard.warehouse.queries import CHAMBERS, OWNERS, PARTIES, TX_TYPES
from stockyard.web.formatting import OWNER_NAMES, TX_TYPE_NAMES
from stockyard.web.templating import templates

Q = TypeVar("Q", bound=BaseModel)

# Select boxes show the canonical value even when the URL spelled it another way ("d", "House").
_CANONICAL_FIELDS = ("party", "chamber", "tx_type", "owner", "state", "sort", "status", "source")

# Options for the filter forms' select boxes, as (value, label) pairs.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "parties": [(key, name) for key, name in PARTIES.items()],
    "chambers": [(value, value.title()) for value in CHAMBERS],
    "tx_types": [(value, TX_TYPE_NAMES[value]) for value in TX_TYPES],
    "owners": [(value, OWNER_NAMES[None if value == "self" else value]) for value in OWNERS],
    "page_sizes": [(str(size), str(size)) for size in (25, 50, 100, 250, 500)],
}


def parse_query(
    model: type[Q], raw: dict[str, str]
) -> tuple[Q | None, list[ParamError], dict[str, str]]:
    """Validate like the API does, but keep the raw values so the form can show them back."""
    try:
        query = model.model_validate(raw)
    except ValidationError as exc:
        return None, describe_errors(exc.errors()), raw
    form = dict(raw)
    for name in _CANONICAL_FIELDS:
        value = getattr(query, name, None)
        if value is not None and name in raw:
            form[name] = str(value)
    return query, [], form


def twin(path: str, request: Request) -> str:
    """The JSON (or CSV) twin of this page: the same query string on another route."""
    query = request.url.query
    return f"{path}?{query}" if query else path


def render(
    request: Request, name: str, context: dict[str, Any], errors: list[Any] | None = None
) -> HTMLResponse:
    status = 422 if errors else 200
    token = request.app.state.settings.alerts.token
    return templates.TemplateResponse(
        request,
        name,
        {
            "errors": errors or [],
            "choices": CHOICES,
            # The Follow forms show only where the server takes follows.
            "follows_enabled": bool(token and token.get_secret_value()),
            **context,
        },
        status_code=status,
    )


def not_found(request: Request, title: str, message: str, next_url: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "title": title,
            "message": message,
            "next_step": "Browse the list to find the right one.",
            "next_url": next_url,
        },
        status_code=404,
    )


def chart_json(data: Any) -> str:
    """Chart data for a ``<script type="application/json">`` block (``<`` escaped, so a value
    can never close the tag)."""
    return json.dumps(data, default=str).replace("<", "\\u003c")


async def form_fields(request: Request) -> dict[str, str]:
    """A posted urlencoded form, the last value of each field. Read by hand: the few small text
    forms here need no multipart parser."""
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[-1] for key, values in parse_qs(body).items()}
