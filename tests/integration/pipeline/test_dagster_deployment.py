"""The deployed pipeline: `stockyard dagster up` (dagster-daemon + dagster-webserver) over a real
PostgreSQL started by the test, through the replay server, beside `stockyard serve` on the same
home: the sensor starts the runs, they queue and run one at a time, publish, and the site shows
the new trades and a follow's webhook receives them; a daemon killed with SIGKILL mid-run and
started again repeats nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from stockyard.alerts.store import AlertStore
from stockyard.alerts.webhooks import verify
from stockyard.replay import SAMPLE_ROOT, ReplayServer, demo_source_overrides
from support.receiver import receiving
from support.served_home import polled, stockyard_serve
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
LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
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


def test_the_sensor_publishes_to_the_served_site_and_a_killed_daemon_repeats_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    with (
        PostgresServer("dagster") as pg,
        ReplayServer(SAMPLE_ROOT) as replay,
        receiving() as receiver,
    ):
        env = deployment_env(pg, replay)
        # Someone follows every Senate trade by webhook before anything is published.
        subprocess.run(
            [str(STOCKYARD), "alerts", "add", "--home", str(home), "--chamber", "senate",
             "--webhook", receiver.url],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        paths = [
            "/api/trades?chamber=senate&sort=-filed_date",
            "/readyz",
            "/api/trades?page_size=20",
        ]
        with stockyard_serve(home) as site, polled(site, paths) as poll:
            with dagster_up(home, env) as first:
                # Members, tickers and macro first, as the 05:00 schedule would have done.
                launched = graphql(
                    first.http,
                    LAUNCH,
                    params={
                        "selector": {**REPOSITORY, "jobName": "snapshots_job"},
                        "runConfigData": {},
                    },
                )["launchRun"]
                assert launched["__typename"] == "LaunchRunSuccess", launched
                # Queued: the daemon's run coordinator starts runs, one at a time.
                assert launched["run"]["status"] in ("QUEUED", "NOT_STARTED", "STARTING")
                started = graphql(
                    first.http,
                    START_SENSOR,
                    selector={**REPOSITORY, "sensorName": "new_disclosures"},
                )["startSensor"]
                assert started["__typename"] == "Sensor", started
                # The sensor's first look queues the House year, the Senate days and the
                # transform behind the snapshots run.
                wait_until(
                    lambda: (
                        {r["jobName"] for r in runs(first.http)}
                        >= {"house_job", "senate_job", "transform_job"}
                    ),
                    "the sensor asked for its runs",
                    180,
                    first.http,
                )
                running = wait_until(
                    lambda: [r for r in runs(first.http) if r["status"] == "STARTED"],
                    "a run started",
                    180,
                    first.http,
                )
                killed_during = running[0]["jobName"]
                os.kill(first.daemon_pid(), signal.SIGKILL)
                # `dagster up` notices and stops the webserver too.
                assert first.process.wait(60) != 0
            with dagster_up(home, env) as second:
                done = wait_until(
                    lambda: (
                        (found := runs(second.http))
                        and all(r["status"] not in UNFINISHED for r in found)
                        and any(
                            r["jobName"] == "transform_job" and r["status"] == "SUCCESS"
                            for r in found
                        )
                        and found
                    ),
                    "every run finished and the transform published",
                    420,
                    second.http,
                )
                daemons = graphql(second.http, DAEMONS)["instance"]["daemonHealth"]
                errors = run_errors(second.http, done)
            # Three more rounds of the reader over what the last publish serves.
            time.sleep(3 * len(paths) * 0.2 + 1)
        stored = psql(pg, "SELECT status FROM runs")

    # No run twice: each thing the sensor asked for succeeded exactly once.
    sensor_runs = [r for r in done if "dagster/run_key" in r["tags"]]
    succeeded: dict[str, int] = {}
    for run in sensor_runs:
        if run["status"] == "SUCCESS":
            key = run["tags"]["dagster/run_key"]
            succeeded[key] = succeeded.get(key, 0) + 1
    assert sorted(k.split("-")[0] for k in succeeded) == ["house", "senate", "transform"], errors
    assert set(succeeded.values()) == {1}, (killed_during, done)
    # The run the daemon died under kept going in its own process and finished.
    assert all(r["status"] == "SUCCESS" for r in done), errors
    # One run at a time: each started after the one before it ended.
    spans = sorted((r["startTime"], r["endTime"]) for r in done)
    assert all(later[0] >= earlier[1] for earlier, later in pairwise(spans)), spans
    statuses = {d["daemonType"]: d["healthy"] for d in daemons["allDaemonStatuses"]}
    assert statuses["SENSOR"] and statuses["QUEUED_RUN_COORDINATOR"]
    assert stored.count("SUCCESS") >= 4, (killed_during, errors)  # history lives in PostgreSQL

    # The site: "not built yet" until the first publish, then only 200s, never a torn answer.
    answers = poll.answers
    first_ok = next(i for i, a in enumerate(answers) if a.status == 200 and "trades" in a.path)
    before = answers[:first_ok]
    assert all(a.status in (200, 503) for a in before), [a for a in before if a.status >= 500]
    assert all(
        "not built yet" in str(a.body) for a in before if a.status == 503 and "trades" in a.path
    )
    after = [a for a in answers[first_ok:] if "trades" in a.path]
    assert after and not [a for a in after if a.status != 200], after[:3]
    senate = poll.bodies(paths[0])[-1]
    assert senate["total"] > 0
    assert {t["chamber"] for t in senate["items"]} == {"senate"}
    assert max(t["filed_date"] for t in senate["items"]) >= "2022-12-24"

    # The follow: one signed delivery from the one publish, holding every Senate trade once.
    [follow] = AlertStore(home / "alerts.sqlite3").follows()
    [delivery] = receiver.received
    headers = delivery.headers
    assert verify(follow.secret, headers["x-stockyard-timestamp"], delivery.body,
                  headers["x-stockyard-signature"])  # fmt: skip
    events = json.loads(delivery.body)["events"]
    assert {e["event"] for e in events} == {"new"}
    assert {e["trade"]["chamber"] for e in events} == {"senate"}
    assert len(events) == len({e["trade_id"] for e in events}) == senate["total"]

    # The warehouse: every document and transaction once, whatever the kill interrupted.
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        duplicated = con.execute(
            "SELECT (SELECT count(*) FROM (SELECT source, doc_id FROM raw.documents "
            "  GROUP BY ALL HAVING count(*) > 1)), "
            "(SELECT count(*) FROM (SELECT source, doc_id, row FROM raw.transactions "
            "  GROUP BY ALL HAVING count(*) > 1)), "
            "(SELECT count(*) FROM raw.documents WHERE source = 'house_clerk' AND year(filed_date) = 2022)"
        ).fetchone()
    finally:
        con.close()
    assert duplicated is not None
    assert duplicated[:2] == (0, 0)
    assert duplicated[2] >= 1  # the 2022 PTRs the House run read
