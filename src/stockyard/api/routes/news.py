"""GET /api/news and /api/news.csv: Guardian and Alpha Vantage articles, filterable."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import Paged
from stockyard.api.params import FormParams, check_sort
from stockyard.warehouse.news_reads import (
    DEFAULT_NEWS_SORT,
    NEWS_SORTS,
    NewsFilters,
    list_news,
)
from stockyard.warehouse.queries import Page

router = APIRouter(prefix="/api", tags=["news"])

Provider = Literal["guardian", "alphavantage"]


class NewsQuery(FormParams):
    ticker: str | None = Field(
        default=None,
        max_length=12,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,11}$",
        description="Articles linked to this ticker, e.g. AAPL",
    )
    q: str | None = Field(default=None, max_length=100, description="A term in the title or trail")
    date_from: date | None = Field(default=None, description="Earliest publication day (UTC)")
    date_to: date | None = Field(default=None, description="Latest publication day (UTC)")
    provider: Provider | None = None
    sort: str = Field(
        default=DEFAULT_NEWS_SORT,
        description=f"One of {', '.join(NEWS_SORTS)}; prefix '-' for descending",
    )

    @field_validator("ticker", "q")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @field_validator("date_to")
    @classmethod
    def _not_before_date_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        date_from = info.data.get("date_from")
        if value and date_from and date_from > value:
            raise ValueError(f"date_to ({value}) is before date_from ({date_from}); swap them")
        return value

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, NEWS_SORTS, "article_id")

    def to_filters(self) -> NewsFilters:
        return NewsFilters(
            ticker=self.ticker.upper() if self.ticker else None,
            q=self.q,
            date_from=self.date_from,
            date_to=self.date_to,
            provider=self.provider,
        )


class NewsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    article_id: str = Field(description="The provider's id (Guardian content id; AV: the URL)")
    provider: str
    published_at: datetime = Field(description="UTC")
    title: str
    url: str
    section: str | None
    publisher: str | None
    trail_text: str | None
    sentiment_score: float | None = Field(description="Alpha Vantage overall sentiment, -1..1")
    sentiment_label: str | None
    tickers: list[str] = Field(description="Linked tickers, most relevant first")


class NewsCsvRow(NewsOut):
    tickers: str = Field(description="Linked tickers, space-separated")  # type: ignore[assignment]


def query_news(con: WarehouseDep, query: NewsQuery, page: int, page_size: int) -> Page[NewsOut]:
    result = list_news(con, query.to_filters(), query.sort, page, page_size)
    items = [NewsOut.model_validate(row) for row in result.items]
    return Page(items, result.page, result.page_size, result.total)


@router.get("/news", response_model=Paged[NewsOut])
def get_news(query: Annotated[NewsQuery, Query()], con: WarehouseDep) -> Paged[NewsOut]:
    """News articles, newest first, filtered by ticker, term, date range and provider."""
    result = query_news(con, query, query.page, query.page_size)
    return Paged[NewsOut](
        items=result.items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/news.csv", response_class=Response, responses=CSV_RESPONSES)
def get_news_csv(query: Annotated[NewsQuery, Query()], con: WarehouseDep) -> Response:
    result = query_news(con, query, 1, MAX_CSV_ROWS)
    rows = [
        NewsCsvRow.model_validate({**row.model_dump(), "tickers": " ".join(row.tickers)})
        for row in result.items
    ]
    return csv_response(rows, NewsCsvRow, "news.csv")
