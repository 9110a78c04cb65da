"""Response models: the JSON shapes the API promises (and /docs shows)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _FromRecord(BaseModel):
    # The query layer returns dataclasses; read them by attribute.
    model_config = ConfigDict(from_attributes=True)


class TradeOut(_FromRecord):
    trade_id: str
    bioguide_id: str | None = Field(description="Null when the filer is not yet resolved")
    member_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    filing_id: str | None
    owner: str | None = Field(description="SP spouse, JT joint, DC dependent child, null = self")
    ticker: str | None = Field(description="The ticker as the filing prints it (null if none)")
    resolved_ticker: str | None = Field(
        default=None,
        description="The listed ticker Stockyard matched the line to (from the printed ticker "
        "or the asset name); what ticker filters and pages use",
    )
    ticker_confidence: float | None = Field(
        default=None, description="How sure the match is, 0..1 (1: the printed ticker is listed)"
    )
    ticker_method: str | None = Field(
        default=None,
        description="How it was matched: reported_ticker, asset_name, learned_name, "
        "ticker_in_asset_name, … (see the README)",
    )
    asset_name: str | None
    asset_type: str | None
    tx_type: str | None = Field(description="P, S, 'S (partial)' or E")
    tx_date: date | None
    notified_date: date | None
    filed_date: date | None
    amount_min: int | None
    amount_max: int | None = Field(description="Null for an open-ended band ('Over $X')")
    lag_days: int | None
    is_late: bool | None
    amended_by: str | None
    is_current: bool | None
    source: str | None
    source_url: str | None = Field(description="The original disclosure document")
    page: int | None = Field(description="Page of the source document the row starts on")
    row_position: int | None = Field(
        default=None, description="The row's place in its filing (what a review correction names)"
    )
    text_source: str | None = Field(
        default=None,
        description="'text' (read from a text layer or web page) or 'ocr' (read from a scan)",
    )
    read_confidence: float | None = Field(
        default=None, description="How sure the reading is, 0..1: the weakest field's confidence"
    )
    needs_review: list[str] | None = Field(
        default=None, description="Fields read with low confidence: check them against the page"
    )
    reviewed_fields: list[str] | None = Field(
        default=None, description="Fields a reviewer corrected (see the filing's corrections)"
    )


class TradePage(BaseModel):
    items: list[TradeOut]
    page: int
    page_size: int
    total: int = Field(description="Rows matching the filters across all pages")


class MemberSummaryOut(_FromRecord):
    bioguide_id: str
    full_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    is_current: bool | None
    trade_count: int = Field(description="Current (not superseded) trades")
    last_trade_date: date | None
    est_volume: float | None = Field(
        default=None, description="Sum of the trades' band midpoints in dollars (an estimate)"
    )


class MemberPage(BaseModel):
    items: list[MemberSummaryOut]
    page: int
    page_size: int
    total: int


class TickerCountOut(_FromRecord):
    ticker: str
    trade_count: int


class TradeSummaryOut(_FromRecord):
    trade_count: int
    purchase_count: int
    sale_count: int
    exchange_count: int
    late_count: int
    first_tx_date: date | None
    last_tx_date: date | None
    top_tickers: list[TickerCountOut]


class MemberDetail(_FromRecord):
    bioguide_id: str
    full_name: str | None
    first_name: str | None
    last_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    committees: list[str]
    subcommittees: list[str]
    is_current: bool | None
    first_served: date | None
    last_served: date | None
    trades: TradeSummaryOut
    trades_url: str = Field(description="This member's trades in the trades endpoint")


class Health(BaseModel):
    status: str = Field(description="'ok' whenever the process answers")
    warehouse: str = Field(description="'ready', 'not_built' or 'busy'")
    detail: str | None = None


class Readiness(BaseModel):
    status: str = Field(description="'ready' or 'not_ready'")
    reasons: list[str] = Field(description="Why the service is not ready; empty when it is")
    published_at: datetime | None = Field(description="When the marts were last published")
    source_age_hours: dict[str, float] = Field(
        description="Hours since each source's newest load (raw.load_log)"
    )
    served_publish: str | None = Field(
        default=None,
        description="The audit run whose serving snapshot answers; null if none is published",
    )
    served_snapshot: str | None = Field(
        default=None, description="The serving snapshot's file name (warehouse/serving.py)"
    )
