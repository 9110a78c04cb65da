"""The NSE and news test warehouse: what building it did, shared by tests/integration/global_markets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from stockyard.config import Settings
from stockyard.pipeline.ingest.news import NewsReport
from stockyard.pipeline.runtime import StepReport
from stockyard.replay import LoggedRequest
from stockyard.warehouse.wap import WapResult

NSE_WEEKS = ((date(2021, 5, 29), date(2021, 6, 6)), (date(2024, 1, 1), date(2024, 1, 5)))


@dataclass
class GlobalBuild:
    settings: Settings
    nse_fetch: list[StepReport]
    nse_load: list[StepReport]
    guardian_runs: list[NewsReport]
    guardian_requests: list[list[LoggedRequest]]
    alphavantage: NewsReport
    wap: WapResult

    @property
    def warehouse(self) -> Path:
        return self.settings.resolved_warehouse_path
