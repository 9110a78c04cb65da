"""The deployed pipeline: `stockyard dagster up` (dagster-daemon + dagster-webserver) over a real
PostgreSQL started by the test, launching a run through the run queue, through the replay server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides
from support.servers import POSTGRES_BIN, PostgresServer, free_port

pytestmark = pytest.mark.integration

STOCKYARD = Path(sys.executable).with_name("stockyard")
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId status } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""
RUN_STATUS = "query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
DAEMONS = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"


def settings_env(overrides: dict[str, Any]) -> dict[str, str]:
    """Settings overrides as the STOCKYARD_* variables a separate process reads."""
    env = {}
    for name, value in overrides.items():
        if isinstance(value, dict):
            for key, inner in value.items():
                env[f"STOCKYARD_{name.upper()}__{key.upper()}"] = str(inner)
        else:
            env[f"STOCKYARD_{name.upper()}"] = str(value).lower()
    return env


@contextmanager
def dagster_up(home: Path, env: dict[str, str]) -> Iterator[httpx.Client]:
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(STOCKYARD), "dagster", "up", "--home", str(home), "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
                deadline = time.monotonic() + 120
                while True:
                    if process.poll() is not None:
                        log.seek(0)
                        raise AssertionError(log.read().decode(errors="replace")[-3000:])
                    try:
                        if http.get("/server_info").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline, "dagster-webserver did not come up"
                    time.sleep(0.5)
                yield http
        finally:
            process.terminate()
            process.wait(60)


def graphql(http: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    answer = http.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer["errors"]
    data: dict[str, Any] = answer["data"]
    return data


def test_the_daemon_runs_a_queued_run_and_postgres_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with PostgresServer("dagster") as pg, ReplayServer(SAMPLE_ROOT) as replay:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
        env.update(settings_env(demo_source_overrides(replay.url)))
        env["STOCKYARD_DAGSTER_POSTGRES_URL"] = pg.url
        env["STOCKYARD_OCR_CACHE_URL"] = os.environ.get("STOCKYARD_OCR_CACHE_URL", "")
        with dagster_up(home, env) as http:
            launched = graphql(
                http,
                LAUNCH,
                params={
                    "selector": {
                        "repositoryLocationName": "stockyard",
                        "repositoryName": "__repository__",
                        "jobName": "house_job",
                    },
                    "executionMetadata": {"tags": [{"key": "dagster/partition", "value": "2021"}]},
                    "runConfigData": {},
                },
            )["launchRun"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]
            # Queued first: the daemon's run coordinator starts it (one at a time).
            assert launched["run"]["status"] in ("QUEUED", "NOT_STARTED", "STARTING")
            deadline = time.monotonic() + 240
            while True:
                status = graphql(http, RUN_STATUS, id=run_id)["runOrError"]["status"]
                if status in ("SUCCESS", "FAILURE", "CANCELED"):
                    break
                assert time.monotonic() < deadline, f"run still {status}"
                time.sleep(1)
            daemons = graphql(http, DAEMONS)["instance"]["daemonHealth"]["allDaemonStatuses"]
        stored = subprocess.run(
            [str(POSTGRES_BIN / "psql"), pg.url, "-At", "-c", "SELECT run_id, status FROM runs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    assert status == "SUCCESS"
    assert {d["daemonType"]: d["healthy"] for d in daemons}["QUEUED_RUN_COORDINATOR"] is True
    assert stored == [f"{run_id}|SUCCESS"]  # the run history lives in PostgreSQL
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        documents = con.execute(
            "SELECT count(*) FROM raw.documents WHERE source = 'house_clerk'"
        ).fetchone()
    finally:
        con.close()
    assert documents is not None and documents[0] >= 5  # the 2021 PTRs, read by the run
