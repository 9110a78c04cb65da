"""Cold wall time of the whole demo pipeline (`stockyard demo --no-serve` into an empty home).

Prints each stage's time beside the total, and the share the replay server's HTTP took, so a
slowdown can be placed. Target: ≤ 120 s on a 2-core machine.
Run: `python benchmarks/bench_demo.py`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import warnings
from pathlib import Path

from rich.console import Console
from rich.table import Table

from stockyard.cli.app import (
    DEMO_DAILY_WINDOWS,
    DEMO_FROM,
    DEMO_JOB_WINDOWS,
    DEMO_TO,
    DEMO_YEARS,
)
from stockyard.config import Settings
from stockyard.pipeline.run import run_pipeline
from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides

TARGET_SECONDS = 120.0


def main() -> None:
    warnings.simplefilter("ignore")
    console = Console()
    with tempfile.TemporaryDirectory() as home, ReplayServer(SAMPLE_ROOT) as replay:
        settings = Settings(home=Path(home), **demo_source_overrides(replay.url))
        started = time.perf_counter()
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # dbt's chatter
            summary = run_pipeline(
                settings,
                DEMO_FROM,
                DEMO_TO,
                years=DEMO_YEARS,
                windows=DEMO_DAILY_WINDOWS,
                job_windows=DEMO_JOB_WINDOWS,
            )
        total = time.perf_counter() - started
        requests = len(replay.requests)
    table = Table(title="Demo pipeline, cold (empty STOCKYARD_HOME)")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("share", justify="right")
    for stage in summary.stages:
        table.add_row(stage.job, f"{stage.seconds:.1f}", f"{stage.seconds / total:.0%}")
    table.add_row("total (incl. dbt parse, Dagster start)", f"{total:.1f}", "100%")
    console.print(table)
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    console.print(
        f"{requests} replayed requests; total {total:.1f} s = {total / TARGET_SECONDS:.2f}× the "
        f"{TARGET_SECONDS:.0f} s target ({verdict}); success={summary.success}"
    )


if __name__ == "__main__":
    main()
