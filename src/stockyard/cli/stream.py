"""`stockyard stream`: minute bars and news → signals, live; or a recorded session, replayed."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from stockyard.config import Settings

console = Console(stderr=True)
out = Console()
SPEED_HELP = "Replay pace: N× the market's (60 = an hour a minute) or 'max'"


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _speed(text: str) -> float | None:
    if text.lower() == "max":
        return None
    try:
        speed = float(text)
    except ValueError:
        raise typer.BadParameter(f"--speed must be a number or 'max', not {text!r}") from None
    if speed <= 0:
        raise typer.BadParameter("--speed must be above 0")
    return speed


def _worker(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise typer.BadParameter(f"--worker is I/N, e.g. 0/2, not {text!r}") from None
    if not 0 <= index < count:
        raise typer.BadParameter(f"--worker {text}: I must be in 0..N-1")
    return index, count


def stream(
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Replay the <TICKER>_1min.csv bars in DIR through a local Polygon websocket server "
            "(the bundled sample: src/stockyard/data/sample/minute_bars)",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    speed: Annotated[str, typer.Option(help=SPEED_HELP)] = "max",
    until_done: Annotated[
        bool, typer.Option("--until-done", help="Exit once a replay is fully processed")
    ] = False,
    tickers: Annotated[
        list[str] | None, typer.Option("--tickers", help="Tickers to watch (comma-separated)")
    ] = None,
    news_terms: Annotated[
        list[str] | None, typer.Option("--news-terms", help="News search terms (comma-separated)")
    ] = None,
    role: Annotated[
        str, typer.Option(help="all | ingest | process (split across processes with Redis)")
    ] = "all",
    worker: Annotated[
        str, typer.Option(help="This processor's share of the partitions, I/N (Redis only)")
    ] = "0/1",
    serve_port: Annotated[
        int | None,
        typer.Option("--serve", help="Also serve the web app (Live page) on this port"),
    ] = None,
    batch: Annotated[int, typer.Option(help="Most events the processor takes at once")] = 2000,
    home: Annotated[Path | None, typer.Option("--home", help="Stockyard home")] = None,
) -> None:
    """Stream Polygon minute bars and news into signals, DuckDB (and InfluxDB), and the Live page."""
    from stockyard.cli.common import load_settings as _settings

    if role not in ("all", "ingest", "process"):
        raise typer.BadParameter("--role is all, ingest or process")
    settings = _settings(home)
    overrides: dict[str, Any] = {}
    if tickers:
        overrides["tickers"] = _split(tickers)
    if news_terms:
        overrides["news_terms"] = _split(news_terms)
    if overrides:
        settings.stream = settings.stream.model_copy(update=overrides)
    if role != "all" and not settings.bus_url:
        raise typer.BadParameter(
            f"--role {role} needs a shared bus: set STOCKYARD_BUS_URL=redis://host:6379/0"
        )
    try:
        summary = asyncio.run(
            _run(
                settings,
                replay,
                _speed(speed),
                until_done,
                role,
                _worker(worker),
                serve_port,
                batch,
            )
        )
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    _print_summary(summary)


async def _run(
    settings: Settings,
    replay: Path | None,
    speed: float | None,
    until_done: bool,
    role: str,
    worker: tuple[int, int],
    serve_port: int | None,
    batch: int,
) -> dict[str, Any]:
    from pydantic import SecretStr

    from stockyard.replay.ws_server import WebsocketReplayServer
    from stockyard.stream.bus import create_bus, owned_partitions
    from stockyard.stream.hub import LiveHub
    from stockyard.stream.news import load_replay_news
    from stockyard.stream.runtime import StreamRuntime
    from stockyard.stream.sinks import DuckDBSink, InfluxSink, Sink
    from stockyard.stream.watchlist import WatchList

    cfg = settings.stream
    bus = create_bus(
        settings.bus_url,
        partitions=cfg.partitions,
        group=cfg.consumer_group,
        worker=worker[0],
        workers=worker[1],
    )
    ws_url, api_key = cfg.polygon_ws_url, settings.polygon.api_key
    replay_server: WebsocketReplayServer | None = None
    replay_news = None
    if replay is not None and role != "process":
        replay_server = WebsocketReplayServer(replay, speed=speed).start()
        ws_url, api_key = replay_server.url, SecretStr("replay")
        replay_news = load_replay_news(replay)
        console.print(
            f"Replaying {replay_server.message_count:,} bars of {len(replay_server.tickers)} "
            f"tickers from {replay} at {'max' if speed is None else f'{speed:g}x'} speed."
        )
    elif role != "process" and api_key is None:
        raise typer.BadParameter(
            "streaming from Polygon needs STOCKYARD_POLYGON__API_KEY (or use --replay DIR)"
        )
    backfill = None
    if replay is None and role != "process" and api_key is not None:
        from stockyard.sources.http import HttpClient
        from stockyard.sources.polygon.backfill import minute_backfill
        from stockyard.sources.polygon.client import PolygonClient

        # Minutes missed while the websocket was away come from Polygon's REST aggregates.
        backfill = minute_backfill(PolygonClient(HttpClient("polygon", settings.polygon), api_key))
    guardian = None
    if replay is None and role != "process" and settings.guardian.api_key is not None:
        from stockyard.sources.guardian import GuardianClient
        from stockyard.sources.http import HttpClient

        guardian = GuardianClient(
            HttpClient("guardian", settings.guardian), settings.guardian.api_key
        )
    sinks: list[Sink] = []
    if role != "ingest":
        sinks.append(DuckDBSink(cfg.duckdb_path or settings.resolved_home / "realtime.duckdb"))
        if cfg.influx_url:
            sinks.append(InfluxSink(cfg.influx_url, cfg.influx_database))
    watchlist = WatchList(cfg.tickers, cfg.news_terms)
    hub = LiveHub()
    runtime = StreamRuntime(
        cfg,
        bus=bus,
        sinks=sinks,
        watchlist=watchlist,
        hub=hub,
        ws_url=ws_url,
        api_key=api_key,
        replay_news=list(replay_news or []),
        guardian=guardian,
        backfill=backfill,
        ingest=role in ("all", "ingest"),
        process=role in ("all", "process"),
        owned_partitions=owned_partitions(bus.partitions, *worker) if settings.bus_url else None,
        until_done=until_done,
        max_batch=batch,
    )
    sync_task = None
    if settings.bus_url:
        from stockyard.stream.watch_sync import RedisWatchSync

        # Split processes share one watch list: the Live page's changes reach the ingest side.
        watch_sync = RedisWatchSync(settings.bus_url, watchlist)
        sync_task = asyncio.create_task(watch_sync.run())
    web_server = None
    if serve_port is not None:
        web_server = _web_server(settings, serve_port, hub, watchlist)
        server_task = asyncio.create_task(web_server.serve())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(runtime.stop()))
    try:
        summary = await runtime.run()
    finally:
        if web_server is not None:
            web_server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await server_task
        if sync_task is not None:
            sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sync_task
            await watch_sync.close()
        for sink in sinks:
            await sink.close()
        await bus.close()
        if replay_server is not None:
            replay_server.stop()
        if guardian is not None:
            guardian.http.close()
    return summary.as_dict()


def _web_server(settings: Settings, port: int, hub: Any, watchlist: Any) -> Any:
    import uvicorn

    from stockyard.web.app import create_web_app
    from stockyard.web.live import attach_live

    app = create_web_app(settings)
    attach_live(app, hub, watchlist, settings.stream.control_token)
    console.print(f"Live page on http://{settings.api_host}:{port}/live")
    # Live pages hold their event streams open forever: give them a moment, then close them.
    config = uvicorn.Config(
        app, host=settings.api_host, port=port, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    # The stream owns Ctrl+C (it stops cleanly and prints its summary); uvicorn must not take it.
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]
    return server


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title="What the stream did")
    table.add_column("measure")
    table.add_column("value", justify="right")
    labels = {
        "messages_in": "messages in",
        "bars_written": "bars written",
        "news_written": "news written",
        "alerts": "alerts",
        "late_dropped": "late (dropped)",
        "out_of_order": "out of order (accepted)",
        "duplicates": "duplicates (dropped)",
        "malformed": "malformed (skipped)",
        "reconnects": "reconnects",
        "seconds": "seconds",
    }
    for key, label in labels.items():
        table.add_row(label, str(summary.get(key)))
    out.print(table)
