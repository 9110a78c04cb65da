"""GET /api/members and /api/members/{bioguide_id}."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def members(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/members", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_members_with_trades_most_active_first(client: TestClient) -> None:
    body = members(client)
    assert body["total"] == 7
    counts = [(item["bioguide_id"], item["trade_count"]) for item in body["items"]]
    assert counts[0] == ("P000197", 7)
    assert [count for _, count in counts] == sorted((c for _, c in counts), reverse=True)
    # Crenshaw's superseded row is not counted.
    assert ("C001120", 3) in counts


def test_members_without_trades_on_request(client: TestClient) -> None:
    body = members(client, include_without_trades="true")
    assert body["total"] == 8
    tuberville = next(item for item in body["items"] if item["bioguide_id"] == "T000278")
    assert (tuberville["trade_count"], tuberville["last_trade_date"]) == (0, None)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"chamber": "house"}, ["C001120", "G000583", "P000197"]),
        ({"party": "D", "state": "or"}, ["W000779"]),
        ({"name": "COLL"}, ["C001035"]),
        ({"sort": "name", "page_size": 3}, ["C001035", "C001120", "G000583"]),
    ],
)
def test_member_filters(client: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    params.setdefault("sort", "name")
    assert [item["bioguide_id"] for item in members(client, **params)["items"]] == expected


def test_member_list_rejects_unknown_sort(client: TestClient) -> None:
    response = client.get("/api/members", params={"sort": "-wealth"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["param"] == "sort"


def test_member_profile_with_trade_summary(client: TestClient) -> None:
    response = client.get("/api/members/P000197")
    assert response.status_code == 200
    body = response.json()
    assert (body["full_name"], body["party"], body["state"], body["district"]) == (
        "Nancy Pelosi",
        "Democrat",
        "CA",
        "11",
    )
    assert body["trades"] == {
        "trade_count": 7,
        "purchase_count": 3,
        "sale_count": 3,
        "exchange_count": 1,
        "late_count": 0,
        "first_tx_date": "2021-07-13",
        "last_tx_date": "2022-12-28",
        "top_tickers": [
            {"ticker": "GOOGL", "trade_count": 2},
            {"ticker": "NVDA", "trade_count": 2},
            {"ticker": "WORK", "trade_count": 1},
        ],
    }
    assert body["trades_url"] == "/api/trades?member=P000197"


def test_member_profile_lists_committees_and_counts_late_filings(client: TestClient) -> None:
    collins = client.get("/api/members/c001035").json()
    assert collins["committees"] == ["Senate Committee on Appropriations"]
    assert collins["subcommittees"] == ["Department of Defense", "Legislative Branch"]
    crenshaw = client.get("/api/members/C001120").json()
    assert (crenshaw["trades"]["trade_count"], crenshaw["trades"]["late_count"]) == (3, 1)


def test_unknown_member_is_404_json(client: TestClient) -> None:
    response = client.get("/api/members/Z999999")
    assert response.status_code == 404
    assert "no member with bioguide id 'Z999999'" in response.json()["detail"]


def test_malformed_bioguide_id_is_422(client: TestClient) -> None:
    response = client.get("/api/members/pelosi")
    assert response.status_code == 422
    assert response.json()["detail"][0]["param"] == "bioguide_id"
