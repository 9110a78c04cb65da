"""Trades, members and member pages: each validates its query with the API's own models and
links its JSON twin."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stockyard.api.deps import WarehouseDep
from stockyard.api.params import MemberQuery, TradeQuery
from stockyard.api.routes.members import member_profile
from stockyard.warehouse.member_reads import DEFAULT_MEMBER_SORT, list_members
from stockyard.warehouse.oversight_reads import oversight_flags
from stockyard.warehouse.queries import DEFAULT_TRADE_SORT, TradeFilters, list_trades
from stockyard.web.links import feed_link, with_params
from stockyard.web.page_kit import chart_json, not_found, parse_query, render, twin
from stockyard.web.portfolio_pages import portfolio_context

router = APIRouter(include_in_schema=False)

BIOGUIDE_ID = re.compile(r"^[A-Za-z]\d{6}$")


@router.get("/trades", response_class=HTMLResponse)
def trades_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    params = request.query_params
    query, errors, form = parse_query(TradeQuery, dict(params))
    result = None
    if query is not None:
        result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    return render(
        request,
        "trades.html",
        {
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_TRADE_SORT,
            "params": params,
            "json_url": twin("/api/trades", request),
            "csv_url": twin("/api/trades.csv", request),
            "feed_url": feed_link(params),
        },
        errors,
    )


@router.get("/members", response_class=HTMLResponse)
def members_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    params = request.query_params
    query, errors, form = parse_query(MemberQuery, dict(params))
    result = None
    if query is not None:
        result = list_members(con, **query.to_arguments())
    return render(
        request,
        "members.html",
        {
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_MEMBER_SORT,
            "params": params,
            "json_url": twin("/api/members", request),
            "csv_url": twin("/api/members.csv", request),
        },
        errors,
    )


@router.get("/members/{bioguide_id}", response_class=HTMLResponse)
def member_page(request: Request, bioguide_id: str, con: WarehouseDep) -> HTMLResponse:
    profile = member_profile(con, bioguide_id) if BIOGUIDE_ID.match(bioguide_id) else None
    if profile is None:
        return not_found(
            request,
            "Member not found",
            f"No member with bioguide id “{bioguide_id}”.",
            "/members?include_without_trades=true",
        )
    params = request.query_params
    raw = {key: value for key, value in params.items() if key != "member"}
    query, errors, form = parse_query(TradeQuery, {**raw, "member": profile.bioguide_id})
    result = None
    if query is not None:
        result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    flags = oversight_flags(con, [trade.trade_id for trade in result.items]) if result else {}
    lag_chart = {
        "labels": [b.label for b in profile.lag.histogram],
        "values": [b.trades for b in profile.lag.histogram],
    }
    trades_query = with_params(params, member=profile.bioguide_id)
    return render(
        request,
        "member.html",
        {
            "member": profile,
            "form": form,
            "result": result,
            "sort": query.sort if query else DEFAULT_TRADE_SORT,
            "params": params,
            "json_url": f"/api/members/{profile.bioguide_id}",
            "trades_json_url": "/api/trades" + trades_query,
            "csv_url": "/api/trades.csv" + trades_query,
            "feed_url": feed_link(params, member=profile.bioguide_id),
            "lag_chart": chart_json(lag_chart),
            "flags": flags,
            **portfolio_context(con, TradeFilters(member=profile.bioguide_id)),
        },
        errors,
    )
