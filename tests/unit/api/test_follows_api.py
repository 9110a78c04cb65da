"""/api/follows: token-guarded, validated like /api/trades, checked against the published data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from stockyard.alerts.store import AlertStore
from stockyard.api import create_app
from stockyard.config import AlertsSettings, Settings

TOKEN = {"X-Stockyard-Token": "s3cret"}


@pytest.fixture
def api(warehouse_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        home=tmp_path,
        warehouse_path=warehouse_path,
        alerts=AlertsSettings(token=SecretStr("s3cret")),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _webhook(**filters: object) -> dict[str, object]:
    return {"channel": "webhook", "target": "https://example.org/hook", "filter": filters}


def test_a_follow_is_made_listed_and_removed_with_the_token(
    api: TestClient, tmp_path: Path
) -> None:
    made = api.post("/api/follows", json=_webhook(member="pelosi", tx_type="p"), headers=TOKEN)
    assert made.status_code == 201, made.text
    follow = made.json()
    assert follow["filter"] == {"member": "P000197", "tx_type": "P"}
    assert follow["secret"] and len(follow["secret"]) >= 24
    listed = api.get("/api/follows", headers=TOKEN).json()
    assert [f["follow_id"] for f in listed] == [follow["follow_id"]]
    assert listed[0]["secret"] is None  # shown once, at creation
    assert AlertStore(tmp_path / "alerts.sqlite3").follows()[0].secret == follow["secret"]
    assert api.delete(f"/api/follows/{follow['follow_id']}", headers=TOKEN).status_code == 204
    assert api.get("/api/follows", headers=TOKEN).json() == []
    assert api.delete(f"/api/follows/{follow['follow_id']}", headers=TOKEN).status_code == 404


def test_without_the_token_nothing_is_read_or_written(api: TestClient, client: TestClient) -> None:
    assert api.post("/api/follows", json=_webhook(state="CA")).status_code == 401
    assert api.get("/api/follows").status_code == 401
    assert api.get("/api/follows", headers={"X-Stockyard-Token": "wrong"}).status_code == 401
    assert api.delete("/api/follows/f_1").status_code == 401
    # A server with no token configured takes no follows at all.
    assert client.post("/api/follows", json=_webhook(state="CA"), headers=TOKEN).status_code == 403


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (_webhook(member="Z999999"), "no member matches"),
        (_webhook(state="California"), "two-letter"),
        (_webhook(date_from="2020-01-01"), "cannot filter on date_from"),
        (_webhook(committee="NOPE1"), "no committee"),
        ({**_webhook(), "target": "not a url"}, "not an http(s) URL"),
        ({"channel": "email", "target": "nobody", "filter": {}}, "not a mail address"),
        ({**_webhook(), "digest": "daily"}, "daily digests are for email"),
    ],
)
def test_a_bad_follow_is_refused_saying_what_to_change(
    api: TestClient, body: dict[str, object], says: str
) -> None:
    answer = api.post("/api/follows", json=body, headers=TOKEN)
    assert answer.status_code == 422
    assert says in answer.text
    assert api.get("/api/follows", headers=TOKEN).json() == []
