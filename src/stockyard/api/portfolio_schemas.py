"""Response models of the follow-the-filings portfolios (/api/portfolio, /api/portfolios)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _FromRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SeriesPointOut(_FromRecord):
    date: date
    public_low: float | None = Field(description="Public copy's value in dollars, band floors")
    public_mid: float | None = Field(description="Public copy's value, band midpoints")
    public_high: float | None = Field(description="Public copy's value, band ceilings")
    insider_low: float | None
    insider_mid: float | None = Field(description="The member's own timing, band midpoints")
    insider_high: float | None
    benchmark: float | None = Field(
        description="The public midpoint's new money put in the benchmark on the same days"
    )
    invested: float | None = Field(description="New money put in so far (public, midpoints)")
    public_index: float | None = Field(description="Time-weighted: what $100 became (public)")
    insider_index: float | None
    benchmark_index: float | None


class PortfolioStatsOut(_FromRecord):
    strategy: str
    level: str
    trades: int
    priced_trades: int
    unpriced_trades: int
    purchases: int
    unpriced_by_reason: dict[str, int]
    unheld_sales: int = Field(description="Sales of something the portfolio did not hold: ignored")
    first_day: date | None
    last_day: date | None
    return_days: int
    total_return: float | None = Field(description="Time-weighted, from the first purchase")
    annualised_return: float | None
    volatility: float | None = Field(description="Annualised standard deviation of daily returns")
    max_drawdown: float | None
    sharpe: float | None
    risk_free_rate: float = Field(description="Zero: Stockyard holds no Treasury bill rates")
    beta: float | None
    benchmark_return: float | None
    excess_return: float | None
    hit_rate: float | None = Field(description="Share of purchases up 90 trading days later")
    judged_purchases: int
    final_value: float | None
    invested: float | None
    return_on_invested: float | None = Field(description="Final value over new money, less 1")
    public_minus_insider: float | None = Field(
        description="Public total return less the member's: negative is what the lag cost"
    )


class PortfolioOut(BaseModel):
    portfolio_id: str
    kind: str
    key: str | None
    label: str
    precomputed: bool
    benchmark: str | None
    rules: list[str]
    series: list[SeriesPointOut]
    stats: list[PortfolioStatsOut]
    csv_url: str


class PortfolioRankOut(_FromRecord):
    portfolio_id: str
    kind: str
    key: str
    label: str
    public_low: float | None = Field(description="Total return, public copy, band floors")
    public_mid: float | None
    public_high: float | None
    insider_mid: float | None
    benchmark_return: float | None
    excess_mid: float | None
    public_minus_insider_mid: float | None
    max_drawdown_mid: float | None
    sharpe_mid: float | None
    priced_trades: int
    unpriced_trades: int
    unheld_sales: int
    first_day: date | None
    url: str = ""
