"""Real servers for the stream tests: the bundled bars replayed over a local websocket, redis-server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stockyard.replay.sample import SAMPLE_ROOT
from support.servers import RedisServer

MINUTE_BARS = SAMPLE_ROOT / "minute_bars"


@pytest.fixture
def bars_dir() -> Path:
    return MINUTE_BARS


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path) as server:
        yield server
