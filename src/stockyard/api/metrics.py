"""/metrics in Prometheus text format.

Three kinds of figures, one scrape:
- HTTP request latency, observed by a pure-ASGI middleware; labelled by route *template*
  (``/api/members/{bioguide_id}``), never the raw path, so label cardinality stays bounded.
- Pipeline figures read from the warehouse at scrape time (the pipeline is another process, and
  the warehouse is the record both share): runs and durations from the write-audit-publish log
  (raw.audit_runs), rows loaded and quarantined and load durations per source (raw.load_log).
- Source API calls and rate-limit waits: the counters ``stockyard.sources.http`` keeps in the
  default registry of whichever process makes those calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb
from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from starlette.datastructures import MutableHeaders
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Imported for its side effect: the per-source request, retry and rate-limit counters register
# in the default registry, so a scrape always lists them (with samples once calls are made).
from stockyard.sources import http as _source_http  # noqa: F401
from stockyard.warehouse.db import connect
from stockyard.warehouse.ops_reads import audit_runs, last_publish, source_loads

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
LOAD_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0)
RUN_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)

router = APIRouter(tags=["health"])


def _histogram(
    name: str,
    doc: str,
    buckets: tuple[float, ...],
    values_by_label: dict[tuple[str, ...], list[float]],
    labels: list[str],
) -> HistogramMetricFamily:
    """A histogram family from raw observations (cumulative buckets, as Prometheus expects)."""
    family = HistogramMetricFamily(name, doc, labels=labels)
    for label_values, values in values_by_label.items():
        cumulative = [
            (str(bound), float(sum(1 for v in values if v <= bound))) for bound in buckets
        ]
        cumulative.append(("+Inf", float(len(values))))
        family.add_metric(list(label_values), cumulative, sum_value=sum(values))
    return family


class WarehouseCollector(Collector):
    """Reads the warehouse's load and audit logs on each scrape (read-only, closed right after)."""

    def __init__(self, warehouse_path: Callable[[], Path]) -> None:
        self._path = warehouse_path

    def collect(self) -> Iterator[Metric]:
        readable = GaugeMetricFamily(
            "stockyard_warehouse_readable", "1 when the warehouse file could be opened read-only"
        )
        try:
            con = connect(self._path(), read_only=True)
        except (FileNotFoundError, duckdb.Error):
            readable.add_metric([], 0.0)
            yield readable
            return
        try:
            readable.add_metric([], 1.0)
            yield readable
            yield from self._from_logs(con)
        finally:
            con.close()

    def _from_logs(self, con: duckdb.DuckDBPyConnection) -> Iterable[Metric]:
        loads = source_loads(con)
        rows = CounterMetricFamily(
            "stockyard_source_rows_loaded", "Rows loaded into raw tables", labels=["source"]
        )
        quarantined = CounterMetricFamily(
            "stockyard_source_rows_quarantined", "Rows set aside with a reason", labels=["source"]
        )
        partitions = CounterMetricFamily(
            "stockyard_source_partition_loads", "Partition loads recorded", labels=["source"]
        )
        last_load = GaugeMetricFamily(
            "stockyard_source_last_load_timestamp_seconds",
            "When the source was last loaded (Unix time)",
            labels=["source"],
        )
        for load in loads:
            rows.add_metric([load.source], load.rows)
            quarantined.add_metric([load.source], load.quarantined)
            partitions.add_metric([load.source], load.partitions)
            if load.last_load is not None:
                last_load.add_metric([load.source], load.last_load.timestamp())
        yield from (rows, quarantined, partitions, last_load)
        yield _histogram(
            "stockyard_source_load_duration_seconds",
            "How long each partition load took",
            LOAD_BUCKETS,
            {(load.source,): load.durations for load in loads},
            ["source"],
        )
        runs = audit_runs(con, limit=None)
        by_outcome = CounterMetricFamily(
            "stockyard_pipeline_runs",
            "Write-audit-publish runs by outcome (published, refused, not_published, running)",
            labels=["outcome"],
        )
        counts: dict[str, int] = {}
        for run in runs:
            counts[run.outcome] = counts.get(run.outcome, 0) + 1
        for outcome, count in sorted(counts.items()):
            by_outcome.add_metric([outcome], count)
        yield by_outcome
        durations = [run.duration_seconds for run in runs if run.duration_seconds is not None]
        yield _histogram(
            "stockyard_pipeline_run_duration_seconds",
            "Duration of each write-audit-publish run (dbt build, audit, publish)",
            RUN_BUCKETS,
            {(): durations},
            [],
        )
        published = last_publish(con)
        if published is not None:
            stamp = GaugeMetricFamily(
                "stockyard_marts_published_timestamp_seconds",
                "When the marts were last published (Unix time)",
            )
            stamp.add_metric([], published.timestamp())
            yield stamp


def _route_template(scope: Scope) -> str:
    """The matched route's template; "unmatched" for a path no route serves (bounded labels)."""
    route = scope.get("route")
    if route is None and "app" in scope:
        # A response sent before routing (a 304 from the cache check) still names its route.
        for candidate in scope["app"].router.routes:
            match, _ = candidate.matches(scope)
            if match is Match.FULL:
                route = candidate
                break
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class RequestMetricsMiddleware:
    """Times every HTTP request and labels it with the matched route's template.

    The response also says its server time in a ``Server-Timing`` header (``app;dur=12.3``, in
    milliseconds up to the response's headers), so a browser's developer tools, a monitor or the
    pages benchmark can read it per request without scraping /metrics.
    """

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                elapsed_ms = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append("Server-Timing", f"app;dur={elapsed_ms:.1f}")
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            route = _route_template(scope)
            self.histogram.labels(scope["method"], route, str(status)).observe(
                time.perf_counter() - started
            )


def build_registry(warehouse_path: Callable[[], Path]) -> tuple[CollectorRegistry, Histogram]:
    """One registry per app, so two apps in one process (tests) never share or clash."""
    registry = CollectorRegistry(auto_describe=True)
    histogram = Histogram(
        "stockyard_http_request_duration_seconds",
        "HTTP request latency by route template",
        ["method", "route", "status"],
        buckets=HTTP_BUCKETS,
        registry=registry,
    )
    registry.register(WarehouseCollector(warehouse_path))
    return registry, histogram


@router.get("/metrics", response_class=Response, include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus exposition: this app's registry, then the process-wide default one."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    body = generate_latest(registry) + generate_latest(REGISTRY)
    return Response(content=body, media_type=CONTENT_TYPE)
