"""GET /api/overview: the front page's figures."""

from __future__ import annotations

from fastapi import APIRouter

from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import (
    LagBinOut,
    LagOut,
    OverviewOut,
    PartyFlowOut,
    TickerActivityOut,
)
from stockyard.api.schemas import TradeOut
from stockyard.warehouse.stats_reads import LagStats, overview

router = APIRouter(prefix="/api", tags=["overview"])


def lag_out(lag: LagStats) -> LagOut:
    return LagOut(
        trades_with_lag=lag.trades_with_lag,
        median_lag_days=lag.median_lag_days,
        late_trades=lag.late_trades,
        late_share=lag.late_share,
        histogram=[LagBinOut(label=label, trades=n) for label, n in lag.histogram],
    )


def overview_out(con: WarehouseDep) -> OverviewOut:
    found = overview(con)
    return OverviewOut(
        data_through=found.data_through,
        window_start=found.window_start,
        trade_count=found.trade_count,
        member_count=found.member_count,
        latest=[TradeOut.model_validate(row) for row in found.latest],
        biggest=[TradeOut.model_validate(row) for row in found.biggest],
        top_tickers=[TickerActivityOut.model_validate(row) for row in found.top_tickers],
        party_flows=[PartyFlowOut.model_validate(row) for row in found.party_flows],
        lag=lag_out(found.lag),
    )


@router.get("/overview", response_model=OverviewOut)
def get_overview(con: WarehouseDep) -> OverviewOut:
    """Latest disclosures, biggest recent trades, busiest tickers, party flows, disclosure lag."""
    return overview_out(con)
