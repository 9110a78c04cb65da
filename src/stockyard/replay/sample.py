"""Where the bundled real sample lives, and how to point every source at a replay server."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

# The bundled sample ships inside the package, so an installed wheel finds it too.
SAMPLE_ROOT = Path(str(files("stockyard") / "data" / "sample"))

REPLAYED_SOURCES = (
    "house_clerk",
    "senate_efd",
    "legislators",
    "house_watcher",
    "senate_watcher",
    "benzinga",
    "polygon",
    "treasury",
    "nse",
    "guardian",
    "alphavantage",
)


def demo_source_overrides(replay_url: str, *, rate_per_second: float = 2000.0) -> dict[str, Any]:
    """Settings overrides that point every source at a replay server (and suit its sample).

    The replay server is local, so the politeness limits meant for the real sites would only slow
    the demo down; the limiter itself still runs. Retries stay quick for the same reason.
    """
    overrides: dict[str, Any] = {
        source: {
            "base_url": f"{replay_url}/{source}",
            "rate_per_second": rate_per_second,
            "burst": 100,
            "max_backoff_seconds": 2.0,
        }
        for source in REPLAYED_SOURCES
    }
    overrides["benzinga"]["api_key"] = "replay-token"
    overrides["polygon"]["api_key"] = "replay-key"
    overrides["guardian"]["api_key"] = "replay-key"
    overrides["alphavantage"]["api_key"] = "replay-key"
    overrides["benzinga_enabled"] = True
    # The bundled prices are S&P 500 constituents without SPY itself, so the demo measures trades
    # against the equal-weighted market of those constituents instead.
    overrides["market"] = {"benchmark": "market_equal_weight"}
    return overrides
