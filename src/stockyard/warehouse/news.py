"""Load news articles into ``raw.news_articles`` (+ ``raw.news_ticker_sentiment``), each once.

An article is identified by (provider, article_id). One already in the warehouse is never written
again, and one repeated within a load (an article that slid from one page onto the next while we
paged) is kept once: the first copy, from the newer page. Both are counted, not quarantined; only
unreadable results are quarantine rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from stockyard.models import QuarantineRecord
from stockyard.models.news import Article
from stockyard.warehouse.bulk import Lineage, delete_keys, delete_partition, insert_rows
from stockyard.warehouse.db import transaction
from stockyard.warehouse.raw import LoadResult, log_load, quarantine_rows


@dataclass(frozen=True, slots=True)
class FoundArticle:
    """An article as one query found it, and the landed page it came from."""

    article: Article
    query: str
    landing_path: str | None
    parser_version: str


@dataclass(frozen=True, slots=True)
class NewsLoad:
    result: LoadResult
    repeated_in_load: int  # seen twice in this load (e.g. across pages)
    already_loaded: int  # landed by an earlier load


def news_watermark(con: duckdb.DuckDBPyConnection, provider: str, query: str) -> datetime | None:
    """The newest publication time a search for ``query`` returned: the next one starts there.

    Kept per query in ``raw.news_cursors`` (not read off the articles: an article two queries
    find is stored once, under the first, yet moves both cursors).
    """
    row = con.execute(
        "SELECT max(watermark) FROM raw.news_cursors WHERE provider = ? AND query = ?",
        [provider, query],
    ).fetchone()
    newest = row[0] if row else None
    return newest.astimezone(UTC) if isinstance(newest, datetime) else None


def _known_ids(con: duckdb.DuckDBPyConnection, provider: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    rows = con.execute(
        "SELECT article_id FROM raw.news_articles "
        "WHERE provider = ? AND article_id IN (SELECT unnest(?::VARCHAR[]))",
        [provider, ids],
    ).fetchall()
    return {row[0] for row in rows}


def _advance_cursor(
    con: duckdb.DuckDBPyConnection, lineage: Lineage, query: str, found: Sequence[FoundArticle]
) -> None:
    times = [item.article.published_at for item in found]
    current = news_watermark(con, lineage.source, query)
    if current is not None:
        times.append(current)
    if not times:
        return
    delete_keys(con, "news_cursors", ("provider", "query"), [(lineage.source, query)])
    insert_rows(
        con,
        "news_cursors",
        [(lineage.source, query, max(times))],
        lineage=lineage,
        landing_paths=None,
    )


def load_news(
    con: duckdb.DuckDBPyConnection,
    *,
    provider: str,
    dataset: str,
    partition: str,
    query: str,
    found: Sequence[FoundArticle],
    rejects: Sequence[QuarantineRecord] = (),
) -> NewsLoad:
    """Insert the articles not loaded before and move ``query``'s cursor past what it found.

    ``partition`` names this load (its quarantine rows and log line).
    """
    lineage = Lineage(provider, dataset, partition, datetime.now(UTC))
    first: dict[str, FoundArticle] = {}
    for item in found:
        first.setdefault(item.article.id, item)
    repeated = len(found) - len(first)
    with transaction(con):
        known = _known_ids(con, provider, list(first))
        new = [item for key, item in first.items() if key not in known]
        articles = [
            (
                item.article.id,
                provider,
                item.query,
                item.article.published_at,
                item.article.title,
                item.article.web_url,
                item.article.section,
                item.article.trail_text,
                item.article.publisher,
                item.article.sentiment_score,
                item.article.sentiment_label,
                item.parser_version,
            )
            for item in new
        ]
        sentiments = [
            (
                item.article.id,
                provider,
                link.ticker,
                link.relevance_score,
                link.sentiment_score,
                link.sentiment_label,
            )
            for item in new
            for link in item.article.tickers
        ]
        sentiment_paths = [item.landing_path for item in new for _ in item.article.tickers]
        quarantine = quarantine_rows(rejects, partition=partition, at=lineage.loaded_at)
        paths = [item.landing_path for item in new]
        delete_partition(con, "quarantine", lineage)
        insert_rows(con, "news_articles", articles, lineage=lineage, landing_paths=paths)
        insert_rows(
            con,
            "news_ticker_sentiment",
            sentiments,
            lineage=lineage,
            landing_paths=sentiment_paths,
        )
        insert_rows(
            con, "quarantine", quarantine, lineage=lineage, landing_paths=[r[3] for r in quarantine]
        )
        _advance_cursor(con, lineage, query, found)
        log_load(con, lineage, rows=len(articles), quarantined=len(quarantine), landing_paths=paths)
    result = LoadResult(
        provider, dataset, partition, len(articles), len(quarantine), len(sentiments)
    )
    return NewsLoad(result, repeated_in_load=repeated, already_loaded=len(known))
