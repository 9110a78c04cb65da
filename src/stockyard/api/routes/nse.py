"""GET /api/nse/daily and /api/nse/daily.csv: NSE India end of day (every amount in INR)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stockyard.api.csv_export import CSV_RESPONSES, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.params import FormParams
from stockyard.warehouse.nse_reads import NseDay, nse_daily_rows, nse_day

router = APIRouter(prefix="/api/nse", tags=["nse"])


class _FromRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class NseQuery(FormParams):
    # Named as users type it (?date=…); the module alias keeps the type readable beside it.
    date: dt.date | None = Field(
        default=None,
        description="Trading day (YYYY-MM-DD); a day without a file shows the day before. "
        "Default: the latest day",
    )
    series: str | None = Field(
        default=None,
        max_length=4,
        pattern=r"^[A-Za-z0-9]{1,4}$",
        description="Only this NSE series in the CSV (EQ, BE, GS…)",
    )

    @field_validator("series")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else None


class BreadthOut(_FromRecord):
    trade_date: date
    advances: int
    declines: int
    unchanged: int
    securities: int = Field(description="Series-EQ securities with a previous close")
    advance_decline_ratio: float | None = Field(description="Advances / declines (null: none fell)")
    turnover_inr: float = Field(description="Series-EQ traded value, INR")


class MoverOut(_FromRecord):
    rank: int
    symbol: str
    series: str
    close_inr: float
    prev_close_inr: float | None
    change_pct: float = Field(description="Close vs previous close, percent")
    turnover_inr: float
    total_traded_qty: int


class DeliveryLeaderOut(_FromRecord):
    rank: int
    symbol: str
    series: str
    delivery_pct: float = Field(description="Delivered / traded quantity, percent")
    delivery_qty: int | None
    total_traded_qty: int
    close_inr: float
    change_pct: float | None
    turnover_inr: float


class SeriesTurnoverOut(_FromRecord):
    series: str
    securities: int
    total_traded_qty: int
    number_of_trades: int | None
    turnover_inr: float
    share_of_day_pct: float | None = Field(description="Share of the day's turnover, percent")


class NseDayOut(BaseModel):
    available: bool = Field(description="False until the NSE marts are published")
    currency: Literal["INR"] = "INR"
    trade_date: date | None
    days: list[date] = Field(description="Every published trading day, newest first")
    breadth: BreadthOut | None
    gainers: list[MoverOut]
    losers: list[MoverOut]
    delivery_leaders: list[DeliveryLeaderOut]
    turnover_by_series: list[SeriesTurnoverOut]
    breadth_history: list[BreadthOut]
    format_mismatches: int = Field(
        description="Securities where the day's full and legacy bhavcopy disagree"
    )
    csv_url: str | None


class NseDailyRowOut(_FromRecord):
    symbol: str
    series: str
    trade_date: date
    isin: str | None
    open_inr: float
    high_inr: float
    low_inr: float
    close_inr: float
    last_inr: float | None
    prev_close_inr: float | None
    avg_price_inr: float | None
    change_pct: float | None
    total_traded_qty: int
    turnover_inr: float
    number_of_trades: int | None
    delivery_qty: int | None
    delivery_pct: float | None
    likely_corporate_action: bool
    file_format: str
    formats_agree: bool | None


def day_out(day: NseDay) -> NseDayOut:
    return NseDayOut(
        available=day.available,
        trade_date=day.trade_date,
        days=day.days,
        breadth=BreadthOut.model_validate(day.breadth) if day.breadth else None,
        gainers=[MoverOut.model_validate(m) for m in day.gainers],
        losers=[MoverOut.model_validate(m) for m in day.losers],
        delivery_leaders=[DeliveryLeaderOut.model_validate(d) for d in day.delivery_leaders],
        turnover_by_series=[SeriesTurnoverOut.model_validate(s) for s in day.turnover_by_series],
        breadth_history=[BreadthOut.model_validate(b) for b in day.breadth_history],
        format_mismatches=day.format_mismatches,
        csv_url=f"/api/nse/daily.csv?date={day.trade_date}" if day.trade_date else None,
    )


@router.get("/daily", response_model=NseDayOut)
def get_nse_daily(query: Annotated[NseQuery, Query()], con: WarehouseDep) -> NseDayOut:
    """A trading day's movers, delivery leaders, breadth and turnover by series (INR)."""
    return day_out(nse_day(con, query.date))


@router.get("/daily.csv", response_class=Response, responses=CSV_RESPONSES)
def get_nse_daily_csv(query: Annotated[NseQuery, Query()], con: WarehouseDep) -> Response:
    """Every security of the day (fct_nse_daily), largest turnover first."""
    day = nse_day(con, query.date)
    if day.trade_date is None:
        raise HTTPException(
            status_code=404,
            detail="no NSE trading day published on or before that date; see /api/nse/daily",
        )
    rows = [
        NseDailyRowOut.model_validate(r) for r in nse_daily_rows(con, day.trade_date, query.series)
    ]
    return csv_response(rows, NseDailyRowOut, f"nse-{day.trade_date}.csv")
