"""Server time of every page and every JSON endpoint on the demo data (target: < 300 ms each).

1. Warehouse: a demo-built one (the bundled real sample), as `make demo` leaves it.
2. Serve: `stockyard serve` in its own process (uvicorn, loopback), as a user runs it.
3. Paths: every HTML page (with a filtered variant of each list), and every GET endpoint the
   running server's OpenAPI spec lists, path parameters filled with the busiest member, state,
   committee and ticker and the first filing, read from the API itself.
4. Measure: one client, one request at a time; each request carries a unique ignored parameter
   so the per-publish response cache never answers. The first request of each path is reported
   apart (cold: nothing of it cached yet), then p50/p95/max over the repeats. Server time is the
   `Server-Timing` header the app sets (time to the response's headers); the client's wall time
   adds HTTP and transfer on loopback.
5. Baseline, same run: `/healthz` (the framework's own floor). Each path's p95 is printed as a
   multiple of the 300 ms target.

Run: `python benchmarks/bench_pages.py [--source PATH/warehouse.duckdb] [--repeats 15]`.
Without --source it uses $STOCKYARD_HOME/warehouse.duckdb, or builds the demo (≈2 minutes).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import httpx
from local_server import demo_warehouse, percentile, serve, wide_console
from rich.progress import Progress
from rich.table import Table

TARGET_MS = 300.0

PAGES = [
    "/",
    "/trades",
    "/trades?state=CA&sort=-amount",
    "/members",
    "/members?chamber=senate&party=R",
    "/members/{bioguide_id}",
    "/states",
    "/states/{state}",
    "/tickers",
    "/tickers?q=A",
    "/tickers/{ticker}",
    "/committees",
    "/committees/{committee_id}",
    "/filings",
    "/filings?status=quarantined",
    "/filings/{filing_id}",
    "/pipeline",
    "/macro",
    "/nse",
    "/news",
    "/live",
]
# Not what this measures: the docs UI is static, /metrics is a scrape, and /api/live/* answer
# only in a server that runs a stream (`stockyard stream --serve`; bench_stream.py measures it).
SKIPPED_API_PATHS = {"/docs", "/redoc", "/metrics", "/api/live/watch", "/api/live/snapshot"}


def _samples(client: httpx.Client) -> dict[str, str]:
    """The path parameters to measure with, chosen the way a visitor would meet them."""
    members = client.get("/api/members", params={"sort": "-trade_count", "page_size": 1}).json()
    states = client.get("/api/states").json()
    committees = client.get("/api/committees", params={"sort": "-trade_count"}).json()
    tickers = client.get("/api/tickers", params={"sort": "-trade_count", "page_size": 1}).json()
    filings = client.get("/api/filings", params={"page_size": 1}).json()
    busiest_state = max(_rows(states), key=lambda row: row["trade_count"] or 0)
    return {
        "bioguide_id": _rows(members)[0]["bioguide_id"],
        "state": busiest_state["state"],
        "committee_id": _rows(committees)[0]["committee_id"],
        "ticker": _rows(tickers)[0]["ticker"],
        "filing_id": str(_rows(filings)[0]["filing_id"]),
    }


def _rows(answer: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = answer["items"]
    if not rows:
        raise SystemExit("The warehouse has no rows to measure pages with: build the demo first.")
    return rows


def _api_paths(client: httpx.Client) -> list[str]:
    spec = client.get("/openapi.json").json()
    return [
        path
        for path, operations in spec["paths"].items()
        if "get" in operations and path not in SKIPPED_API_PATHS
    ]


def _fill(template: str, samples: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in samples:
            raise SystemExit(f"No sample value for {{{name}}} in {template}: add one to _samples.")
        return samples[name]

    return re.sub(r"\{(\w+)\}", value, template)


def _measure(client: httpx.Client, path: str, repeats: int) -> dict[str, Any]:
    server_ms: list[float] = []
    wall_ms: list[float] = []
    statuses: set[int] = set()
    separator = "&" if "?" in path else "?"
    for attempt in range(repeats + 1):
        started = time.perf_counter()
        response = client.get(f"{path}{separator}_bench={time.monotonic_ns()}-{attempt}")
        wall_ms.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status_code)
        timing = response.headers.get("server-timing", "")
        if not timing.startswith("app;dur="):
            raise SystemExit(f"{path} answered without a Server-Timing header: {timing!r}")
        server_ms.append(float(timing.removeprefix("app;dur=")))
    return {
        "first": server_ms[0],
        "server": server_ms[1:],
        "wall": wall_ms[1:],
        "statuses": sorted(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help="a demo-built warehouse.duckdb")
    parser.add_argument("--repeats", type=int, default=15, help="requests per path after the first")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    console = wide_console()
    with tempfile.TemporaryDirectory(prefix="stockyard-bench-pages-") as scratch:
        scratch_path = Path(scratch)
        source = demo_warehouse(args.source, scratch_path, console)
        home = scratch_path / "home"
        home.mkdir()
        # A copy, so the server's readers never meet a writer of the user's own warehouse.
        shutil.copy(source, home / "warehouse.duckdb")
        server, url = serve(home)
        try:
            with httpx.Client(base_url=url, timeout=60) as client:
                samples = _samples(client)
                paths = [_fill(page, samples) for page in PAGES]
                paths += [_fill(path, samples) for path in _api_paths(client)]
                results: dict[str, dict[str, Any]] = {}
                with Progress(console=console, transient=True) as progress:
                    task = progress.add_task("Requesting every path", total=len(paths))
                    for path in paths:
                        results[path] = _measure(client, path, args.repeats)
                        progress.advance(task)
        finally:
            server.terminate()
            server.wait(timeout=30)
    floor = percentile(results["/healthz"]["server"], 0.95)
    table = Table(
        title=f"Server time per path on the demo data, {args.repeats} uncached requests each "
        f"after the first; /healthz p95 {floor:.2f} ms (the framework's floor)"
    )
    table.add_column("path", overflow="fold", min_width=28)
    for column in ("status", "first ms", "p50 ms", "p95 ms", "max ms", "wall p95 ms"):
        table.add_column(column, justify="right")
    table.add_column(f"p95 / {TARGET_MS:.0f} ms", justify="right")
    worst_path, worst = "", 0.0
    for path, result in results.items():
        p95 = percentile(result["server"], 0.95)
        slowest = max(p95, result["first"])
        if slowest > worst:
            worst_path, worst = path, slowest
        table.add_row(
            path,
            ",".join(str(status) for status in result["statuses"]),
            f"{result['first']:.1f}",
            f"{percentile(result['server'], 0.5):.1f}",
            f"{p95:.1f}",
            f"{max(result['server']):.1f}",
            f"{percentile(result['wall'], 0.95):.1f}",
            f"{p95 / TARGET_MS:.2f}×",
        )
    console.print(table)
    errors = [path for path, result in results.items() if max(result["statuses"]) >= 500]
    verdict = "within" if worst < TARGET_MS and not errors else "OVER"
    console.print(
        f"{len(results)} paths. Slowest (first request or p95): {worst_path} {worst:.1f} ms = "
        f"{worst / TARGET_MS:.2f}× the {TARGET_MS:.0f} ms target ({verdict})."
        + (f" Server errors: {', '.join(errors)}" if errors else "")
    )


if __name__ == "__main__":
    main()
