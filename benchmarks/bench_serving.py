"""The site while the pipeline writes: API p95 during a full run beside p95 with no run, and
requests/s with `stockyard serve --workers 2` beside 1.

1. A demo home (built here, or copied from --home) is served by `stockyard serve` in its own
   process, which reads the current serving snapshot.
2. Idle: client threads ask a mix of pages and JSON for a while; p50/p95 and non-200 answers.
3. During a run: the same load while `stockyard demo --no-serve` re-runs the whole pipeline over
   the same home in another process (the scenario that used to fail steps with "Could not set
   lock" and answer 503). Printed beside idle as a ratio; target ≤ 1.5×. On a 2-core machine the
   run also takes the CPU the server would use, so the run is measured twice: as is, and at a
   lower scheduling priority (`nice -n 10`), which is how a batch job shares a web machine.
4. Throughput: requests/s over the same mix with 1 and 2 workers, at the same concurrency.

Each request carries a unique ignored parameter, so the per-publish response cache never answers
(what is measured is the query, not the memory cache).
Run: `python benchmarks/bench_serving.py [--home PATH] [--seconds 20] [--clients 4]`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from local_server import percentile, wide_console
from rich.table import Table

from stockyard.warehouse import serving, wap
from stockyard.warehouse.db import connect

PATHS = (
    "/api/trades",
    "/api/trades?chamber=senate&sort=-amount",
    "/api/members",
    "/api/tickers/AAPL",
    "/api/overview",
    "/trades",
    "/members",
)
TARGET_RATIO = 1.5


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_load(url: str, clients: int, until: threading.Event | float) -> Load:
    """``clients`` threads asking PATHS round-robin until the event is set (or for N seconds)."""
    load = Load()
    lock = threading.Lock()
    counter = itertools.count()
    stop = until if isinstance(until, threading.Event) else threading.Event()

    def client(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            for n in itertools.count():
                if stop.is_set():
                    return
                path = PATHS[next(counter) % len(PATHS)]
                sep = "&" if "?" in path else "?"
                started = time.perf_counter()
                try:
                    ok = http.get(f"{path}{sep}_={worker}-{n}").status_code == 200
                except httpx.TransportError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    load.latencies.append(elapsed)
                    load.failures += not ok

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if not isinstance(until, threading.Event):
        time.sleep(until)
        stop.set()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load


def serve(home: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
    command = [sys.executable, "-m", "stockyard.cli.app", "serve", "--home", str(home)]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("stockyard serve did not come up")
        time.sleep(0.2)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_run(home: Path, *, nice: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "stockyard.cli.app", "demo", "--no-serve", "--home", str(home)]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def during_run(home: Path, url: str, clients: int, *, nice: int) -> tuple[Load, int, float]:
    """Load for as long as a full demo run over ``home`` lasts; (load, run's exit code, run s)."""
    stop = threading.Event()
    result: dict[str, Load] = {}
    loader = threading.Thread(target=lambda: result.update(load=run_load(url, clients, stop)))
    started = time.perf_counter()
    run = demo_run(home, nice=nice)
    loader.start()
    _, errors = run.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    loader.join()
    if run.returncode:
        print(errors.decode(errors="replace")[-3000:], file=sys.stderr)
    return result["load"], run.returncode, seconds


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="a demo-built home to copy (default: build one)")
    parser.add_argument("--seconds", type=float, default=20.0, help="idle and throughput load")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--nice", default="0,10", help="scheduling priorities to run the pipeline at, one run each"
    )
    args = parser.parse_args()
    console = wide_console()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        if args.home:
            shutil.copytree(args.home, home)
            path = home / "warehouse.duckdb"
            if serving.current(serving.serving_dir(path)) is None:
                # A home built before serving snapshots: publish its last audit run once more.
                con = connect(path)
                try:
                    wap.publish(con)
                finally:
                    con.close()
        else:
            console.print("Building a demo home (`stockyard demo --no-serve`, a few minutes)…")
            if demo_run(home, nice=0).wait():
                raise SystemExit("the demo build failed")
        rows: list[tuple[str, Load, str]] = []
        server, url = serve(home, workers=1)
        try:
            idle = run_load(url, args.clients, args.seconds)
            rows.append(("idle (no run)", idle, ""))
            for nice in (int(n) for n in args.nice.split(",")):
                console.print(f"Full pipeline run over the served home (nice {nice})…")
                load, code, seconds = during_run(home, url, args.clients, nice=nice)
                status = "run ok" if code == 0 else f"run FAILED ({code})"
                rows.append((f"during a full run, nice {nice}", load, f"{status}, {seconds:.0f} s"))
        finally:
            server.terminate()
            server.wait()
        throughput: list[tuple[int, Load]] = []
        for workers in (1, 2):
            server, url = serve(home, workers=workers)
            try:
                throughput.append((workers, run_load(url, args.clients * 2, args.seconds)))
            finally:
                server.terminate()
                server.wait()

    table = Table(
        title=f"API while the pipeline writes ({args.clients} clients, {len(PATHS)} URLs)"
    )
    for column in ("load", "requests", "non-200", "p50 ms", "p95 ms", "p95 vs idle", "note"):
        table.add_column(column, justify="right" if column != "load" else "left")
    idle_p95 = percentile(idle.latencies, 0.95)
    for name, load, note in rows:
        p95 = percentile(load.latencies, 0.95)
        table.add_row(
            name,
            f"{len(load.latencies):,}",
            str(load.failures),
            f"{percentile(load.latencies, 0.5) * 1000:.1f}",
            f"{p95 * 1000:.1f}",
            f"{p95 / idle_p95:.2f}×",
            note,
        )
    console.print(table)
    workers_table = Table(title=f"Throughput, idle ({args.clients * 2} clients)")
    for column in ("workers", "requests/s", "p95 ms", "vs 1 worker"):
        workers_table.add_column(column, justify="right")
    base = throughput[0][1].requests_per_second
    for workers, load in throughput:
        workers_table.add_row(
            str(workers),
            f"{load.requests_per_second:.0f}",
            f"{percentile(load.latencies, 0.95) * 1000:.1f}",
            f"{load.requests_per_second / base:.2f}×",
        )
    console.print(workers_table)
    failures = sum(load.failures for _, load, _ in rows)
    worst = max(percentile(load.latencies, 0.95) for _, load, _ in rows[1:]) / idle_p95
    console.print(
        f"Non-200 answers during runs: {failures} (target 0). Worst p95 during a run: "
        f"{worst:.2f}× idle (target ≤ {TARGET_RATIO}×)."
    )


if __name__ == "__main__":
    main()
