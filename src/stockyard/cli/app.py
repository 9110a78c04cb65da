"""`stockyard`: demo, run, serve, status and the PTR parser as a debugging tool."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from stockyard.cli.alerts import alerts_app
from stockyard.cli.common import HomeOption
from stockyard.cli.common import load_settings as _settings
from stockyard.cli.dagster_deploy import dagster_app
from stockyard.cli.plan import plan_app
from stockyard.cli.review import review_app
from stockyard.cli.stream import stream as stream_command
from stockyard.config import Settings

app = typer.Typer(
    name="stockyard",
    help="Follow what US members of Congress trade: disclosures → audited warehouse → API.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
ptr_app = typer.Typer(help="House Periodic Transaction Report tools.", no_args_is_help=True)
app.add_typer(ptr_app, name="ptr")
app.add_typer(plan_app, name="plan", no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(dagster_app, name="dagster")
app.add_typer(alerts_app, name="alerts")
app.command("stream")(stream_command)
console = Console(stderr=True)
out = Console()

# What the bundled sample covers: House PTR PDFs filed 2016 to 2025 (index years), Senate eFD
# reports filed 2020-01 → 2021-01 and in 2022, and the Benzinga record of 2024-12-11.
DEMO_FROM = date(2020, 1, 1)
DEMO_TO = date(2024, 12, 31)
DEMO_YEARS = (2016, 2025)
DEMO_DAILY_WINDOWS = (
    (date(2020, 1, 1), date(2021, 1, 31)),
    (date(2022, 1, 1), date(2022, 12, 31)),
    (date(2024, 12, 1), date(2024, 12, 31)),
)
# The bundled daily bars cover 2020-01-02 → 2023-06-29: prices for every sample trade of those years.
DEMO_MARKET_WINDOWS = ((date(2020, 1, 1), date(2023, 6, 29)),)
# The bundled NSE bhavcopy weeks: both formats in 2021 (cross-checked), the full one in 2024.
DEMO_NSE_WINDOWS = (
    (date(2021, 5, 31), date(2021, 6, 4)),
    (date(2024, 1, 1), date(2024, 1, 5)),
)
DEMO_JOB_WINDOWS = {"market_job": DEMO_MARKET_WINDOWS, "nse_job": DEMO_NSE_WINDOWS}
STAGE_LABELS = {
    "snapshots_job": "members, committees, community aggregates",
    "house_job": "House Clerk index and PTR PDFs",
    "senate_job": "Senate eFD reports",
    "market_job": "Polygon daily bars (grouped daily, fewest calls)",
    "nse_job": "NSE India bhavcopy (full and legacy formats)",
    "transform_job": "member matching, dbt build + audit, publish, alerts",
}


def _run(settings: Settings, start: date, end: date, **scope: Any) -> bool:
    warnings.filterwarnings("ignore", message=".*currently in beta")  # Dagster's notes to us
    from stockyard.pipeline.run import StageResult, run_pipeline

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        current: dict[str, Any] = {}

        def on_stage(job: str, result: StageResult | None) -> None:
            if result is None:
                current[job] = progress.add_task(f"  {STAGE_LABELS.get(job, job)}", total=1)
                return
            mark = "[green]✓[/]" if result.success else "[red]✗[/]"
            progress.update(
                current[job],
                completed=1,
                description=f"  {mark} {STAGE_LABELS.get(job, job)} ({result.seconds:.1f}s)",
            )

        # dbt's own console output goes to the log folder; the bars above tell the story.
        with (
            open(settings.log_dir / "pipeline.out", "a", encoding="utf-8") as sink,
            contextlib.redirect_stdout(sink),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")  # Dagster's beta notices are for us, not users
            summary = run_pipeline(settings, start, end, on_stage=on_stage, **scope)
    _print_summary(summary.stages)
    return summary.success


def _print_summary(stages: list[Any]) -> None:
    table = Table(title="What the run did", show_lines=False)
    table.add_column("asset", no_wrap=True, min_width=24)
    for column in ("fetched", "landed", "docs", "rows", "quar.", "404", "errors"):
        table.add_column(column, justify="right")
    for stage in stages:
        for asset, meta in stage.metadata.items():
            if "fetched" not in meta:
                continue  # dbt models report through `stockyard status`
            table.add_row(
                asset,
                *(
                    str(meta.get(k, ""))
                    for k in (
                        "fetched",
                        "landed",
                        "loaded_documents",
                        "loaded_rows",
                        "quarantined",
                        "missing_at_source",
                        "errors",
                    )
                ),
            )
    console.print(table)
    for stage in stages:
        if stage.error:
            console.print(f"[red]{stage.job} failed[/]:\n{stage.error}")
            console.print("Next: `stockyard status` shows the audit failures and quarantine.")


@app.command()
def run(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD)")],
    home: HomeOption = None,
) -> None:
    """Fetch, land, load, audit and publish every source for a date range (in-process Dagster)."""
    try:
        start_day, end_day = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise typer.BadParameter(f"dates must be YYYY-MM-DD: {exc}") from exc
    if end_day < start_day:
        raise typer.BadParameter("--to must not be before --from")
    if not _run(_settings(home), start_day, end_day):
        raise typer.Exit(1)


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web app after")
    ] = True,
    port: Annotated[int, typer.Option(help="Port for the web app")] = 8000,
    home: HomeOption = None,
) -> None:
    """Build the warehouse offline from the bundled real sample (replayed over HTTP), then serve it."""
    from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides

    with ReplayServer(SAMPLE_ROOT) as replay:
        console.print(f"Replaying the bundled real sample from {replay.url} (offline).")
        settings = _settings(home, **demo_source_overrides(replay.url))
        ok = _run(
            settings,
            DEMO_FROM,
            DEMO_TO,
            years=DEMO_YEARS,
            windows=DEMO_DAILY_WINDOWS,
            job_windows=DEMO_JOB_WINDOWS,
        )
        console.print(
            f"Replay server answered {len(replay.requests)} requests. The House index lists far "
            "more PTRs than the offline sample holds: those answer 404 and stay in "
            "marts.fct_filings as not_fetched."
        )
    if not ok:
        raise typer.Exit(1)
    _print_status(settings)
    if serve_after:
        _serve(settings, port)


def _serve(settings: Settings, port: int, workers: int = 1) -> None:
    import uvicorn

    from stockyard.web.app import create_web_app

    console.print(
        f"Serving Stockyard on http://{settings.api_host}:{port} "
        f"({workers} worker{'s' if workers > 1 else ''}; Ctrl+C to stop)"
    )
    if workers == 1:
        uvicorn.run(
            create_web_app(settings), host=settings.api_host, port=port, log_level="warning"
        )
        return
    # Worker processes build their own app from an import string and read their settings from the
    # environment, so the home chosen here travels as STOCKYARD_HOME. Each reads the same serving
    # snapshot; none writes anything.
    os.environ["STOCKYARD_HOME"] = str(settings.resolved_home)
    uvicorn.run(
        "stockyard.web.app:create_web_app",
        factory=True,
        workers=workers,
        host=settings.api_host,
        port=port,
        log_level="warning",
    )


@app.command()
def serve(
    port: Annotated[
        int | None, typer.Option(help="Port (default: STOCKYARD_API_PORT or 8000)")
    ] = None,
    home: HomeOption = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes answering requests (each reads the snapshot)")
    ] = 1,
) -> None:
    """Serve the web app and JSON API over the published serving snapshot."""
    settings = _settings(home)
    _serve(settings, port or settings.api_port, workers)


@app.command()
def status(home: HomeOption = None) -> None:
    """Last loads, row counts, freshness, audit results and quarantine."""
    _print_status(_settings(home))


def _print_status(settings: Settings) -> None:
    from stockyard.warehouse.db import connect
    from stockyard.warehouse.status_reads import warehouse_status

    path = settings.resolved_warehouse_path
    if not path.exists():
        console.print(
            f"No warehouse at {path}. Next: `stockyard demo --no-serve` or `stockyard run`."
        )
        raise typer.Exit(1)
    con = connect(path, read_only=True)
    try:
        st = warehouse_status(con)
    finally:
        con.close()
    rows = Table(title=f"Warehouse {path}")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for table, n in st.table_rows.items():
        rows.add_row(table, f"{n:,}")
    out.print(rows)
    fresh = Table(title="Freshness per source")
    for column in ("source", "newest filing", "documents"):
        fresh.add_column(column)
    for f in st.freshness:
        fresh.add_row(str(f["source"]), str(f["newest_filing"]), f"{f['documents']:,}")
    out.print(fresh)
    loads = Table(title="Last loads")
    for column in ("source", "dataset", "last load", "partitions", "rows", "quarantined"):
        loads.add_column(column)
    for load in st.loads:
        loads.add_row(
            *(
                str(load[k])
                for k in ("source", "dataset", "last_load", "partitions", "rows", "quarantined")
            )
        )
    out.print(loads)
    if st.last_audit:
        verdict = "passed" if st.last_audit.get("passed") else "FAILED"
        out.print(f"Last audit: {verdict} at {st.last_audit.get('finished_at')}")
        if not st.last_audit.get("passed"):
            out.print(str(st.last_audit.get("failures")))
    _print_runs(settings)
    out.print(f"Quarantine: {st.quarantine_total:,} rows")
    for q in st.quarantine:
        out.print(f"  {q['n']:>6}  {q['source']}/{q['dataset']}: {q['reason']}")
    _print_alerts(settings)


def _print_alerts(settings: Settings) -> None:
    from stockyard.alerts.service import store_for

    store = store_for(settings)
    counts = store.summary()
    out.print(
        f"Alerts: {counts['follows']} follows; deliveries {counts['delivered']} delivered, "
        f"{counts['pending']} pending, {counts['dead']} dead-lettered"
    )
    for d in store.deliveries("dead") if counts["dead"] else []:
        out.print(f"  dead {d.delivery_id} ({d.follow_id}, {d.events} trades): {d.last_error}")
    if counts["dead"]:
        out.print("  Next: fix the receiver, then `stockyard alerts resend ID`.")


def _print_runs(settings: Settings) -> None:
    from datetime import UTC, datetime

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from stockyard.pipeline.run import recent_runs

        runs = recent_runs(settings)
    table = Table(title="Last pipeline runs (Dagster)")
    for column in ("job", "status", "partitions", "started (UTC)", "seconds"):
        table.add_column(column)
    for run in runs:
        started = (
            datetime.fromtimestamp(run.started, UTC).strftime("%Y-%m-%d %H:%M")
            if run.started
            else ""
        )
        seconds = f"{run.ended - run.started:.0f}" if run.started and run.ended else ""
        table.add_row(run.job, run.status, run.partition_range, started, seconds)
    out.print(table)


@ptr_app.command("parse")
def ptr_parse(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    cache: Annotated[
        bool, typer.Option(help="Keep OCR page readings in the home's cache (scans only)")
    ] = True,
    home: HomeOption = None,
) -> None:
    """Parse a House PTR PDF and print its transactions; scanned (paper) PDFs are read by OCR."""
    from stockyard.landing import FilePageCache
    from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf

    page_cache = FilePageCache(_settings(home).resolved_ocr_cache_url) if cache else None
    # Progress goes to stderr so `--json` stays one JSON object on stdout.
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"OCR {file.name}", total=None, visible=False)

        def on_page(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, visible=True)

        doc = parse_ptr_pdf(file.read_bytes(), file.stem, page_cache=page_cache, on_page=on_page)
    if as_json:
        sys.stdout.write(json.dumps(doc.to_json(), indent=2) + "\n")
        return
    out.print(
        f"[bold]{doc.doc_id}[/] {doc.status} — {doc.filer_name or '?'} {doc.state_district or ''}"
    )
    if doc.error:
        out.print(f"[red]{doc.error}[/]")
    table = Table(show_lines=False)
    columns = ["page", "owner", "asset", "ticker", "type", "tx", "date", "notified", "amount"]
    scanned = any(t.text_source == "ocr" for t in doc.transactions)
    for column in columns + (["conf", "check"] if scanned else []):
        table.add_column(column)
    for t in doc.transactions:
        amount = f"{t.amount_min or ''}–{t.amount_max or '…'}"
        read = [f"{t.confidence:.2f}", ", ".join(t.needs_review)] if scanned else []
        table.add_row(
            str(t.page),
            t.owner or "",
            t.asset_name[:60],
            t.ticker or "",
            t.asset_type or "",
            t.tx_type or "",
            str(t.tx_date or ""),
            str(t.notified_date or ""),
            amount,
            *read,
        )
    out.print(table)
    for page, text, reason in doc.rejects:
        out.print(f"[yellow]page {page}: {reason}[/] {text[:80]}")


if __name__ == "__main__":  # pragma: no cover
    app()
