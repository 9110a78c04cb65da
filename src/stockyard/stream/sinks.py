"""Where processed batches go: DuckDB (always), InfluxDB line protocol (optional), the live hub."""

from __future__ import annotations

import asyncio
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Protocol

import duckdb
import httpx
import structlog

from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.events import Alert, BarSignal, NewsEvent
from stockyard.stream.processor import Output
from stockyard.warehouse.stream_sink import (
    connect_stream,
    recent_bars,
    stream_counts,
    write_batch,
)

log = structlog.get_logger("stockyard.stream.sinks")


# Rows in field order; `dataclasses.astuple` deep-copies every field and costs 10× as much.
_news_row = attrgetter(*(f.name for f in fields(NewsEvent)))
_alert_row = attrgetter(*(f.name for f in fields(Alert)))


class Sink(Protocol):
    async def write(self, out: Output) -> None: ...

    async def close(self) -> None: ...


class DuckDBSink:
    """The stream.* tables (their own DuckDB file); each batch is one transaction of upserts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con: duckdb.DuckDBPyConnection = connect_stream(path)
        self.bars_written = 0
        self.alerts_written = 0
        self.news_written = 0

    async def write(self, out: Output) -> None:
        if not out:
            return
        bars, revised = out.signals, out.revisions  # a signal is already the row
        news = [(*_news_row(item), ",".join(tickers)) for item, tickers in out.news]
        alerts = [_alert_row(a) for a in out.alerts]
        # DuckDB releases the GIL while it writes; the event loop keeps reading meanwhile.
        await asyncio.to_thread(write_batch, self.con, bars, news, alerts, revised)
        self.bars_written += len(bars)
        self.news_written += len(news)
        self.alerts_written += len(alerts)

    def counts(self) -> dict[str, int]:
        return stream_counts(self.con)

    def recent_bars(self, horizon_ms: int) -> list[AggregateBar]:
        return [AggregateBar(*row) for row in recent_bars(self.con, horizon_ms)]

    async def close(self) -> None:
        self.con.close()


def _escape_tag(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(" ", "\\ ").replace("=", "\\=")


def _field_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bar_line(signal: BarSignal) -> str:
    fields = [
        f"open={signal.open}",
        f"high={signal.high}",
        f"low={signal.low}",
        f"close={signal.close}",
        f"volume={signal.volume}",
        f"vwap={signal.vwap}",
        f"rolling_vwap={signal.rolling_vwap}",
    ]
    for name in ("ret_1m", "ret_5m", "ret_15m", "volume_z"):
        value = getattr(signal, name)
        if value is not None:
            fields.append(f"{name}={value}")
    return f"minute_bars,ticker={_escape_tag(signal.ticker)} {','.join(fields)} {signal.end_ms}"


def line_protocol(out: Output) -> str:
    """The batch as InfluxDB line protocol, millisecond precision (the seed's Influx measurements)."""
    lines = [bar_line(s) for s in [*out.signals, *out.revisions]]
    for alert in out.alerts:
        lines.append(
            f"alerts,ticker={_escape_tag(alert.ticker)} move_pct={alert.move_pct},"
            f"close={alert.close},news_title={_field_string(alert.news_title)} {alert.window_end_ms}"
        )
    for item, tickers in out.news:
        lines.append(
            f"news,term={_escape_tag(item.term or '-')} title={_field_string(item.title)},"
            f"tickers={_field_string(','.join(tickers))} {item.published_ms}"
        )
    return "\n".join(lines)


class InfluxSink:
    """POST /write to an InfluxDB 1.x server; a point with the same series and time overwrites."""

    def __init__(self, url: str, database: str, *, timeout: float = 10.0) -> None:
        self.url, self.database = url.rstrip("/"), database
        self._http = httpx.AsyncClient(base_url=self.url, timeout=timeout)
        self._database_ready = False
        self.points_written = 0

    async def _ensure_database(self) -> None:
        if not self._database_ready:
            response = await self._http.post(
                "/query", params={"q": f'CREATE DATABASE "{self.database}"'}
            )
            response.raise_for_status()
            self._database_ready = True

    async def write(self, out: Output) -> None:
        body = line_protocol(out)
        if not body:
            return
        await self._ensure_database()
        response = await self._http.post(
            "/write", params={"db": self.database, "precision": "ms"}, content=body.encode()
        )
        if response.status_code >= 300:
            raise RuntimeError(
                f"InfluxDB at {self.url} refused a write ({response.status_code}: "
                f"{response.text[:200]}); check STOCKYARD_STREAM__INFLUX_URL and the database"
            )
        self.points_written += body.count("\n") + 1

    async def close(self) -> None:
        await self._http.aclose()
