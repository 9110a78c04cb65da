"""GET /api/portfolio (one follow-the-filings portfolio: series and statistics), its CSV twin
/api/portfolio.csv (the daily series), and /api/portfolios (the precomputed ones ranked)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import Field, field_validator

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import Paged
from stockyard.api.params import FormParams, TradeQuery, check_sort
from stockyard.api.portfolio_schemas import (
    PortfolioOut,
    PortfolioRankOut,
    PortfolioStatsOut,
    SeriesPointOut,
)
from stockyard.warehouse.portfolio_reads import (
    DEFAULT_PORTFOLIO_SORT,
    PORTFOLIO_SORTS,
    Portfolio,
    PortfolioRank,
    PortfoliosNotBuiltError,
    list_portfolios,
    portfolio_for,
)
from stockyard.warehouse.portfolio_sql import RULES
from stockyard.warehouse.queries import Page

router = APIRouter(prefix="/api", tags=["portfolios"])

NOT_BUILT: dict[int | str, dict[str, Any]] = {
    404: {"description": "The served warehouse has no portfolio marts (built before them)"}
}


class PortfolioQuery(TradeQuery):
    """The /api/trades filters: the portfolio copies every current trade they select (sort and
    page do not apply)."""


class PortfolioListQuery(FormParams):
    kind: Literal["all", "member", "party", "chamber", "committee"] | None = None
    sort: str = Field(
        default=DEFAULT_PORTFOLIO_SORT,
        description=f"One of {', '.join(PORTFOLIO_SORTS)}; prefix '-' for descending",
    )

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, PORTFOLIO_SORTS, tiebreak="portfolio_id")


def filter_params(query: TradeQuery) -> dict[str, str]:
    """The filters a query set, as query-string values (for links to its twins)."""
    dumped = query.model_dump(
        exclude={"sort", "page", "page_size", "include_superseded"}, exclude_defaults=True
    )
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in dumped.items()}


def portfolio_out(portfolio: Portfolio, query: TradeQuery) -> PortfolioOut:
    return PortfolioOut(
        portfolio_id=portfolio.portfolio_id,
        kind=portfolio.kind,
        key=portfolio.key,
        label=portfolio.label,
        precomputed=portfolio.precomputed,
        benchmark=portfolio.benchmark,
        rules=list(RULES),
        series=[SeriesPointOut.model_validate(p) for p in portfolio.series],
        stats=[PortfolioStatsOut.model_validate(s) for s in portfolio.stats],
        csv_url=_with_query("/api/portfolio.csv", filter_params(query)),
    )


def load_portfolio(con: WarehouseDep, query: TradeQuery) -> Portfolio:
    try:
        return portfolio_for(con, query.to_filters())
    except PortfoliosNotBuiltError as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None


@router.get("/portfolio", response_model=PortfolioOut, responses=NOT_BUILT)
def get_portfolio(query: Annotated[PortfolioQuery, Query()], con: WarehouseDep) -> Response:
    """What copying the selected trades would have done, daily, as the public (at the filing)
    and as the member (at the trade), at the band's floor, midpoint and ceiling."""
    out = portfolio_out(load_portfolio(con, query), query)
    return Response(out.model_dump_json(), media_type="application/json")


@router.get("/portfolio.csv", response_class=Response, responses={**CSV_RESPONSES, **NOT_BUILT})
def get_portfolio_csv(query: Annotated[PortfolioQuery, Query()], con: WarehouseDep) -> Response:
    """The daily series of /api/portfolio as CSV."""
    portfolio = load_portfolio(con, query)
    rows = [SeriesPointOut.model_validate(p) for p in portfolio.series]
    name = portfolio.portfolio_id.replace(":", "-")
    return csv_response(rows, SeriesPointOut, f"portfolio-{name}.csv")


def _with_query(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def portfolio_url(kind: str, key: str) -> str:
    """The page of a precomputed portfolio (its filter on /portfolio)."""
    return _with_query("/portfolio", {} if kind == "all" else {kind: key})


def ranked(
    con: WarehouseDep, query: PortfolioListQuery, page: int, page_size: int
) -> tuple[Page[PortfolioRank], list[PortfolioRankOut]]:
    try:
        result = list_portfolios(
            con, kind=query.kind, sort=query.sort, page=page, page_size=page_size
        )
    except PortfoliosNotBuiltError as missing:
        raise HTTPException(status_code=404, detail=str(missing)) from None
    items = [
        PortfolioRankOut.model_validate(row).model_copy(
            update={"url": portfolio_url(row.kind, row.key)}
        )
        for row in result.items
    ]
    return result, items


@router.get("/portfolios", response_model=Paged[PortfolioRankOut], responses=NOT_BUILT)
def get_portfolios(
    query: Annotated[PortfolioListQuery, Query()], con: WarehouseDep
) -> Paged[PortfolioRankOut]:
    """Every precomputed portfolio, ranked by the public copy's total return (midpoints)."""
    result, items = ranked(con, query, query.page, query.page_size)
    return Paged[PortfolioRankOut](
        items=items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/portfolios.csv", response_class=Response, responses={**CSV_RESPONSES, **NOT_BUILT})
def get_portfolios_csv(
    query: Annotated[PortfolioListQuery, Query()], con: WarehouseDep
) -> Response:
    _, items = ranked(con, query, 1, MAX_CSV_ROWS)
    return csv_response(items, PortfolioRankOut, "portfolios.csv")
