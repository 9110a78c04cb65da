"""How amounts, owners and seats read on the pages."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from stockyard.web.formatting import amount_band, owner_name, plural, seat, tx_type_name
from stockyard.web.links import aria_sort, sort_link, with_params


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (1_001, 15_000, "$1,001–$15,000"),
        (1_000_001, 5_000_000, "$1,000,001–$5,000,000"),
        (1_000_001, None, "Over $1,000,000"),
        (50_000_001, None, "Over $50,000,000"),
        (15, 15, "$15"),
        (None, None, "—"),
    ],
)
def test_amount_band(low: int | None, high: int | None, text: str) -> None:
    assert amount_band(low, high) == text


@pytest.mark.parametrize(
    ("code", "name"), [(None, "Self"), ("SP", "Spouse"), ("JT", "Joint"), ("DC", "Dependent child")]
)
def test_owner_spelled_out(code: str | None, name: str) -> None:
    assert owner_name(code) == name


def test_tx_type_and_seat() -> None:
    assert tx_type_name("S (partial)") == "Partial sale"
    assert seat("CA", "11", "house") == "CA-11"
    assert seat("AK", "0", "house") == "AK-AL"
    assert seat("ME", None, "senate") == "ME"


def test_counted_nouns_agree_with_their_number() -> None:
    assert [plural(n, "sale") for n in (0, 1, 2)] == ["sales", "sale", "sales"]
    assert plural(1, "filing") == "filing" and plural(None, "trade") == "trades"
    assert plural(2, "person", "people") == "people"


def test_links_keep_filters_and_reset_page_on_sort() -> None:
    params = QueryParams("member=pelosi&page=3&state=&sort=-tx_date")
    assert with_params(params, page=4) == "?member=pelosi&page=4&sort=-tx_date"
    assert sort_link(params, "tx_date", "-tx_date") == "?member=pelosi&sort=tx_date"
    assert sort_link(params, "amount", "-tx_date") == "?member=pelosi&sort=-amount"
    assert (aria_sort("tx_date", "-tx_date"), aria_sort("amount", "-tx_date")) == (
        "descending",
        "none",
    )
