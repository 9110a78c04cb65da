"""What every ingest step needs: settings, the landing zone, HTTP clients and the warehouse.

Plain Python (no Dagster) so the same steps run from assets, tests and benchmarks alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
import structlog

from stockyard.config import Settings
from stockyard.landing import LandedFile, LandingZone
from stockyard.sources.http import Fetched, HttpClient
from stockyard.warehouse.db import connect
from stockyard.warehouse.raw import LoadResult
from stockyard.warehouse.serving import serving_dir

log = structlog.get_logger("stockyard.pipeline")


@dataclass
class StepReport:
    """What one ingest step did, for asset metadata and the CLI summary."""

    fetched: int = 0
    landed: int = 0  # new files or new versions
    unchanged: int = 0
    loaded_documents: int = 0
    loaded_rows: int = 0
    quarantined: int = 0
    missing: int = 0  # 404 at the source
    errors: list[str] = field(default_factory=list)

    def absorb(self, other: StepReport) -> None:
        for name in ("fetched", "landed", "unchanged", "loaded_documents", "loaded_rows"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.quarantined += other.quarantined
        self.missing += other.missing
        self.errors += other.errors

    def count_load(self, result: LoadResult) -> None:
        """Add what one raw-layer load wrote (documents, their rows, quarantined records)."""
        self.loaded_documents += result.rows
        self.loaded_rows += result.child_rows
        self.quarantined += result.quarantined

    def metadata(self) -> dict[str, int | str]:
        return {
            "fetched": self.fetched,
            "landed": self.landed,
            "unchanged": self.unchanged,
            "loaded_documents": self.loaded_documents,
            "loaded_rows": self.loaded_rows,
            "quarantined": self.quarantined,
            "missing_at_source": self.missing,
            "errors": len(self.errors),
            "first_errors": "\n".join(self.errors[:10]),
        }


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.landing = LandingZone(settings.resolved_landing_url)
        self._clients: dict[str, HttpClient] = {}
        self._lock = threading.Lock()

    def http(self, source: str) -> HttpClient:
        with self._lock:
            client = self._clients.get(source)
            if client is None:
                client = HttpClient(source, self.settings.source(source))
                self._clients[source] = client
            return client

    @contextmanager
    def warehouse(self) -> Iterator[duckdb.DuckDBPyConnection]:
        # Short-lived connections: dbt runs in another process and needs the file lock.
        path = self.settings.resolved_warehouse_path
        # Marks the home as written by the pipeline: from now on readers open only snapshots,
        # never this file (a reader holding it would fail the run on DuckDB's lock).
        serving_dir(path).mkdir(parents=True, exist_ok=True)
        con = connect(path)
        try:
            yield con
        finally:
            con.close()

    def land(
        self,
        source: str,
        dataset: str,
        partition: str,
        name: str,
        fetched: Fetched,
        report: StepReport,
    ) -> LandedFile:
        result = self.landing.write(
            source,
            dataset,
            partition,
            name,
            fetched.content,
            url=fetched.url,
            content_type=fetched.content_type,
        )
        report.fetched += 1
        if result.written:
            report.landed += 1
        else:
            report.unchanged += 1
        return result.file

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
