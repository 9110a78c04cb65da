"""`stockyard dagster up`: the deployed pipeline, dagster-webserver and dagster-daemon together."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["dagster_app"]

dagster_app = typer.Typer(
    help="Run the pipeline as a Dagster deployment (PostgreSQL-backed).", no_args_is_help=True
)
err = Console(stderr=True)


@dagster_app.command()
def up(
    home: Annotated[
        Path | None,
        typer.Option("--home", help="Stockyard home (default: STOCKYARD_HOME or .stockyard)"),
    ] = None,
    host: Annotated[str, typer.Option(help="Address the Dagster UI listens on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the Dagster UI")] = 3000,
) -> None:
    """Start dagster-daemon (schedules, the sensor, the run queue) and dagster-webserver (the UI)
    against PostgreSQL; stop both when either stops or on Ctrl+C."""
    from stockyard.cli.common import load_settings as _settings
    from stockyard.pipeline.deployment import DeploymentConfigError, prepare

    try:
        deployment = prepare(_settings(home))
    except DeploymentConfigError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from exc
    err.print(
        f"Dagster home {deployment.dagster_home}; UI on http://{host}:{port}; Ctrl+C stops both."
    )
    commands = {
        "dagster-daemon": deployment.daemon_command(),
        "dagster-webserver": deployment.webserver_command(host, port),
    }
    processes = {
        name: subprocess.Popen(command, env=deployment.env) for name, command in commands.items()
    }
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    failed = [n for n, p in processes.items() if p.returncode not in (0, -signal.SIGTERM)]
    if failed and not stopping:
        err.print(f"[red]{', '.join(failed)} stopped unexpectedly[/]; see its log above.")
        raise typer.Exit(1)
