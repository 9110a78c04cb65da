"""One warehouse for the NSE and news tests: the bundled sample ingested through the replay
server, then dbt build + audit + publish (write-audit-publish) once for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.pipeline.ingest import news, nse
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides
from stockyard.warehouse.wap import run_wap
from stockyard.web.app import create_web_app
from support.global_markets import NSE_WEEKS, GlobalBuild


@pytest.fixture(scope="session")
def global_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GlobalBuild]:
    home = tmp_path_factory.mktemp("global-home")
    with ReplayServer(SAMPLE_ROOT) as replay:
        settings = Settings(home=home, **demo_source_overrides(replay.url))
        runtime = Runtime(settings)
        fetched = [nse.fetch_days(runtime, a, b) for a, b in NSE_WEEKS]
        loaded = [nse.load_days(runtime, a, b) for a, b in NSE_WEEKS]
        runs, requests = [], []
        for _ in range(2):
            before = len(replay.requests)
            runs.append(news.fetch_guardian(runtime))
            requests.append(replay.requests[before:])
        av = news.fetch_alphavantage(runtime)
        runtime.close()
    wap = run_wap(settings.resolved_warehouse_path)
    yield GlobalBuild(settings, fetched, loaded, runs, requests, av, wap)


@pytest.fixture
def web(global_build: GlobalBuild, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, warehouse_path=global_build.warehouse)
    with TestClient(create_web_app(settings)) as client:
        yield client
