"""GET /api/tickers, /api/tickers.csv and /api/tickers/{ticker}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import (
    DailyBarOut,
    Paged,
    TickerDetailOut,
    TickerIndustryOut,
    TickerOut,
    TradeMarkerOut,
)
from stockyard.api.listing_params import TickerQuery
from stockyard.warehouse.queries import Page
from stockyard.warehouse.ticker_reads import TickerSummary, get_ticker, list_tickers

router = APIRouter(prefix="/api", tags=["tickers"])

TICKER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-/]{0,11}$"
Ticker = Annotated[
    str, Path(pattern=TICKER_PATTERN, description="A ticker as traded, e.g. NVDA or BRK.B")
]


def _list(con: WarehouseDep, query: TickerQuery, page: int, page_size: int) -> Page[TickerSummary]:
    return list_tickers(
        con,
        q=query.q,
        chamber=query.chamber,
        party=query.party,
        sort=query.sort,
        page=page,
        page_size=page_size,
    )


@router.get("/tickers", response_model=Paged[TickerOut])
def get_tickers(query: Annotated[TickerQuery, Query()], con: WarehouseDep) -> Paged[TickerOut]:
    """Tickers members traded, with counts, members and estimated volume."""
    result = _list(con, query, query.page, query.page_size)
    items = [TickerOut.model_validate(row) for row in result.items]
    return Paged[TickerOut](
        items=items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/tickers.csv", response_class=Response, responses=CSV_RESPONSES)
def get_tickers_csv(query: Annotated[TickerQuery, Query()], con: WarehouseDep) -> Response:
    result = _list(con, query, 1, MAX_CSV_ROWS)
    rows = [TickerOut.model_validate(row) for row in result.items]
    return csv_response(rows, TickerOut, "tickers.csv")


def ticker_detail(con: WarehouseDep, ticker: str) -> TickerDetailOut | None:
    detail = get_ticker(con, ticker)
    if detail is None:
        return None
    return TickerDetailOut(
        summary=TickerOut.model_validate(detail.summary),
        industry=TickerIndustryOut.model_validate(detail.industry) if detail.industry else None,
        has_price_data=detail.has_price_data,
        bars=[DailyBarOut.model_validate(bar) for bar in detail.bars],
        markers=[TradeMarkerOut.model_validate(marker) for marker in detail.markers],
        trades_url=f"/api/trades?ticker={detail.summary.ticker}",
    )


@router.get(
    "/tickers/{ticker}",
    response_model=TickerDetailOut,
    responses={404: {"description": "No disclosed trade in this ticker"}},
)
def get_ticker_detail(ticker: Ticker, con: WarehouseDep) -> TickerDetailOut:
    """Daily prices (when market data is loaded) and the members' trades to mark on them."""
    detail = ticker_detail(con, ticker)
    if detail is None:
        raise HTTPException(
            status_code=404, detail=f"no disclosed trade in {ticker.upper()!r}; see /api/tickers"
        )
    return detail
