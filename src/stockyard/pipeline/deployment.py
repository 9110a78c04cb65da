"""A real Dagster deployment: dagster-webserver and dagster-daemon over a PostgreSQL instance.

`stockyard dagster up` runs both against a Dagster home made from `deploy/dagster.yaml`
(PostgreSQL storage, a queue that runs one run at a time, runs in their own processes) and
`deploy/workspace.yaml` (the `stockyard.pipeline` code location). Nothing here imports Dagster:
the two programs are Dagster's own, started as processes.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from stockyard.config import Settings

DEPLOY_FILES = Path(__file__).with_name("deploy")
POSTGRES_URL_ENV = "STOCKYARD_DAGSTER_POSTGRES_URL"


class DeploymentConfigError(RuntimeError):
    """The deployment cannot start as configured; the message says what to set."""


@dataclass(frozen=True, slots=True)
class Deployment:
    dagster_home: Path
    workspace: Path
    env: dict[str, str]

    def daemon_command(self) -> list[str]:
        return [_beside_python("dagster-daemon"), "run", "-w", str(self.workspace)]

    def webserver_command(self, host: str, port: int) -> list[str]:
        return [
            _beside_python("dagster-webserver"),
            "-w",
            str(self.workspace),
            "-h",
            host,
            "-p",
            str(port),
        ]


def _beside_python(program: str) -> str:
    # A venv's bin/ is often not on PATH (`.venv/bin/stockyard`).
    beside = Path(sys.executable).with_name(program)
    return str(beside) if beside.exists() else program


def _psycopg2_url(url: str) -> str:
    """dagster-postgres speaks psycopg2 (its NOTIFY takes a client-side parameter), but SQLAlchemy
    2.1 reads a bare ``postgresql://`` as psycopg 3, so the driver is named."""
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg2://" + url.removeprefix(bare)
    return url


def prepare(settings: Settings) -> Deployment:
    """The deployment's Dagster home under STOCKYARD_HOME (its config refreshed from
    deploy/), and the environment both programs run with."""
    if settings.dagster_postgres_url is None:
        raise DeploymentConfigError(
            "no PostgreSQL for Dagster: set STOCKYARD_DAGSTER_POSTGRES_URL "
            "(e.g. postgresql://user:password@host:5432/dagster); the database must exist"
        )
    home = settings.resolved_home / "dagster-deploy"
    home.mkdir(parents=True, exist_ok=True)
    for name in ("dagster.yaml", "workspace.yaml"):
        shutil.copyfile(DEPLOY_FILES / name, home / name)
    env = dict(os.environ)
    env.update(
        {
            "DAGSTER_HOME": str(home),
            "STOCKYARD_HOME": str(settings.resolved_home),
            POSTGRES_URL_ENV: _psycopg2_url(settings.dagster_postgres_url.get_secret_value()),
            "DO_NOT_TRACK": "1",
        }
    )
    return Deployment(dagster_home=home, workspace=home / "workspace.yaml", env=env)
