"""The one Settings object. Imports nothing internal; read lazily via `get_settings()`.

Environment variables use the prefix ``STOCKYARD_`` and ``__`` for nesting, e.g.
``STOCKYARD_HOME=/data/stockyard`` or ``STOCKYARD_BENZINGA__API_KEY=...``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SourceSettings(BaseModel):
    """Where a source lives and how hard we may call it."""

    base_url: str
    api_key: SecretStr | None = None
    # Token bucket: sustained rate and the burst allowed on top of it.
    rate_per_second: float = 2.0
    burst: int = 4
    timeout_seconds: float = 30.0
    max_retries: int = 5
    # Cap on a single backoff wait (including a server's Retry-After) so a bad header cannot stall a run.
    max_backoff_seconds: float = 60.0


def _source(base_url: str, rate: float = 2.0, burst: int = 4) -> SourceSettings:
    return SourceSettings(base_url=base_url, rate_per_second=rate, burst=burst)


class StreamSettings(BaseModel):
    """Real-time streaming (`stockyard stream`): Polygon minute bars and news → live signals."""

    # Delayed (15 min) by default; real-time plans use wss://socket.polygon.io/stocks.
    polygon_ws_url: str = "wss://delayed.polygon.io/stocks"
    tickers: list[str] = Field(
        default_factory=lambda: ["AAPL", "AMZN", "MSFT", "TSLA", "JPM", "SPY"]
    )
    news_terms: list[str] = Field(default_factory=lambda: ["Apple", "Amazon", "Tesla"])
    # Names a news article may use for a ticker (a ticker symbol always matches as a whole word).
    company_names: dict[str, str] = Field(
        default_factory=lambda: {
            "AAPL": "Apple",
            "AMZN": "Amazon",
            "MSFT": "Microsoft",
            "TSLA": "Tesla",
            "JPM": "JPMorgan",
        }
    )
    news_poll_seconds: float = 60.0
    # Guards the control API/form that changes tickers and terms while running; unset = no changes.
    control_token: SecretStr | None = None
    # Event-time rules: a bar older than the newest one by more than this is dropped (and counted).
    allowed_lateness_seconds: int = 120
    vwap_window_minutes: int = 15
    zscore_window_minutes: int = 30
    # An alert needs a move of at least this (percent, over 5 minutes) within ±join minutes of news.
    alert_move_pct: float = 0.5
    news_join_minutes: int = 15
    # Redis Streams layout: keys hash onto this many partitions, like Kafka partitions.
    partitions: int = 4
    consumer_group: str = "stockyard-processor"
    # Optional InfluxDB 1.x sink, e.g. http://127.0.0.1:8086 (database below); empty = off.
    influx_url: str = ""
    influx_database: str = "stockyard"
    # The stream.* tables live in their own DuckDB file (default <home>/realtime.duckdb), so a
    # stream that runs all day never holds the warehouse's single-writer lock against the pipeline.
    duckdb_path: Path | None = None


class NewsSettings(BaseModel):
    """What the news connectors ask The Guardian and Alpha Vantage for (snapshots job)."""

    # One Guardian search per term (order-by newest, paged to the last page).
    query_terms: list[str] = Field(
        default_factory=lambda: ["stock market", "Congress stock trading"]
    )
    # A Guardian section id (e.g. "business") to search within; empty = every section.
    guardian_section: str = ""
    guardian_page_size: int = 50
    # A search still returning pages after this many stops with an error (a loop guard).
    max_pages: int = 20
    # One Alpha Vantage NEWS_SENTIMENT call per ticker and per topic (free keys: 25 calls a day).
    alphavantage_tickers: list[str] = Field(default_factory=lambda: ["AAPL"])
    alphavantage_topics: list[str] = Field(default_factory=lambda: ["financial_markets"])


class MarketSettings(BaseModel):
    """How trades are measured against prices (the dbt marts read these as dbt variables)."""

    # A ticker with daily bars, or "market_equal_weight" (equal-weighted average of every ticker).
    benchmark: str = "SPY"
    # Split-adjusted bars (true) or prices as traded (false); the marts never mix the two.
    prices_adjusted: bool = True
    # Industry codes (SIC) come from Polygon's ticker details, one call per ticker: each run asks
    # about at most this many traded tickers (most-traded first) and re-asks after this many days.
    ticker_details_per_run: int = Field(default=100, ge=0)
    ticker_details_refresh_days: int = Field(default=90, ge=1)


class SensorSettings(BaseModel):
    """The `new_disclosures` sensor: how often it asks the House Clerk and the Senate eFD for news."""

    # The daemon evaluates it at most this often (seconds); each look is two small requests.
    interval_seconds: int = Field(default=3600, ge=30)
    # Senate reports filed within this many days of today count as "new" (a late listing is
    # still caught); a run triggered by the sensor reads only those days.
    senate_lookback_days: int = Field(default=7, ge=1)
    # The date the sensor takes as today; unset = the real date. Set it to follow a recorded past
    # (the bundled sample, replayed, ends in 2025) or to re-check an earlier week.
    today: date | None = None


class SmtpSettings(BaseModel):
    """The mail server email digests go out through."""

    host: str = ""  # empty: no mail (email follows then wait in the dead-letter list)
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    user: str = ""
    password: SecretStr | None = None
    sender: str = "stockyard@localhost"
    timeout_seconds: float = Field(default=30.0, gt=0)


class AlertsSettings(BaseModel):
    """Follows and their deliveries: webhooks, email digests, Atom feeds."""

    # The follows and the delivery log live in a small SQLite file of their own (not the
    # warehouse, not a serving snapshot). Empty: <home>/alerts.sqlite3.
    db_path: Path | None = None
    # Guards POST/GET/DELETE /api/follows and the Follow forms; unset = no follows on the web
    # (the CLI still manages them; feeds are always public).
    token: SecretStr | None = None
    # The site's public address, for links in feeds, webhooks and mail (no trailing slash).
    site_url: str = "http://127.0.0.1:8000"
    # A delivery is tried this many times (backing off exponentially from backoff_seconds)
    # before it goes to the dead-letter list.
    max_attempts: int = Field(default=5, ge=1)
    backoff_seconds: float = Field(default=2.0, ge=0)
    max_backoff_seconds: float = Field(default=60.0, ge=0)
    timeout_seconds: float = Field(default=10.0, gt=0)
    # Newest entries in an Atom feed.
    feed_entries: int = Field(default=50, ge=1, le=500)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STOCKYARD_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    home: Path = Field(
        default=Path(".stockyard"), description="Holds the warehouse, landing zone, logs"
    )
    # Any fsspec URL (s3://bucket/prefix, gcs://…); empty means `<home>/landing`.
    landing_url: str = ""
    # Landing files older than this many days are removed (or archived); None keeps everything.
    landing_retention_days: int | None = None
    # Where expired landing files go instead of being deleted (an fsspec URL); empty deletes them.
    landing_archive_url: str = ""
    warehouse_path: Path | None = None
    # Scanned (paper) PTRs are read by OCR (tesseract, installed by scripts/system-packages.sh).
    ocr_enabled: bool = True
    # Each page's OCR reading is kept here (an fsspec URL), keyed by the PDF's sha256 and the
    # engine version, so re-running the pipeline reads no page twice. Empty: <landing>/_cache/ocr.
    ocr_cache_url: str = ""
    # Processes reading scans at once; None = one per core.
    ocr_workers: int | None = Field(default=None, ge=1)
    # Review corrections people make (`stockyard review set`, the filing page's form) live in a
    # small SQLite file of their own, so the site can take one while the pipeline writes the
    # warehouse. Empty: <home>/reviews.sqlite3.
    review_db_path: Path | None = None
    # Guards the review form and POST /api/filings/{id}/corrections; unset = no corrections on
    # the web (the CLI still takes them).
    review_token: SecretStr | None = None
    log_level: str = "INFO"
    log_json: bool = False
    # Serving snapshots (what the site reads, one per publish) are also pushed to this folder or
    # fsspec URL (e.g. s3://bucket/stockyard/serving) when set: the pipeline machine's half.
    serving_url: str = ""
    # A web machine's half: pull the current snapshot from this URL every serving_pull_seconds and
    # serve it; such a machine needs no warehouse, only this URL.
    serving_pull_url: str = ""
    serving_pull_seconds: float = Field(default=30.0, gt=0)
    # The PostgreSQL database a deployed Dagster (`stockyard dagster up`) keeps its runs, event
    # logs and schedule state in, e.g. postgresql://user:password@host:5432/dagster.
    dagster_postgres_url: SecretStr | None = None

    house_clerk: SourceSettings = _source("https://disclosures-clerk.house.gov", rate=2.0)
    senate_efd: SourceSettings = _source("https://efdsearch.senate.gov", rate=1.0, burst=2)
    legislators: SourceSettings = _source("https://unitedstates.github.io/congress-legislators")
    house_watcher: SourceSettings = _source(
        "https://raw.githubusercontent.com/TattooedHead/house-stock-watcher-data/main"
    )
    senate_watcher: SourceSettings = _source(
        "https://raw.githubusercontent.com/timothycarambat/senate-stock-watcher-data/master"
    )
    benzinga: SourceSettings = _source("https://api.benzinga.com", rate=1.0, burst=2)
    # Polygon's free tier allows 5 calls a minute.
    polygon: SourceSettings = _source("https://api.polygon.io", rate=5 / 60, burst=5)
    # US Treasury Fiscal Data: no key; the API asks for reasonable use, so stay gentle.
    treasury: SourceSettings = _source(
        "https://api.fiscaldata.treasury.gov/services/api/fiscal_service", rate=1.0, burst=2
    )
    # Benzinga is a paid vendor: off unless a key is configured (or the demo replays it).
    benzinga_enabled: bool = False
    market: MarketSettings = Field(default_factory=MarketSettings)
    # NSE India's end-of-day archive (public; NSE throttles eager clients).
    nse: SourceSettings = _source("https://nsearchives.nseindia.com", rate=1.0, burst=2)
    # "test" is The Guardian's public developer key (rate-limited); set your own for more calls.
    guardian: SourceSettings = SourceSettings(
        base_url="https://content.guardianapis.com",
        api_key=SecretStr("test"),
        rate_per_second=1.0,
        burst=2,
    )
    # Alpha Vantage's free tier allows 5 calls a minute; news is skipped without a key.
    alphavantage: SourceSettings = _source("https://www.alphavantage.co", rate=5 / 60, burst=5)
    news: NewsSettings = Field(default_factory=NewsSettings)
    sensor: SensorSettings = Field(default_factory=SensorSettings)
    alerts: AlertsSettings = Field(default_factory=AlertsSettings)

    @model_validator(mode="before")
    @classmethod
    def _merge_partial_sources(cls, data: Any) -> Any:
        """`STOCKYARD_BENZINGA__API_KEY=…` alone must keep Benzinga's default base URL."""
        if not isinstance(data, dict):
            return data
        for name, info in cls.model_fields.items():
            value = data.get(name)
            if isinstance(value, dict) and isinstance(info.default, SourceSettings):
                data[name] = {**info.default.model_dump(), **value}
        return data

    # Streaming bus: empty = in-process (asyncio); redis://host:port/db = Redis Streams.
    bus_url: str = ""
    stream: StreamSettings = Field(default_factory=StreamSettings)

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # The API keeps its read-only warehouse connection this long after the last request (opening
    # one costs tens of ms); the pipeline's writer must wait this long after a request. 0 = close at once.
    reader_linger_seconds: float = 0.25
    # /readyz reports a source stale once its newest load (raw.load_log) is older than this.
    freshness_max_age_hours: float = 48.0
    # Per-source exceptions, e.g. STOCKYARD_FRESHNESS_MAX_AGE_HOURS_BY_SOURCE='{"legislators": 192}'.
    # NSE publishes nothing over weekends and Indian holidays, so it gets four days.
    freshness_max_age_hours_by_source: dict[str, float] = Field(
        default_factory=lambda: {"legislators": 192.0, "nse": 96.0}
    )

    @property
    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def resolved_landing_url(self) -> str:
        return self.landing_url or str(self.resolved_home / "landing")

    @property
    def resolved_ocr_cache_url(self) -> str:
        return self.ocr_cache_url or f"{self.resolved_landing_url.rstrip('/')}/_cache/ocr"

    @property
    def resolved_warehouse_path(self) -> Path:
        return (
            (self.warehouse_path or self.resolved_home / "warehouse.duckdb").expanduser().resolve()
        )

    @property
    def resolved_review_db_path(self) -> Path:
        return (
            (self.review_db_path or self.resolved_home / "reviews.sqlite3").expanduser().resolve()
        )

    @property
    def resolved_alerts_db_path(self) -> Path:
        path = self.alerts.db_path or self.resolved_home / "alerts.sqlite3"
        return path.expanduser().resolve()

    @property
    def dagster_home(self) -> Path:
        return self.resolved_home / "dagster"

    @property
    def log_dir(self) -> Path:
        return self.resolved_home / "logs"

    def source(self, name: str) -> SourceSettings:
        value = getattr(self, name, None)
        if not isinstance(value, SourceSettings):
            raise KeyError(f"unknown source {name!r}")
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
