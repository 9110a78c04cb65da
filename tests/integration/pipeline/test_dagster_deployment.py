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
import time
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest

from stockyard.alerts.store import AlertStore
from stockyard.alerts.webhooks import verify
from stockyard.replay import SAMPLE_ROOT, ReplayServer
from support.dagster_deployment import (
    DAEMONS,
    UNFINISHED,
    add_follow,
    dagster_up,
    deployment_env,
    graphql,
    launch,
    psql,
    run_errors,
    runs,
    start_sensor,
    wait_until,
)
from support.receiver import receiving
from support.served_home import polled, stockyard_serve
from support.servers import PostgresServer

pytestmark = pytest.mark.integration


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
        add_follow(home, env, "--chamber", "senate", "--webhook", receiver.url)
        paths = [
            "/api/trades?chamber=senate&sort=-filed_date",
            "/readyz",
            "/api/trades?page_size=20",
        ]
        with stockyard_serve(home) as site, polled(site, paths) as poll:
            with dagster_up(home, env) as first:
                # Members, tickers and macro first, as the 05:00 schedule would have done.
                launched = launch(first.http, "snapshots_job")
                # Queued: the daemon's run coordinator starts runs, one at a time.
                assert launched["status"] in ("QUEUED", "NOT_STARTED", "STARTING")
                start_sensor(first.http)
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
