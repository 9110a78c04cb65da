"""States, committees, tickers and filings: a listing and a detail page each, with JSON twins."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from stockyard.api.deps import ReviewStoreDep, SettingsDep, WarehouseDep
from stockyard.api.errors import ParamError
from stockyard.api.explore_schemas import CorrectionIn
from stockyard.api.listing_params import (
    CommitteeQuery,
    CommitteeSeatsQuery,
    FilingQuery,
    StateListQuery,
    StateMembersQuery,
    TickerQuery,
)
from stockyard.api.params import TradeQuery
from stockyard.api.routes.committees import committee_detail
from stockyard.api.routes.filings import filing_detail, record_correction
from stockyard.api.routes.states import state_detail
from stockyard.api.routes.tickers import ticker_detail
from stockyard.warehouse.filing_reads import FILING_STATUSES, list_filings
from stockyard.warehouse.place_reads import DEFAULT_SEAT_SORT, list_committees, list_states
from stockyard.warehouse.queries import (
    DEFAULT_TRADE_SORT,
    Page,
    TradeFilters,
    TradeRow,
    list_trades,
)
from stockyard.warehouse.review import REVIEWABLE_FIELDS
from stockyard.warehouse.ticker_reads import list_tickers
from stockyard.web.charts import ticker_chart
from stockyard.web.links import feed_link, with_params
from stockyard.web.page_kit import chart_json, form_fields, not_found, parse_query, render, twin
from stockyard.web.portfolio_pages import portfolio_context

router = APIRouter(include_in_schema=False)

FILING_CHOICES = {
    "statuses": [(value, value.replace("_", " ")) for value in FILING_STATUSES],
    "sources": [
        ("house_clerk", "House Clerk PDF"),
        ("senate_efd", "Senate eFD"),
        ("house_watcher", "House Stock Watcher"),
        ("senate_watcher", "Senate Stock Watcher"),
        ("benzinga", "Benzinga"),
    ],
}


def _listing(
    request: Request, template: str, api_path: str, errors: list[Any], **context: object
) -> HTMLResponse:
    """A listing page: its filters, table, JSON twin and CSV download share one query string."""
    return render(
        request,
        template,
        {
            "params": request.query_params,
            "json_url": twin(api_path, request),
            "csv_url": twin(f"{api_path}.csv", request),
            **context,
        },
        errors,
    )


def _trades_section(
    request: Request, con: WarehouseDep, fixed: dict[str, str]
) -> tuple[Page[TradeRow] | None, list[ParamError], dict[str, str], str]:
    """The trades table a detail page shows, filtered by the page's own key plus the URL's."""
    raw = {key: value for key, value in request.query_params.items() if key not in fixed}
    query, errors, form = parse_query(TradeQuery, {**raw, **fixed})
    result = None
    if query is not None:
        result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    return result, list(errors), form, query.sort if query else DEFAULT_TRADE_SORT


@router.get("/states", response_class=HTMLResponse)
def states_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(StateListQuery, dict(request.query_params))
    result = None
    if query is not None:
        result = list_states(
            con, chamber=query.chamber, sort=query.sort, page=query.page, page_size=query.page_size
        )
    return _listing(
        request,
        "states.html",
        "/api/states",
        errors,
        form=form,
        result=result,
        sort=query.sort if query else "-trade_count",
    )


@router.get("/states/{state}", response_class=HTMLResponse)
def state_page(request: Request, state: str, con: WarehouseDep) -> HTMLResponse:
    roster, roster_errors, _ = parse_query(StateMembersQuery, dict(request.query_params))
    members_sort = roster.members_sort if roster else StateMembersQuery().members_sort
    valid = len(state) == 2 and state.isalpha()
    detail = state_detail(con, state, members_sort) if valid else None
    if detail is None:
        return not_found(
            request, "State not found", f"No members or trades for “{state}”.", "/states"
        )
    code = detail.summary.state
    result, errors, form, sort = _trades_section(request, con, {"state": code})
    params = request.query_params
    return render(
        request,
        "state.html",
        {
            "detail": detail,
            "result": result,
            "form": form,
            "sort": sort,
            "members_sort": members_sort,
            "params": params,
            "json_url": f"/api/states/{code}",
            "csv_url": "/api/trades.csv" + with_params(params, state=code),
            "feed_url": feed_link(params, state=code),
        },
        [*roster_errors, *errors],
    )


@router.get("/committees", response_class=HTMLResponse)
def committees_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(CommitteeQuery, dict(request.query_params))
    result = None
    if query is not None:
        result = list_committees(
            con,
            name=query.name,
            chamber=query.chamber,
            include_subcommittees=query.include_subcommittees,
            sort=query.sort,
            page=query.page,
            page_size=query.page_size,
        )
    return _listing(
        request,
        "committees.html",
        "/api/committees",
        errors,
        form=form,
        result=result,
        sort=query.sort if query else "-trade_count",
    )


@router.get("/committees/{committee_id}", response_class=HTMLResponse)
def committee_page(request: Request, committee_id: str, con: WarehouseDep) -> HTMLResponse:
    roster, roster_errors, _ = parse_query(CommitteeSeatsQuery, dict(request.query_params))
    members_sort = roster.members_sort if roster else DEFAULT_SEAT_SORT
    valid = committee_id.isalnum() and 2 <= len(committee_id) <= 12
    detail = committee_detail(con, committee_id, members_sort) if valid else None
    if detail is None:
        return not_found(
            request, "Committee not found", f"No committee with id “{committee_id}”.", "/committees"
        )
    key = detail.summary.committee_id
    result, errors, form, sort = _trades_section(request, con, {"committee": key})
    params = request.query_params
    return render(
        request,
        "committee.html",
        {
            "detail": detail,
            "result": result,
            "form": form,
            "sort": sort,
            "members_sort": members_sort,
            "params": params,
            "json_url": f"/api/committees/{key}",
            "csv_url": "/api/trades.csv" + with_params(params, committee=key),
            "feed_url": feed_link(params, committee=key),
            **portfolio_context(con, TradeFilters(committee=key)),
        },
        [*roster_errors, *errors],
    )


@router.get("/tickers", response_class=HTMLResponse)
def tickers_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(TickerQuery, dict(request.query_params))
    result = None
    if query is not None:
        result = list_tickers(
            con,
            q=query.q,
            chamber=query.chamber,
            party=query.party,
            sort=query.sort,
            page=query.page,
            page_size=query.page_size,
        )
    return _listing(
        request,
        "tickers.html",
        "/api/tickers",
        errors,
        form=form,
        result=result,
        sort=query.sort if query else "-trade_count",
    )


@router.get("/tickers/{ticker}", response_class=HTMLResponse)
def ticker_page(request: Request, ticker: str, con: WarehouseDep) -> HTMLResponse:
    detail = ticker_detail(con, ticker) if 0 < len(ticker) <= 12 else None
    if detail is None:
        return not_found(
            request, "Ticker not found", f"No disclosed trade in “{ticker}”.", "/tickers"
        )
    key = detail.summary.ticker
    result, errors, form, sort = _trades_section(request, con, {"ticker": key})
    params = request.query_params
    return render(
        request,
        "ticker.html",
        {
            "detail": detail,
            "chart": chart_json(ticker_chart(detail)),
            "result": result,
            "form": form,
            "sort": sort,
            "params": params,
            "json_url": f"/api/tickers/{key}",
            "csv_url": "/api/trades.csv" + with_params(params, ticker=key),
            "feed_url": feed_link(params, ticker=key),
        },
        errors,
    )


@router.get("/filings", response_class=HTMLResponse)
def filings_page(request: Request, con: WarehouseDep) -> HTMLResponse:
    query, errors, form = parse_query(FilingQuery, dict(request.query_params))
    result = list_filings(con, **query.to_arguments()) if query is not None else None
    return _listing(
        request,
        "filings.html",
        "/api/filings",
        errors,
        form=form,
        result=result,
        sort=query.sort if query else "-filed_date",
        filing_choices=FILING_CHOICES,
    )


@router.get("/filings/{filing_id}", response_class=HTMLResponse)
def filing_page(
    request: Request,
    filing_id: str,
    con: WarehouseDep,
    store: ReviewStoreDep,
    settings: SettingsDep,
) -> HTMLResponse:
    detail = filing_detail(con, store, filing_id) if len(filing_id) <= 100 else None
    if detail is None:
        return not_found(
            request, "Filing not found", f"No filing with id “{filing_id}”.", "/filings"
        )
    token = settings.review_token
    return render(
        request,
        "filing.html",
        {
            "detail": detail,
            "json_url": f"/api/filings/{detail.filing.filing_id}",
            "review_enabled": bool(token and token.get_secret_value()),
            "reviewable_fields": REVIEWABLE_FIELDS,
            "message": request.query_params.get("message"),
        },
    )


@router.post("/filings/{filing_id}/corrections")
async def filing_correction_form(
    request: Request,
    filing_id: str,
    con: WarehouseDep,
    store: ReviewStoreDep,
    settings: SettingsDep,
) -> RedirectResponse:
    form = await form_fields(request)
    try:
        correction = CorrectionIn(
            row_position=int(form.get("row", "")),
            field=form.get("field", ""),
            value=form.get("value"),
            reviewer=form.get("reviewer", ""),
            note=form.get("note") or None,
        )
        recorded = record_correction(con, store, settings, filing_id, correction, form.get("token"))
        message = (
            f"Recorded: row {recorded.row_position} {recorded.field.replace('_', ' ')} "
            f"{recorded.old_value or '—'} → {recorded.new_value or '—'}. "
            "It shows in the rows from the next publish."
        )
    except HTTPException as exc:
        message = str(exc.detail)
    except (ValueError, ValidationError) as exc:
        message = f"Not recorded: {exc}"
    target = f"/filings/{quote(filing_id)}?message={quote(message)}#review"
    return RedirectResponse(target, status_code=303)
