"""`stockyard alerts`: add (checked against the published data), list, test, deliver, remove."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from stockyard.cli.app import app
from stockyard.warehouse.db import connect
from support.alerts import Published, seeded
from support.receiver import receiving


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_the_alerts_commands_manage_a_follow_end_to_end(tmp_path: Path) -> None:
    home = str(tmp_path)
    warehouse = seeded(tmp_path / "warehouse.duckdb")
    warehouse.con.close()
    with receiving() as receiver:
        code, said = _cli("alerts", "add", "--home", home, "--member", "Crenshaw",
                          "--webhook", receiver.url, "--name", "Crenshaw")  # fmt: skip
        assert code == 0, said
        assert "Following member=C001120" in said and "Webhook secret" in said
        follow_id = said.split(" as ", 1)[1].split()[0]

        code, said = _cli("alerts", "list", "--home", home)
        assert code == 0 and follow_id in said and "member=C001120" in said

        code, said = _cli("alerts", "test", follow_id, "--home", home)
        assert code == 0, said
        assert json.loads(receiver.received[-1].body)["test"] is True

        # A publish after the follow was made: `deliver` plans it and sends Crenshaw's trades.
        published = Published(connect(tmp_path / "warehouse.duckdb"))
        published.publish(at=datetime.now(UTC))
        published.con.close()
        code, said = _cli("alerts", "deliver", "--home", home)
        assert code == 0, said
        assert "delivered 1" in said
        events = json.loads(receiver.received[-1].body)["events"]
        assert {e["trade"]["bioguide_id"] for e in events} == {"C001120"}

        code, said = _cli("alerts", "remove", follow_id, "--home", home)
        assert code == 0 and f"Removed {follow_id}" in said
    code, said = _cli("alerts", "list", "--home", home)
    assert follow_id not in said


def test_a_follow_that_could_never_deliver_is_refused_with_what_to_change(tmp_path: Path) -> None:
    seeded(tmp_path / "warehouse.duckdb").con.close()
    home = str(tmp_path)
    cases = [
        (["--member", "Nobody At All", "--webhook", "https://example.org/h"], "no member matches"),
        (["--state", "California", "--webhook", "https://example.org/h"], "two-letter"),
        (["--webhook", "example.org/h"], "not an http(s) URL"),
        (["--email", "nobody"], "not a mail address"),
        (["--member", "P000197"], "exactly one of --webhook"),
    ]
    for args, says in cases:
        code, said = _cli("alerts", "add", "--home", home, *args)
        assert code == 2, (args, said)
        assert says in said, (args, said)
    _, listed = _cli("alerts", "list", "--home", home)
    assert "f_" not in listed
