"""GET /api/macro/weekly (+ .csv) and /api/macro/correlations (+ .csv): the Macro page's data.

Units travel with the data: every *_usd field is US dollars (the Treasury publishes the Daily
Treasury Statement in millions; the warehouse converted), stock volume is shares.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import Paged
from stockyard.api.params import FormParams
from stockyard.warehouse.macro_reads import (
    DEFAULT_MIN_OBSERVATIONS,
    Correlations,
    correlations_at,
    list_weekly_macro,
)
from stockyard.warehouse.queries import Page

router = APIRouter(prefix="/api/macro", tags=["macro"])

UNITS = (
    "*_usd: US dollars (Daily Treasury Statement amounts are published in millions of dollars "
    "and converted); stock_volume_shares: shares; counts: counts. Weeks run Saturday to Friday "
    "and are named by their Friday (week_end)."
)


class WeeklyMacroQuery(FormParams):
    page_size: int = Field(default=100, ge=1, le=500, description="Weeks per page (1-500)")
    date_from: date | None = Field(default=None, description="First week_end (a Friday or not)")
    date_to: date | None = Field(default=None, description="Last week_end")

    @field_validator("date_to")
    @classmethod
    def _not_before_date_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        date_from = info.data.get("date_from")
        if value and date_from and date_from > value:
            raise ValueError(f"date_to ({value}) is before date_from ({date_from}); swap them")
        return value


class CorrelationQuery(FormParams):
    week_end: date | None = Field(
        default=None, description="Windows ending on this week (the latest week on or before it)"
    )
    window_weeks: int | None = Field(default=None, ge=2, le=520, description="Only this window")


class WeeklyMacroOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    week_end: date = Field(description="The Friday ending the week")
    week_start: date = Field(description="The Saturday starting the week")
    treasury_days: int = Field(description="Daily Treasury Statements in the week")
    total_deposits_usd: float | None = Field(description="USD; Treasury deposits, all sources")
    deposits_ex_debt_issues_usd: float | None = Field(description="USD; without debt issues")
    tax_deposits_usd: float | None = Field(description="USD; withheld + individual + corporate")
    refunds_usd: float | None = Field(description="USD; income tax refunds issued")
    operating_cash_balance_usd: float | None = Field(description="USD; week's last closing")
    debt_outstanding_usd: float | None = Field(description="USD; total public debt outstanding")
    debt_change_usd: float | None = Field(description="USD; change from the previous week")
    stock_volume_shares: float | None = Field(description="Shares traded over tickers with bars")
    stock_bar_count: int | None
    trading_days: int | None
    congress_trade_count: int = Field(description="Congressional trades dated in the week")
    congress_est_flow_usd: float = Field(description="USD; band midpoints, buys + / sells −")
    congress_est_volume_usd: float = Field(description="USD; band midpoints, unsigned")


class WeeklyMacroPage(Paged[WeeklyMacroOut]):
    units: str = UNITS


class CorrelationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    week_end: date
    window_weeks: int = Field(description="Window length in weeks, this week included")
    window_start: date = Field(description="First week_end in the window")
    series_x: str = Field(description="A weekly_macro column")
    series_y: str = Field(description="A weekly_macro column")
    n_observations: int = Field(description="Weeks in the window where both series have values")
    correlation: float | None = Field(
        description="Pearson r; null below min_observations or when a series is constant"
    )


class CorrelationsOut(BaseModel):
    week_end: date | None = Field(description="The week the windows end on (null: no data)")
    min_observations: int = DEFAULT_MIN_OBSERVATIONS
    items: list[CorrelationOut]
    units: str = "Correlations are unit-free; series keep weekly_macro's units. " + UNITS


def weekly_page(con: WarehouseDep, query: WeeklyMacroQuery) -> Page[WeeklyMacroOut]:
    result = list_weekly_macro(
        con,
        start=query.date_from,
        end=query.date_to,
        page=query.page,
        page_size=query.page_size,
    )
    items = [WeeklyMacroOut.model_validate(row) for row in result.items]
    return Page(items, result.page, result.page_size, result.total)


def correlations(con: WarehouseDep, query: CorrelationQuery) -> CorrelationsOut:
    found: Correlations = correlations_at(
        con, week_end=query.week_end, window_weeks=query.window_weeks
    )
    return CorrelationsOut(
        week_end=found.week_end,
        items=[CorrelationOut.model_validate(row) for row in found.items],
    )


@router.get("/weekly", response_model=WeeklyMacroPage)
def get_weekly(query: Annotated[WeeklyMacroQuery, Query()], con: WarehouseDep) -> WeeklyMacroPage:
    """Treasury, stock-market and congressional-trade series per week, oldest week first."""
    result = weekly_page(con, query)
    return WeeklyMacroPage(
        items=result.items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/weekly.csv", response_class=Response, responses=CSV_RESPONSES)
def get_weekly_csv(query: Annotated[WeeklyMacroQuery, Query()], con: WarehouseDep) -> Response:
    """Every matching week as CSV (page and page_size ignored; at most 10,000 rows)."""
    every = query.model_copy(update={"page": 1, "page_size": MAX_CSV_ROWS})
    return csv_response(weekly_page(con, every).items, WeeklyMacroOut, "weekly_macro.csv")


@router.get("/correlations", response_model=CorrelationsOut)
def get_correlations(
    query: Annotated[CorrelationQuery, Query()], con: WarehouseDep
) -> CorrelationsOut:
    """Rolling correlations between weekly series, with each window and its number of weeks."""
    return correlations(con, query)


@router.get("/correlations.csv", response_class=Response, responses=CSV_RESPONSES)
def get_correlations_csv(
    query: Annotated[CorrelationQuery, Query()], con: WarehouseDep
) -> Response:
    """The correlations of /api/macro/correlations as CSV."""
    found = correlations(con, query)
    return csv_response(found.items, CorrelationOut, "macro_correlations.csv")
