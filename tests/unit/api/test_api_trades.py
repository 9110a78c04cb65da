"""GET /api/trades against a real published warehouse: filters, sort, pagination, 422s."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

# Facts about marts_seed.sql the assertions rely on.
CURRENT_TRADES = 34
ALL_TRADES = 35


def trades(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/trades", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["trade_id"] for item in body["items"]]


def test_default_lists_current_trades_newest_first(client: TestClient) -> None:
    body = trades(client, page_size=500)
    assert body["total"] == CURRENT_TRADES
    assert len(body["items"]) == CURRENT_TRADES
    dates = [item["tx_date"] for item in body["items"]]
    assert dates == sorted(dates, reverse=True)
    assert body["items"][0]["trade_id"] == "t32"
    assert all(item["is_current"] for item in body["items"])


def test_superseded_rows_only_on_request(client: TestClient) -> None:
    body = trades(client, include_superseded="true", member="C001120")
    assert body["total"] == 4
    superseded = [item for item in body["items"] if not item["is_current"]]
    assert [(row["trade_id"], row["amended_by"]) for row in superseded] == [("t29", "20021950")]
    assert trades(client, member="C001120")["total"] == 3


@pytest.mark.parametrize(
    ("params", "expected_total"),
    [
        ({"member": "P000197"}, 7),
        ({"member": "p000197"}, 7),
        ({"member": "PELOSI"}, 7),
        ({"member": "perdue"}, 2),
        ({"member": "%"}, 0),  # matched literally, not as a LIKE wildcard
        ({"state": "me"}, 6),
        ({"party": "R"}, 14),
        ({"party": "republican"}, 14),
        ({"chamber": "senate"}, 20),
        ({"chamber": "House"}, 14),
        ({"ticker": "nvda"}, 4),
        ({"tx_type": "S (partial)"}, 4),
        ({"owner": "self"}, 7),
        ({"owner": "dc"}, 2),
        ({"date_from": "2020-11-01", "date_to": "2020-11-30"}, 6),
        ({"date_from": "2026-01-01"}, 4),
        ({"party": "D", "chamber": "senate", "owner": "SP"}, 1),
        ({"state": ""}, CURRENT_TRADES),  # a blank form field means "any"
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected_total: int) -> None:
    body = trades(client, page_size=500, **params)
    assert body["total"] == expected_total
    assert len(body["items"]) == expected_total


def test_unresolved_filer_rows_have_no_bioguide_id(client: TestClient) -> None:
    body = trades(client, member="perdue")
    assert {item["bioguide_id"] for item in body["items"]} == {None}
    assert {item["member_name"] for item in body["items"]} == {"David A Perdue , Jr"}


def test_filters_return_only_matching_rows(client: TestClient) -> None:
    body = trades(client, ticker="NVDA", tx_type="P", page_size=500)
    assert ids(body) == ["t24", "t25", "t12"]
    assert {(item["ticker"], item["tx_type"]) for item in body["items"]} == {("NVDA", "P")}


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("amount", "t27", "t26"),  # $15 exchange first; tie at $1,000,001 broken by trade_id
        ("-amount", "t09", "t27"),
        ("member", "t28", "t06"),  # "Dan Crenshaw" … "Susan M. Collins"
        ("tx_date", "t10", "t32"),
        ("-lag_days", "t28", "t25"),  # 77 days late … four rows at 7 days
    ],
)
def test_sort(client: TestClient, sort: str, first: str, last: str) -> None:
    order = ids(trades(client, sort=sort, page_size=500))
    assert (order[0], order[-1]) == (first, last)


def test_pages_partition_the_result(client: TestClient) -> None:
    seen: list[str] = []
    for page in range(1, 5):
        body = trades(client, page=page, page_size=10)
        assert (body["page"], body["page_size"], body["total"]) == (page, 10, CURRENT_TRADES)
        seen.extend(ids(body))
    assert len(seen) == CURRENT_TRADES
    assert len(set(seen)) == CURRENT_TRADES
    assert seen == ids(trades(client, page_size=500))


def test_page_past_the_end_is_empty_but_keeps_total(client: TestClient) -> None:
    body = trades(client, page=99, page_size=10)
    assert body["items"] == []
    assert body["total"] == CURRENT_TRADES


@pytest.mark.parametrize(
    ("params", "param", "fragment"),
    [
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"page": "two"}, "page", "valid integer"),
        ({"page_size": "501"}, "page_size", "less than or equal to 500"),
        ({"page_size": "0"}, "page_size", "greater than or equal to 1"),
        ({"sort": "price"}, "sort", "unknown sort column 'price'; choose one of: amount"),
        ({"sort": "tx_date; DROP TABLE marts.fct_trades"}, "sort", "unknown sort column"),
        ({"date_from": "2020-02-30"}, "date_from", "valid date"),
        ({"date_to": "last week"}, "date_to", "valid date"),
        ({"date_from": "2021-01-01", "date_to": "2020-01-01"}, "date_to", "before date_from"),
        ({"party": "Whig"}, "party", "unknown party 'Whig'"),
        ({"chamber": "congress"}, "chamber", "'house' or 'senate'"),
        ({"tx_type": "B"}, "tx_type", "'P', 'S', 'S (partial)' or 'E'"),
        ({"owner": "me"}, "owner", "'self', 'SP', 'JT' or 'DC'"),
        ({"state": "CAL"}, "state", "two-letter postal code"),
        ({"state": "1A"}, "state", "two-letter postal code"),
    ],
)
def test_bad_parameters_answer_422_naming_the_parameter(
    client: TestClient, params: dict[str, str], param: str, fragment: str
) -> None:
    response = client.get("/api/trades", params=params)
    assert response.status_code == 422
    body = response.json()
    assert [error["param"] for error in body["detail"]] == [param]
    assert fragment in body["detail"][0]["msg"]
    assert body["message"].startswith(f"invalid parameters: {param}: ")


def test_all_bad_parameters_are_reported_together(client: TestClient) -> None:
    response = client.get("/api/trades", params={"page": "0", "state": "XYZ", "sort": "nope"})
    assert response.status_code == 422
    assert {error["param"] for error in response.json()["detail"]} == {"page", "state", "sort"}


def test_warehouse_was_not_modified_by_hostile_input(client: TestClient) -> None:
    client.get("/api/trades", params={"member": "x'); DROP TABLE marts.fct_trades; --"})
    assert trades(client)["total"] == CURRENT_TRADES


def test_row_shape(client: TestClient) -> None:
    row = trades(client, member="P000197", ticker="WORK")["items"][0]
    assert row == {
        "trade_id": "t27",
        "bioguide_id": "P000197",
        "member_name": "Nancy Pelosi",
        "party": "Democrat",
        "state": "CA",
        "district": "11",
        "chamber": "house",
        "filing_id": "20019331",
        "owner": "SP",
        "ticker": "WORK",
        "resolved_ticker": "WORK",
        "ticker_confidence": 1.0,
        "ticker_method": "reported_ticker",
        "asset_name": "Slack Technologies, Inc. Class A",
        "asset_type": "ST",
        "tx_type": "E",
        "tx_date": "2021-07-22",
        "notified_date": "2021-07-22",
        "filed_date": "2021-07-30",
        "amount_min": 15,
        "amount_max": 15,
        "lag_days": 8,
        "is_late": False,
        "amended_by": None,
        "is_current": True,
        "source": "house_clerk",
        "source_url": "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2021/20019331.pdf",
        "page": 2,
        "row_position": 3,
        "text_source": "text",
        "read_confidence": 1.0,
        "needs_review": [],
        "reviewed_fields": [],
    }
