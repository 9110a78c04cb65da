"""Where the bundled real sample lives, and how to point every source at a replay server."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# The bundled sample ships inside the package, so an installed wheel finds it too.
SAMPLE_ROOT = Path(str(files("stockyard") / "data" / "sample"))

REPLAYED_SOURCES = (
    "house_clerk",
    "senate_efd",
    "legislators",
    "house_watcher",
    "senate_watcher",
    "benzinga",
)


def replay_settings_env(base_url: str, *, rate_per_second: float = 500.0) -> dict[str, str]:
    """Environment (STOCKYARD_*) that points every source at a replay server.

    The replay server is local, so the politeness limits meant for real sites would only slow the
    demo down; the limiter itself still runs.
    """
    env: dict[str, str] = {}
    for source in REPLAYED_SOURCES:
        key = f"STOCKYARD_{source.upper()}"
        env[f"{key}__BASE_URL"] = f"{base_url}/{source}"
        env[f"{key}__RATE_PER_SECOND"] = str(rate_per_second)
        env[f"{key}__BURST"] = "50"
    env["STOCKYARD_BENZINGA__API_KEY"] = "replay-token"
    env["STOCKYARD_BENZINGA_ENABLED"] = "true"
    return env

