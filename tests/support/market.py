"""Market-data test helpers: a Runtime whose Polygon source points at a replay server."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from stockyard.config import Settings, SourceSettings
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import ReplayServer

TESTS = Path(__file__).parents[1]
HTTP_FIXTURES = TESTS / "fixtures" / "http"
MARKET_SCENARIOS = TESTS / "integration" / "market" / "scenarios"
POLYGON_TEST_KEY = "pk-market-test-key-0123456789"


def market_runtime(replay: ReplayServer, home: Path, *, max_retries: int = 3) -> Runtime:
    """A runtime whose Polygon points at ``replay``; retries stay fast (backoff capped at 50 ms)."""
    polygon = SourceSettings(
        base_url=replay.base_url("polygon"),
        api_key=SecretStr(POLYGON_TEST_KEY),
        rate_per_second=1000,
        burst=100,
        max_retries=max_retries,
        max_backoff_seconds=0.05,
    )
    return Runtime(Settings(home=home, polygon=polygon))
