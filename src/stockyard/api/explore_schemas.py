"""Response models for states, committees, tickers, filings, the overview and the pipeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from stockyard.api.schemas import (
    MemberDetail,
    MemberSummaryOut,
    Readiness,
    TickerCountOut,
    TradeOut,
)

ItemT = TypeVar("ItemT")


class _FromRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Paged(BaseModel, Generic[ItemT]):
    """The one pagination shape every listing shares (the same fields as /api/trades)."""

    items: list[ItemT]
    page: int
    page_size: int
    total: int = Field(description="Rows matching the filters across all pages")


class StateOut(_FromRecord):
    state: str
    members: int = Field(description="Current members of Congress from the state")
    traders: int = Field(description="Members (current or former) with disclosed trades")
    trade_count: int
    est_volume: float | None = Field(description="Sum of band midpoints, in dollars")
    purchases: int
    sales: int
    last_trade_date: date | None


class StateDetail(BaseModel):
    summary: StateOut
    members: list[MemberSummaryOut] = Field(description="Members from the state, traders first")
    trades_url: str


class CommitteeOut(_FromRecord):
    committee_id: str
    committee_name: str | None
    chamber: str | None
    parent_committee_id: str | None = Field(description="Set for a subcommittee")
    members: int
    traders: int
    trade_count: int = Field(description="Current trades of the committee's members")
    est_volume: float | None


class CommitteeSeatOut(_FromRecord):
    bioguide_id: str
    full_name: str | None
    party: str | None
    state: str | None
    title: str | None
    rank: int | None
    trade_count: int
    est_volume: float | None
    last_trade_date: date | None


class CommitteeDetailOut(BaseModel):
    summary: CommitteeOut
    jurisdiction: str | None
    parent_name: str | None
    subcommittees: list[CommitteeOut]
    seats: list[CommitteeSeatOut]
    top_tickers: list[TickerCountOut]
    trades_url: str


class TickerOut(_FromRecord):
    ticker: str
    asset_name: str | None
    trade_count: int
    members: int
    purchases: int
    sales: int
    est_volume: float | None
    first_trade_date: date | None
    last_trade_date: date | None


class DailyBarOut(_FromRecord):
    bar_date: date
    open: float
    high: float
    low: float
    close: float
    volume: float | None


class TradeMarkerOut(_FromRecord):
    trade_id: str
    tx_date: date
    tx_type: str | None
    bioguide_id: str | None
    member_name: str | None
    party: str | None
    owner: str | None
    amount_min: int | None
    amount_max: int | None
    filed_date: date | None


class TickerIndustryOut(_FromRecord):
    sic: int = Field(description="SEC Standard Industrial Classification code")
    sic_description: str | None


class TickerDetailOut(BaseModel):
    summary: TickerOut
    industry: TickerIndustryOut | None = Field(
        default=None, description="From Polygon's ticker details; null when not known"
    )
    has_price_data: bool = Field(description="False until the market-data marts are published")
    bars: list[DailyBarOut]
    markers: list[TradeMarkerOut] = Field(description="Trades to mark on the chart, newest first")
    trades_url: str


class FilingOut(_FromRecord):
    filing_id: str
    source: str | None
    chamber: str | None
    bioguide_id: str | None
    filer_name: str | None
    state_district: str | None
    filed_date: date | None
    status: str | None = Field(description="Document status from the loader")
    display_status: str = Field(
        description="amended, quarantined, or the document status (parsed, needs_ocr, …)"
    )
    amendment_number: int | None
    amends_filing_id: str | None
    amended_by_filing_id: str | None
    transaction_count: int | None
    trade_rows: int = Field(description="Trades in the marts from this filing")
    quarantined_rows: int
    source_url: str | None = Field(description="The original document")
    parser_version: str | None


class QuarantinedRowOut(_FromRecord):
    record_ref: str | None
    reason: str
    payload: str | None


class CorrectionIn(BaseModel):
    row_position: int = Field(ge=0, description="The row's position in the filing")
    field: str = Field(
        description="owner, asset_name, ticker, tx_type, tx_date, notified_date or amount"
    )
    value: str | None = Field(description="The value as the page shows it; null clears it")
    reviewer: str = Field(min_length=1, max_length=100, description="Who checked the page")
    note: str | None = Field(default=None, max_length=500)


class CorrectionOut(_FromRecord):
    correction_id: str
    row_position: int
    field: str
    old_value: str | None
    new_value: str | None
    reviewer: str
    reviewed_at: datetime
    note: str | None
    applied: bool = Field(description="False until the next publish applies it to the marts")


class FilingDetailOut(BaseModel):
    filing: FilingOut
    quarantined: list[QuarantinedRowOut]
    trades: list[TradeOut] = Field(description="The rows parsed from it (up to 500)")
    corrections: list[CorrectionOut] = Field(
        default_factory=list, description="Review corrections of its rows, newest first"
    )


class TickerActivityOut(_FromRecord):
    ticker: str
    trade_count: int
    purchases: int
    sales: int
    members: int


class PartyFlowOut(_FromRecord):
    month: date
    party: str
    purchases: int
    sales: int


class LagBinOut(BaseModel):
    label: str
    trades: int


class LagOut(BaseModel):
    trades_with_lag: int
    median_lag_days: float | None
    late_trades: int = Field(description="Reported more than 45 days after the trade")
    late_share: float | None
    histogram: list[LagBinOut]


class OverviewOut(BaseModel):
    data_through: date | None = Field(description="Newest filed date in the marts")
    window_start: date | None = Field(description="Start of the 'recent' window")
    trade_count: int
    member_count: int
    latest: list[TradeOut]
    biggest: list[TradeOut] = Field(description="Largest bands in the recent window")
    top_tickers: list[TickerActivityOut]
    party_flows: list[PartyFlowOut] = Field(description="Monthly purchases and sales per party")
    lag: LagOut


class SourceLoadOut(_FromRecord):
    source: str
    datasets: int
    partitions: int
    rows: int
    quarantined: int
    last_load: datetime | None
    newest_filing: date | None = None


class AuditRunOut(_FromRecord):
    run_id: str
    started_at: datetime | None
    finished_at: datetime | None
    passed: bool | None
    published: bool
    failures: int
    warnings: int
    outcome: str
    duration_seconds: float | None


class QuarantineCountOut(_FromRecord):
    source: str
    dataset: str
    reason: str
    rows: int


class DeadLetterOut(BaseModel):
    delivery_id: str
    follow_id: str
    publish_id: str
    trades: int
    attempts: int
    reason: str | None
    created_at: datetime


class AlertsStatusOut(BaseModel):
    follows: int
    pending: int
    delivered: int
    dead: int
    dead_letters: list[DeadLetterOut] = Field(
        description="Deliveries that used up their attempts; `stockyard alerts resend ID`"
    )


class PipelineOut(BaseModel):
    readiness: Readiness
    sources: list[SourceLoadOut]
    audit_runs: list[AuditRunOut]
    last_audit_findings: list[dict[str, object]]
    quarantine: list[QuarantineCountOut]
    quarantine_total: int
    alerts: AlertsStatusOut


class MemberSeatOut(_FromRecord):
    committee_id: str
    committee_name: str | None
    parent_committee_id: str | None
    title: str | None


class PerformanceOut(_FromRecord):
    benchmark: str | None
    trades: int
    priced_trades: int
    est_dollar_flow: float | None
    median_excess_30d: float | None
    median_excess_90d: float | None
    share_beat_benchmark_30d: float | None


class CommitteeOversightOut(_FromRecord):
    committee_id: str
    committee_name: str | None
    sectors: list[str] = Field(description="The committee's industries this member traded in")
    trades: int


class OversightTradeOut(_FromRecord):
    trade_id: str
    ticker: str
    asset_name: str | None
    tx_type: str | None
    tx_date: date | None
    amount_min: int | None
    amount_max: int | None
    sic: int = Field(description="SEC Standard Industrial Classification code of the ticker")
    sic_description: str | None
    committees: list[str] = Field(description="The member's committees overseeing that industry")


class OversightOut(_FromRecord):
    """Trades in industries the member's (current) committees oversee, per the editorial
    committee_sectors table; only tickers with a known industry code can be flagged."""

    flagged_trades: int
    tickers_traded: int
    tickers_with_industry: int = Field(description="Traded tickers whose industry is known")
    by_committee: list[CommitteeOversightOut]
    recent: list[OversightTradeOut] = Field(description="The newest flagged trades (up to 20)")


class MemberProfileOut(MemberDetail):
    """The member endpoint's body: the profile plus seats, lag and performance."""

    est_volume: float | None = Field(description="Sum of band midpoints of current trades")
    committee_seats: list[MemberSeatOut] = Field(description="Committees first, with ids")
    lag: LagOut
    performance: PerformanceOut | None = Field(
        description="Against the benchmark; null until the market marts are published"
    )
    oversight: OversightOut | None = Field(
        default=None,
        description="Trades in industries their committees oversee; null in a warehouse "
        "published before industries were loaded",
    )
