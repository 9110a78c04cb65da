"""The Macro page: Treasury, stock-market and congressional series per week, and their rolling
correlations, from the JSON the API serves (/api/macro/weekly, /api/macro/correlations)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stockyard.api.deps import WarehouseDep
from stockyard.api.routes.macro import (
    UNITS,
    CorrelationQuery,
    CorrelationsOut,
    WeeklyMacroOut,
    WeeklyMacroQuery,
    correlations,
    weekly_page,
)
from stockyard.warehouse.macro_reads import has_table
from stockyard.warehouse.queries import Page
from stockyard.web.page_kit import chart_json, parse_query, render, twin

router = APIRouter(include_in_schema=False)

# The chart draws every week of the range on one page (the API's largest page).
CHART_WEEKS = 500
# Series names as a reader says them; keys are weekly_macro columns.
SERIES_LABELS = {
    "total_deposits_usd": "Treasury deposits (USD)",
    "deposits_ex_debt_issues_usd": "Deposits without debt issues (USD)",
    "tax_deposits_usd": "Tax deposits (USD)",
    "refunds_usd": "Tax refunds (USD)",
    "operating_cash_balance_usd": "Operating cash balance (USD)",
    "debt_outstanding_usd": "Public debt outstanding (USD)",
    "debt_change_usd": "Change in public debt (USD)",
    "stock_volume_shares": "US stock volume (shares)",
    "congress_trade_count": "Congressional trades (count)",
    "congress_est_flow_usd": "Congressional net flow (USD)",
}


def _billions(value: float | None) -> float | None:
    return None if value is None else round(value / 1e9, 3)


def weekly_chart(weeks: list[WeeklyMacroOut]) -> dict[str, Any]:
    """Two panels' data: Treasury dollars (in billions), stock volume and trade counts."""
    days = [week.week_end.isoformat() for week in weeks]
    return {
        "labels": days,
        "treasury": [
            {"label": "Total deposits", "data": [_billions(w.total_deposits_usd) for w in weeks]},
            {"label": "Tax deposits", "data": [_billions(w.tax_deposits_usd) for w in weeks]},
            {"label": "Tax refunds", "data": [_billions(w.refunds_usd) for w in weeks]},
        ],
        "market": [
            {
                "label": "US stock volume (billion shares)",
                "data": [_billions(w.stock_volume_shares) for w in weeks],
                "axis": "y",
            },
            {
                "label": "Congressional trades",
                "data": [w.congress_trade_count for w in weeks],
                "axis": "y1",
            },
        ],
    }


@router.get("/macro", response_class=HTMLResponse)
def macro_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    raw = dict(request.query_params)
    query, errors, form = parse_query(WeeklyMacroQuery, {**raw, "page_size": str(CHART_WEEKS)})
    corr_query, corr_errors, _ = parse_query(CorrelationQuery, raw)
    weeks: Page[WeeklyMacroOut] | None = None
    found: CorrelationsOut | None = None
    if query is not None:
        weeks = weekly_page(con, query)
    if corr_query is not None:
        found = correlations(con, corr_query)
    return render(
        request,
        "macro.html",
        {
            "form": form,
            "available": has_table(con, "weekly_macro"),
            "weeks": weeks,
            "recent": list(reversed(weeks.items[-13:])) if weeks else [],
            "chart": chart_json(weekly_chart(weeks.items if weeks else [])),
            "correlations": found,
            "series_labels": SERIES_LABELS,
            "units": UNITS,
            "json_url": twin("/api/macro/weekly", request),
            "csv_url": twin("/api/macro/weekly.csv", request),
            "corr_json_url": twin("/api/macro/correlations", request),
            "corr_csv_url": twin("/api/macro/correlations.csv", request),
        },
        [*errors, *corr_errors],
    )
