"""Read-only queries over marts.fct_news, for /api/news and the /news page.

Filters (ticker, a term in the title or trail text, a UTC date range, the provider) only ever
reach DuckDB as bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from stockyard.warehouse.queries import Page, has_relation, order_by, run_paged

NEWS_SORTS: dict[str, str] = {
    "published_at": "published_at",
    "sentiment": "sentiment_score",
    "provider": "provider",
}
DEFAULT_NEWS_SORT = "-published_at"
PROVIDERS = ("guardian", "alphavantage")


@dataclass(frozen=True, slots=True)
class NewsRow:
    article_id: str
    provider: str
    published_at: datetime
    title: str
    url: str
    section: str | None
    publisher: str | None
    trail_text: str | None
    sentiment_score: float | None
    sentiment_label: str | None
    tickers: list[str]


@dataclass(frozen=True, slots=True)
class NewsFilters:
    ticker: str | None = None
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    provider: str | None = None


def news_available(con: duckdb.DuckDBPyConnection) -> bool:
    return has_relation(con, "marts.fct_news")


def _where(filters: NewsFilters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.ticker:
        clauses.append("list_contains(tickers, ?)")
        params.append(filters.ticker.upper())
    if filters.q:
        clauses.append("contains(lower(title || ' ' || coalesce(trail_text, '')), lower(?))")
        params.append(filters.q)
    if filters.date_from:
        clauses.append("CAST(timezone('UTC', published_at) AS DATE) >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("CAST(timezone('UTC', published_at) AS DATE) <= ?")
        params.append(filters.date_to)
    if filters.provider:
        clauses.append("provider = ?")
        params.append(filters.provider)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_news(
    con: duckdb.DuckDBPyConnection,
    filters: NewsFilters,
    sort: str = DEFAULT_NEWS_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[NewsRow]:
    """One page of articles matching ``filters`` (empty while fct_news is not published)."""
    order = order_by(sort, NEWS_SORTS, tiebreak="provider, article_id")
    if not news_available(con):
        return Page([], page, page_size, 0)
    where, params = _where(filters)
    columns = ", ".join(NewsRow.__dataclass_fields__)
    records, total = run_paged(
        con, f"SELECT {columns} FROM marts.fct_news{where}", params, order, page, page_size
    )
    return Page([NewsRow(**r) for r in records], page, page_size, total)


def news_tickers(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[tuple[str, int]]:
    """The tickers most often linked to articles, for the page's filter suggestions."""
    if not news_available(con):
        return []
    rows = con.execute(
        "SELECT ticker, count(*) AS n FROM (SELECT unnest(tickers) AS ticker FROM marts.fct_news) "
        "GROUP BY ticker ORDER BY n DESC, ticker LIMIT ?",
        [limit],
    ).fetchall()
    return [(row[0], int(row[1])) for row in rows]
