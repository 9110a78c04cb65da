"""The one Settings object. Imports nothing internal; read lazily via `get_settings()`.

Environment variables use the prefix ``STOCKYARD_`` and ``__`` for nesting, e.g.
``STOCKYARD_HOME=/data/stockyard`` or ``STOCKYARD_BENZINGA__API_KEY=...``.
"""

from __future__ import annotations

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
    log_level: str = "INFO"
    log_json: bool = False

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
    # Benzinga is a paid vendor: off unless a key is configured (or the demo replays it).
    benzinga_enabled: bool = False

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

    api_host: str = "127.0.0.1"
    api_port: int = 8000

    @property
    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def resolved_landing_url(self) -> str:
        return self.landing_url or str(self.resolved_home / "landing")

    @property
    def resolved_warehouse_path(self) -> Path:
        return (
            (self.warehouse_path or self.resolved_home / "warehouse.duckdb").expanduser().resolve()
        )

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
