"""News: Guardian searches and Alpha Vantage NEWS_SENTIMENT → land → parse → raw, each article once.

Each query keeps a watermark (the newest publication time loaded for it, read back from
``raw.news_articles``): the next search starts there (Guardian ``from-date``, AV ``time_from``),
and an article already in the warehouse is never written again, whichever query found it.

Landing layout: ``guardian/search/<UTC day>/<query>-page-<n>.json`` and
``alphavantage/news_sentiment/<UTC day>/<query>.json`` (versioned when a later run gets new bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog

from stockyard.models import QuarantineRecord
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources import alphavantage, guardian
from stockyard.sources.alphavantage import (
    AlphaVantageClient,
    AlphaVantageFormatError,
    parse_news_sentiment,
)
from stockyard.sources.guardian import GuardianClient, GuardianFormatError
from stockyard.sources.http import SourceError
from stockyard.warehouse.news import FoundArticle, NewsLoad, load_news, news_watermark

log = structlog.get_logger("stockyard.pipeline.news")

GUARDIAN = "guardian"
GUARDIAN_DATASET = "search"
ALPHAVANTAGE = "alphavantage"
AV_DATASET = "news_sentiment"
AV_MISSING_KEY = (
    "alphavantage: no API key, so no news sentiment was fetched. Set "
    "STOCKYARD_ALPHAVANTAGE__API_KEY (free keys allow 25 calls a day) and run again."
)


@dataclass
class NewsReport:
    step: StepReport = field(default_factory=StepReport)
    repeated_in_load: int = 0
    already_loaded: int = 0

    def count(self, load: NewsLoad) -> None:
        self.step.count_load(load.result)
        self.repeated_in_load += load.repeated_in_load
        self.already_loaded += load.already_loaded

    def metadata(self) -> dict[str, int | str]:
        return {
            **self.step.metadata(),
            "repeated_in_load": self.repeated_in_load,
            "already_loaded": self.already_loaded,
        }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "all"


def _with_path(record: QuarantineRecord, path: str) -> QuarantineRecord:
    return QuarantineRecord(
        record.source, record.dataset, record.reason, path, record.record_ref, record.payload
    )


def guardian_enabled(runtime: Runtime) -> bool:
    key = runtime.settings.guardian.api_key
    return (
        key is not None and bool(key.get_secret_value()) and bool(runtime.settings.news.query_terms)
    )


def alphavantage_enabled(runtime: Runtime) -> bool:
    key = runtime.settings.alphavantage.api_key
    return key is not None and bool(key.get_secret_value())


def _watermark(runtime: Runtime, provider: str, query: str) -> datetime | None:
    with runtime.warehouse() as con:
        return news_watermark(con, provider, query)


def _load(
    runtime: Runtime,
    provider: str,
    dataset: str,
    query: str,
    found: list[FoundArticle],
    rejects: list[QuarantineRecord],
    started: datetime,
) -> NewsLoad:
    with runtime.warehouse() as con:
        return load_news(
            con,
            provider=provider,
            dataset=dataset,
            partition=f"{_slug(query)}@{started:%Y-%m-%dT%H:%M:%SZ}",
            query=query,
            found=found,
            rejects=rejects,
        )


def fetch_guardian(runtime: Runtime) -> NewsReport:
    """Every configured term: page to the last page (or the watermark), land, load new articles."""
    report = NewsReport()
    key = runtime.settings.guardian.api_key
    if not guardian_enabled(runtime) or key is None:
        return report
    cfg = runtime.settings.news
    client = GuardianClient(runtime.http(GUARDIAN), key)
    started = datetime.now(UTC)
    for term in cfg.query_terms:
        watermark = _watermark(runtime, GUARDIAN, term)
        found: list[FoundArticle] = []
        rejects: list[QuarantineRecord] = []
        pages = client.iter_pages(
            term,
            from_time=watermark,
            page_size=cfg.guardian_page_size,
            section=cfg.guardian_section or None,
            max_pages=cfg.max_pages,
        )
        try:
            for fetched, page in pages:
                name = f"{_slug(term)}-page-{page.page}.json"
                landed = runtime.land(
                    GUARDIAN,
                    GUARDIAN_DATASET,
                    started.date().isoformat(),
                    name,
                    fetched,
                    report.step,
                )
                path = runtime.landing.uri(landed)
                found += [
                    FoundArticle(article, term, path, guardian.PARSER_VERSION)
                    for article in page.articles
                    if watermark is None or article.published_at >= watermark
                ]
                rejects += [_with_path(r, path) for r in page.rejects]
        except (SourceError, GuardianFormatError) as exc:
            report.step.errors.append(
                f"guardian {term!r}: {exc}. Articles of earlier pages are kept; the next run "
                "starts from the watermark again."
            )
        report.count(_load(runtime, GUARDIAN, GUARDIAN_DATASET, term, found, rejects, started))
        log.info("guardian search loaded", term=term, found=len(found), watermark=str(watermark))
    return report


def alphavantage_queries(runtime: Runtime) -> list[tuple[str, dict[str, str]]]:
    """(query label, call arguments): one call per configured ticker and per topic."""
    cfg = runtime.settings.news
    return [(f"tickers={t}", {"tickers": t}) for t in cfg.alphavantage_tickers] + [
        (f"topics={t}", {"topics": t}) for t in cfg.alphavantage_topics
    ]


def fetch_alphavantage(runtime: Runtime) -> NewsReport:
    report = NewsReport()
    key = runtime.settings.alphavantage.api_key
    if not alphavantage_enabled(runtime) or key is None:
        return report
    client = AlphaVantageClient(runtime.http(ALPHAVANTAGE), key)
    started = datetime.now(UTC)
    for query, arguments in alphavantage_queries(runtime):
        watermark = _watermark(runtime, ALPHAVANTAGE, query)
        try:
            fetched = client.news_sentiment(
                tickers=arguments.get("tickers"),
                topics=arguments.get("topics"),
                time_from=watermark,
            )
            parsed = parse_news_sentiment(fetched.content)
        except (SourceError, AlphaVantageFormatError) as exc:
            report.step.errors.append(f"alphavantage {query}: {exc}")
            continue
        landed = runtime.land(
            ALPHAVANTAGE,
            AV_DATASET,
            started.date().isoformat(),
            f"{_slug(query)}.json",
            fetched,
            report.step,
        )
        path = runtime.landing.uri(landed)
        found = [
            FoundArticle(article, query, path, alphavantage.PARSER_VERSION)
            for article in parsed.articles
        ]
        rejects = [_with_path(r, path) for r in parsed.rejects]
        report.count(_load(runtime, ALPHAVANTAGE, AV_DATASET, query, found, rejects, started))
    return report
