"""The NSE and News pages: HTML over the same queries as /api/nse/daily and /api/news."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stockyard.api.deps import WarehouseDep
from stockyard.api.routes.news import NewsQuery, query_news
from stockyard.api.routes.nse import NseQuery, day_out
from stockyard.warehouse.news_reads import PROVIDERS, news_available, news_tickers
from stockyard.warehouse.nse_reads import nse_day
from stockyard.web.page_kit import chart_json, parse_query, render, twin

router = APIRouter(include_in_schema=False)

PROVIDER_NAMES = {"guardian": "The Guardian", "alphavantage": "Alpha Vantage"}


@router.get("/nse", response_class=HTMLResponse)
def nse_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(NseQuery, dict(request.query_params))
    day = day_out(nse_day(con, query.date if query else None))
    breadth = {
        "labels": [b.trade_date.isoformat() for b in day.breadth_history],
        "advances": [b.advances for b in day.breadth_history],
        "declines": [b.declines for b in day.breadth_history],
        "unchanged": [b.unchanged for b in day.breadth_history],
    }
    return render(
        request,
        "nse.html",
        {
            "day": day,
            "form": form,
            "asked": query.date if query else None,
            "breadth_chart": chart_json(breadth),
            "json_url": twin("/api/nse/daily", request),
            "csv_url": day.csv_url,
        },
        errors,
    )


@router.get("/news", response_class=HTMLResponse)
def news_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(NewsQuery, dict(request.query_params))
    result = query_news(con, query, query.page, query.page_size) if query else None
    return render(
        request,
        "news.html",
        {
            "result": result,
            "form": form,
            "params": request.query_params,
            "available": news_available(con),
            "providers": [(p, PROVIDER_NAMES[p]) for p in PROVIDERS],
            "provider_names": PROVIDER_NAMES,
            "linked_tickers": news_tickers(con, limit=20),
            "json_url": twin("/api/news", request),
            "csv_url": twin("/api/news.csv", request),
        },
        errors,
    )
