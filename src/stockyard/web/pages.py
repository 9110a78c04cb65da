"""The HTML pages: each validates its query with the API's own models and links its JSON twin."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ValidationError

from stockyard.api.deps import WarehouseDep
from stockyard.api.errors import ParamError, describe_errors
from stockyard.api.params import MemberQuery, TradeQuery
from stockyard.warehouse.queries import (
    CHAMBERS,
    DEFAULT_MEMBER_SORT,
    DEFAULT_TRADE_SORT,
    OWNERS,
    PARTIES,
    TX_TYPES,
    get_member,
    list_members,
    list_trades,
)
from stockyard.web.formatting import OWNER_NAMES, TX_TYPE_NAMES
from stockyard.web.links import with_params
from stockyard.web.templating import templates

router = APIRouter(include_in_schema=False)
Q = TypeVar("Q", bound=BaseModel)

BIOGUIDE_ID = re.compile(r"^[A-Za-z]\d{6}$")
# Select boxes show the canonical value even when the URL spelled it another way ("d", "House").
_CANONICAL_FIELDS = ("party", "chamber", "tx_type", "owner", "state", "sort")

# Options for the filter form's select boxes, as (value, label) pairs.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "parties": [(key, name) for key, name in PARTIES.items()],
    "chambers": [(value, value.title()) for value in CHAMBERS],
    "tx_types": [(value, TX_TYPE_NAMES[value]) for value in TX_TYPES],
    "owners": [(value, OWNER_NAMES[None if value == "self" else value]) for value in OWNERS],
    "page_sizes": [(str(size), str(size)) for size in (25, 50, 100, 250, 500)],
}


def _parse(
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


def _twin(path: str, request: Request) -> str:
    """The JSON twin of this page: the same query string on the API route."""
    query = request.url.query
    return f"{path}?{query}" if query else path


def _render(
    request: Request, name: str, context: dict[str, Any], errors: list[Any]
) -> HTMLResponse:
    status = 422 if errors else 200
    return templates.TemplateResponse(
        request, name, {"errors": errors, "choices": CHOICES, **context}, status_code=status
    )


@router.get("/", response_class=HTMLResponse)
@router.get("/trades", response_class=HTMLResponse)
def trades_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    params = request.query_params
    query, errors, form = _parse(TradeQuery, dict(params))
    result = None
    if query is not None:
        result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    return _render(
        request,
        "trades.html",
        {
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_TRADE_SORT,
            "params": params,
            "json_url": _twin("/api/trades", request),
        },
        errors,
    )


@router.get("/members", response_class=HTMLResponse)
def members_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    params = request.query_params
    query, errors, form = _parse(MemberQuery, dict(params))
    result = None
    if query is not None:
        result = list_members(con, **query.to_arguments())
    return _render(
        request,
        "members.html",
        {
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_MEMBER_SORT,
            "params": params,
            "json_url": _twin("/api/members", request),
        },
        errors,
    )


@router.get("/members/{bioguide_id}", response_class=HTMLResponse)
def member_page(request: Request, bioguide_id: str, con: WarehouseDep) -> HTMLResponse:
    profile = get_member(con, bioguide_id) if BIOGUIDE_ID.match(bioguide_id) else None
    if profile is None:
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "title": "Member not found",
                "message": f"No member with bioguide id “{bioguide_id}”.",
                "next_step": "Browse the members list to find the right id.",
                "next_url": "/members?include_without_trades=true",
            },
            status_code=404,
        )
    params = request.query_params
    raw = {key: value for key, value in params.items() if key != "member"}
    query, errors, form = _parse(TradeQuery, {**raw, "member": profile.bioguide_id})
    result = None
    if query is not None:
        result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    return _render(
        request,
        "member.html",
        {
            "member": profile,
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_TRADE_SORT,
            "params": params,
            "json_url": f"/api/members/{profile.bioguide_id}",
            "trades_json_url": "/api/trades" + with_params(params, member=profile.bioguide_id),
        },
        errors,
    )
