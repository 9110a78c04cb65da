"""The Live page in a real Chromium: bars and an alert arrive by server-sent events mid-replay."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stockyard.replay.sample import SAMPLE_ROOT
from support.servers import free_port

pytestmark = pytest.mark.integration
TOKEN = "live-test-token"


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """`stockyard stream --replay … --serve PORT` in its own process, until the test ends."""
    port = free_port()
    env = {**os.environ, "STOCKYARD_HOME": str(tmp_path), "STOCKYARD_STREAM__CONTROL_TOKEN": TOKEN}
    # 60× the market's pace: AAPL's alert (7 minutes into the session) comes ~7 s after the start.
    process = subprocess.Popen(
        [sys.executable, "-m", "stockyard.cli.app", "stream", "--replay",
         str(SAMPLE_ROOT / "minute_bars"), "--speed", "60", "--serve", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/live/watch", timeout=1):
                break
        except OSError:
            assert process.poll() is None, "stockyard stream --serve exited"
            assert time.monotonic() < deadline, "the Live page did not come up within 20 s"
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_live_page_shows_bars_and_an_alert_arriving(page: Any, live_server: str) -> None:
    # `page` (tests/browser/conftest.py) comes first: Chromium is up before the replay starts, and
    # the test fails on any console error.
    page.goto(f"{live_server}/live")
    page.wait_for_selector("#spark-AAPL polyline[points]", timeout=10_000)
    assert page.locator("#alerts .alert-item").count() == 0  # nothing yet: it must arrive
    first = int(page.get_attribute("#spark-AAPL", "data-points") or 0)
    # A bar update: the sparkline grows while we watch.
    page.wait_for_function(
        f"Number(document.getElementById('spark-AAPL').dataset.points) > {first}",
        timeout=10_000,
    )
    alert = page.wait_for_selector("#alerts .alert-item[data-ticker='AAPL']", timeout=20_000)
    assert alert is not None and "Apple addict" in alert.inner_text()
    assert "Apple addict" in page.locator("#news").inner_text()
    assert "Live" in page.locator("#live-status").inner_text()

    # The watch list changes without a restart; a wrong token is refused with a reason.
    page.fill("input[name=add_ticker]", "QQQ")
    page.fill("input[name=token]", "wrong")
    page.click("form.live-form button")
    assert "wrong or missing token" in page.locator(".notice").inner_text()
    page.fill("input[name=add_ticker]", "QQQ")
    page.fill("input[name=add_term]", "Microsoft")
    page.fill("input[name=token]", TOKEN)
    page.click("form.live-form button")
    assert page.locator(".notice").inner_text() == "Watch list updated."
    assert "QQQ" in page.locator("#watch-tickers").inner_text()
    assert "Microsoft" in page.locator("#watch-terms").inner_text()
    page.goto("about:blank")  # close the event stream before the server goes away
