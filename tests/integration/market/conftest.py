"""Market-data tests: a real DuckDB file, the landing zone and the replay server over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stockyard.pipeline.runtime import Runtime
from stockyard.replay import ReplayServer
from support.market import market_runtime


@pytest.fixture
def runtime_for(tmp_path: Path) -> Iterator[Callable[..., Runtime]]:
    """``runtime_for(replay, max_retries=…)`` → a Runtime on this test's home; closed after."""
    made: list[Runtime] = []

    def make(replay: ReplayServer, **kwargs: int) -> Runtime:
        runtime = market_runtime(replay, tmp_path / "home", **kwargs)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.close()
