"""Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried, dead-lettered and
resent, and never lost or duplicated when the delivering process is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stockyard.alerts.delivery import deliver_due, resend
from stockyard.alerts.follows import Follow, FollowFilter
from stockyard.alerts.planning import plan_deliveries
from stockyard.alerts.service import add_follow
from stockyard.alerts.store import AlertStore
from stockyard.alerts.webhooks import verify
from stockyard.cli.app import app
from stockyard.config import AlertsSettings, Settings
from stockyard.web import create_web_app
from support.alerts import Published
from support.receiver import receiving
from support.servers import free_port

FAST = AlertsSettings(backoff_seconds=0.01, max_backoff_seconds=0.05, max_attempts=5)
SITE = "http://stockyard.test"


def _follow(store: AlertStore, published: Published, url: str, member: str) -> Follow:
    return add_follow(
        store,
        published.con,
        name=member,
        channel="webhook",
        target=url,
        wanted=FollowFilter(member=member),
    )


def _publish_and_plan(store: AlertStore, published: Published) -> None:
    published.publish(at=datetime.now(UTC))
    plan_deliveries(store, published.con, site_url=SITE, now=datetime.now(UTC))


def test_a_receiver_failing_three_times_gets_one_signed_delivery_under_one_key(
    store: AlertStore, published: Published
) -> None:
    with receiving(statuses=[500, 503, 500]) as receiver:
        follow = _follow(store, published, receiver.url, "P000197")
        _publish_and_plan(store, published)
        report = deliver_due(store, FAST)
    assert (report.delivered, report.dead) == (1, 0)
    assert len(receiver.received) == 4  # three refusals, then the one that was acknowledged
    assert len(set(receiver.keys())) == 1
    [delivery] = store.deliveries()
    assert delivery.status == "delivered" and delivery.attempts == 4
    assert receiver.keys()[0] == delivery.delivery_id
    [attempt] = store.attempts(delivery.delivery_id)  # the delivery log: one try, four requests
    assert (attempt.requests, attempt.status_code, attempt.error) == (4, 200, None)
    for request in receiver.received:
        assert verify(
            follow.secret,
            request.headers["x-stockyard-timestamp"],
            request.body,
            request.headers["x-stockyard-signature"],
        )
        assert not verify("another secret", request.headers["x-stockyard-timestamp"],
                          request.body, request.headers["x-stockyard-signature"])  # fmt: skip
    body = json.loads(receiver.received[-1].body)
    assert sorted(e["trade_id"] for e in body["events"]) == [
        "t21", "t22", "t23", "t24", "t25", "t26", "t27",
    ]  # fmt: skip
    assert {e["event"] for e in body["events"]} == {"new"}


def test_a_receiver_down_all_run_gets_it_from_the_dead_letter_resend(
    tmp_path: Path, store: AlertStore, published: Published
) -> None:
    port = free_port()  # nothing listens there yet
    url = f"http://127.0.0.1:{port}/hooks/stockyard"
    _follow(store, published, url, "P000197")
    _follow(store, published, url.replace("/hooks", "/other"), "C001120")
    _publish_and_plan(store, published)
    report = deliver_due(store, FAST)
    assert (report.delivered, report.dead) == (0, 2)
    [dead, _] = store.deliveries("dead")
    assert "connection failed" in (dead.last_error or "")
    assert dead.attempts == FAST.max_attempts
    assert deliver_due(store, FAST).delivered == 0  # dead letters wait for a resend

    with receiving(port=port) as receiver:
        resent = resend(store, dead.delivery_id, FAST)
    assert (resent.delivered, resent.dead) == (1, 0)
    assert receiver.keys() == [dead.delivery_id]
    assert store.delivery(dead.delivery_id).status == "delivered"  # type: ignore[union-attr]
    [waiting] = store.deliveries("dead")  # the other one is still waiting for its resend

    # The dead letter is shown where an operator looks: /pipeline (and its twin) and status.
    published.con.close()
    settings = Settings(home=tmp_path, warehouse_path=tmp_path / "warehouse.duckdb")
    with TestClient(create_web_app(settings)) as client:
        alerts = client.get("/api/pipeline").json()["alerts"]
        page = client.get("/pipeline").text
    assert (alerts["follows"], alerts["delivered"], alerts["dead"]) == (2, 1, 1)
    assert [d["delivery_id"] for d in alerts["dead_letters"]] == [waiting.delivery_id]
    assert "connection failed" in alerts["dead_letters"][0]["reason"]
    assert waiting.delivery_id in page
    status = CliRunner().invoke(app, ["status", "--home", str(tmp_path)])
    assert f"dead {waiting.delivery_id}" in status.output
    assert "stockyard alerts resend ID" in status.output


def test_a_receiver_saying_no_is_not_asked_again(store: AlertStore, published: Published) -> None:
    with receiving(statuses=[410]) as receiver:
        _follow(store, published, receiver.url, "P000197")
        _publish_and_plan(store, published)
        report = deliver_due(store, FAST)
    assert report.dead == 1 and len(receiver.received) == 1
    assert "HTTP 410" in next(iter(report.failures.values()))


def test_kill_9_mid_delivery_loses_nothing_and_resends_nothing_acknowledged(
    tmp_path: Path, store: AlertStore, published: Published
) -> None:
    held = threading.Event()
    with receiving() as fast, receiving(hold=held) as slow:
        quick = _follow(store, published, fast.url, "P000197")
        stuck = _follow(store, published, slow.url, "C001120")
        published.publish(at=datetime.now(UTC))
        published.con.close()  # the delivering process opens the warehouse itself
        env = {
            **os.environ,
            "STOCKYARD_HOME": str(tmp_path),
            "STOCKYARD_ALERTS__BACKOFF_SECONDS": "0.01",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "stockyard.cli.app", "alerts", "deliver"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while not (slow.arrived.is_set() and _delivered(store, quick.follow_id)):
                assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the deliveries did not start"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        finally:
            process.kill()
        slow.hold = None
        held.set()
        report = deliver_due(store, FAST)  # the next start
    assert (report.delivered, report.dead) == (1, 0)
    assert len(fast.received) == 1  # acknowledged before the kill: not sent again
    stuck_key = next(d.delivery_id for d in store.deliveries() if d.follow_id == stuck.follow_id)
    assert slow.keys() == [stuck_key, stuck_key]  # unacknowledged: sent again, same key
    assert {d.status for d in store.deliveries()} == {"delivered"}


def _delivered(store: AlertStore, follow_id: str) -> bool:
    return any(d.follow_id == follow_id and d.status == "delivered" for d in store.deliveries())
