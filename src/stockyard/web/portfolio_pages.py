"""/portfolios (the precomputed follow-the-filings portfolios ranked) and /portfolio (one
portfolio for any trades filter: chart and statistics), with their JSON and CSV twins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from stockyard.api.deps import WarehouseDep
from stockyard.api.routes.portfolios import (
    PortfolioListQuery,
    PortfolioQuery,
    ranked,
)
from stockyard.warehouse.portfolio_reads import (
    DEFAULT_PORTFOLIO_SORT,
    Portfolio,
    PortfoliosNotBuiltError,
    portfolio_for,
)
from stockyard.warehouse.portfolio_sql import RULES
from stockyard.warehouse.queries import TradeFilters
from stockyard.web.page_kit import chart_json, parse_query, render, twin

router = APIRouter(include_in_schema=False)


def portfolio_chart(portfolio: Portfolio) -> dict[str, Any]:
    """Dollar values per day: the public copy's band range (floor to ceiling), its midpoint,
    the member's own timing (midpoint) and the same new money in the benchmark."""

    def line(field: str) -> list[dict[str, Any]]:
        return [
            {"x": p.date.isoformat(), "y": getattr(p, field)}
            for p in portfolio.series
            if getattr(p, field) is not None
        ]

    return {
        "low": line("public_low"),
        "mid": line("public_mid"),
        "high": line("public_high"),
        "insider": line("insider_mid"),
        "benchmark": line("benchmark"),
        "benchmark_name": portfolio.benchmark or "benchmark",
    }


def portfolio_context(con: WarehouseDep, filters: TradeFilters) -> dict[str, Any]:
    """What a page needs to show a portfolio section (or why there is none)."""
    try:
        portfolio = portfolio_for(con, filters)
    except PortfoliosNotBuiltError as missing:
        return {"portfolio": None, "portfolio_missing": str(missing)}
    return {
        "portfolio": portfolio,
        "portfolio_chart": chart_json(portfolio_chart(portfolio)),
        "portfolio_rules": RULES,
    }


@router.get("/portfolios", response_class=HTMLResponse)
def portfolios_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(PortfolioListQuery, dict(request.query_params))
    result = items = None
    missing = None
    if query is not None:
        try:
            result, items = ranked(con, query, query.page, query.page_size)
        except HTTPException as unbuilt:  # its 404, said on the page
            missing = str(unbuilt.detail)
    return render(
        request,
        "portfolios.html",
        {
            "params": request.query_params,
            "json_url": twin("/api/portfolios", request),
            "csv_url": twin("/api/portfolios.csv", request),
            "form": form,
            "result": result,
            "items": items,
            "missing": missing,
            "rules": RULES,
            "sort": query.sort if query else DEFAULT_PORTFOLIO_SORT,
        },
        errors,
    )


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(PortfolioQuery, dict(request.query_params))
    context: dict[str, Any] = {"portfolio": None}
    if query is not None:
        context = portfolio_context(con, query.to_filters())
    return render(
        request,
        "portfolio.html",
        {
            "params": request.query_params,
            "json_url": twin("/api/portfolio", request),
            "csv_url": twin("/api/portfolio.csv", request),
            "form": form,
            **context,
        },
        errors,
    )
