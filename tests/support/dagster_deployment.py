"""A deployed Stockyard for tests and benchmarks: `stockyard dagster up` on a home, driven over
the webserver's GraphQL API (launch a job, switch the sensor on, list runs and their errors)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from stockyard.replay import ReplayServer, demo_source_overrides
from support.servers import POSTGRES_BIN, PostgresServer, free_port

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
DAEMONS = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"
START_SENSOR = """
mutation Start($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status } }
    ... on PythonError { message }
  }
}"""
RUNS = """{ runsOrError { ... on Runs { results { runId jobName status startTime endTime tags { key value } } } } }"""
STEP_ERRORS = """
query Errors($id: ID!) { runOrError(runId: $id) { ... on Run { eventConnection { events {
  ... on ExecutionStepFailureEvent { stepKey error { message } }
  ... on RunFailureEvent { message }
} } } } }"""
LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message stack } } } } } }"""
REPOSITORY = {"repositoryLocationName": "stockyard", "repositoryName": "__repository__"}
UNFINISHED = {"QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"}
# The bundled sample is a recorded past: the sensor follows its last week of 2022 (the House's
# 2022 index, the Senate reports filed from 24 to 31 December).
SENSOR_TODAY = "2022-12-31"


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


@dataclass(slots=True)
class Deployed:
    http: httpx.Client
    process: subprocess.Popen[bytes]

    def daemon_pid(self) -> int:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid), "-f", "dagster-daemon"],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert len(found) == 1, found
        return int(found[0])


@contextmanager
def dagster_up(home: Path, env: dict[str, str]) -> Iterator[Deployed]:
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
                        # Up, and done loading the code location (a busy machine lags).
                        if http.get("/server_info").status_code == 200 and _loaded(http):
                            break
                    except httpx.TransportError:
                        pass
                    except AssertionError as failed:
                        log.seek(0)
                        said = log.read().decode(errors="replace")[-3000:]
                        raise AssertionError(f"{failed}\n--- dagster up said:\n{said}") from None
                    assert time.monotonic() < deadline, "dagster-webserver did not come up"
                    time.sleep(0.5)
                yield Deployed(http, process)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(60)


def _loaded(http: httpx.Client) -> bool:
    answer = http.post("/graphql", json={"query": LOCATIONS}).json()
    entries = answer.get("data", {}).get("workspaceOrError", {}).get("locationEntries", [])
    for entry in entries:
        loaded = entry.get("locationOrLoadError") or {}
        # Loaded with an error: the webserver will not try again, and every launch would answer
        # PipelineNotFoundError; say why instead.
        if loaded.get("__typename") == "PythonError":
            stack = "".join(loaded.get("stack") or [])[-2000:]
            raise AssertionError(f"code location {entry['name']}: {loaded['message']}\n{stack}")
    return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)


def graphql(http: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    answer = http.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer["errors"]
    data: dict[str, Any] = answer["data"]
    return data


def deployment_env(pg: PostgresServer, replay: ReplayServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
    env.update(settings_env(demo_source_overrides(replay.url)))
    env["STOCKYARD_DAGSTER_POSTGRES_URL"] = pg.url
    env["STOCKYARD_OCR_CACHE_URL"] = os.environ.get("STOCKYARD_OCR_CACHE_URL", "")
    env["STOCKYARD_SENSOR__TODAY"] = SENSOR_TODAY
    env["STOCKYARD_SENSOR__INTERVAL_SECONDS"] = "30"
    return env


def runs(http: httpx.Client) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = graphql(http, RUNS)["runsOrError"]["results"]
    for run in results:
        run["tags"] = {t["key"]: t["value"] for t in run["tags"]}
    return results


def run_errors(http: httpx.Client, found: list[dict[str, Any]]) -> list[str]:
    """What each run that did not succeed said, for an assertion's message."""
    said = []
    for run in found:
        if run["status"] != "SUCCESS":
            events = graphql(http, STEP_ERRORS, id=run["runId"])["runOrError"]
            for event in events["eventConnection"]["events"]:
                if event:
                    said.append(f"{run['jobName']} {run['status']}: {str(event)[:600]}")
    return said


def wait_until(check: Any, what: str, timeout: float, http: httpx.Client) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            now = runs(http)
            states = [(r["jobName"], r["status"]) for r in now]
            raise AssertionError(f"not {what} in {timeout:.0f} s: {states} {run_errors(http, now)}")
        time.sleep(1)


def psql(pg: PostgresServer, sql: str) -> list[str]:
    return subprocess.run(
        [str(POSTGRES_BIN / "psql"), pg.url, "-At", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def launch(http: httpx.Client, job: str, timeout: float = 60.0) -> dict[str, Any]:
    """Queue ``job`` over GraphQL; returns the launched run (runId, status).

    A busy machine has answered PipelineNotFoundError for a moment after the location reported
    LOADED, so that one answer is asked again until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        launched: dict[str, Any] = graphql(
            http,
            LAUNCH,
            params={"selector": {**REPOSITORY, "jobName": job}, "runConfigData": {}},
        )["launchRun"]
        if launched["__typename"] != "PipelineNotFoundError" or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run: dict[str, Any] = launched["run"]
    return run


def start_sensor(http: httpx.Client, name: str = "new_disclosures") -> None:
    started = graphql(http, START_SENSOR, selector={**REPOSITORY, "sensorName": name})
    assert started["startSensor"]["__typename"] == "Sensor", started


def add_follow(home: Path, env: dict[str, str], *args: str) -> None:
    """`stockyard alerts add` on ``home``, as a user runs it beside the deployment."""
    subprocess.run(
        [str(STOCKYARD), "alerts", "add", "--home", str(home), *args],
        env=env,
        check=True,
        capture_output=True,
    )
