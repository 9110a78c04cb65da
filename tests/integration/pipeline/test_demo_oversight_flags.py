"""Committee-oversight flags on the demo build: the recorded Polygon answer gives AAPL its
industry (SIC 3571), and exactly the AAPL trades of members seated on a committee whose
industries include it are flagged, in the mart, the member API and the member page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.web.app import create_web_app

pytestmark = pytest.mark.integration


@pytest.fixture
def web(demo_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, warehouse_path=demo_home / "warehouse.duckdb")
    with TestClient(create_web_app(settings)) as client:
        yield client


def test_flags_are_exactly_the_trades_in_industries_of_the_members_committees(
    demo_db: duckdb.DuckDBPyConnection,
) -> None:
    industries = demo_db.execute(
        "SELECT ticker, sic, sic_description FROM marts.dim_ticker_industries"
    ).fetchall()
    # Computed here the long way: every current trade × every seat (a subcommittee counts as
    # its parent) × every range the seed gives that committee.
    expected = demo_db.execute(
        """
        SELECT DISTINCT t.trade_id, coalesce(b.parent_committee_id, b.committee_id)
        FROM marts.fct_trades AS t
        JOIN marts.bridge_member_committees AS b USING (bioguide_id)
        JOIN marts.dim_ticker_industries AS i ON i.ticker = t.ticker_key
        JOIN marts.committee_sectors AS s
          ON s.committee_id = coalesce(b.parent_committee_id, b.committee_id)
         AND i.sic BETWEEN s.sic_from AND s.sic_to
        WHERE t.is_current
        """
    ).fetchall()
    flagged = demo_db.execute(
        "SELECT trade_id, committee_id FROM marts.fct_oversight_trades"
    ).fetchall()
    assert industries == [("AAPL", 3571, "ELECTRONIC COMPUTERS")]  # the one recorded answer
    assert sorted(flagged) == sorted(expected)
    assert len(flagged) >= 10


def test_the_member_api_and_page_show_the_flags_and_how_far_they_reach(
    web: TestClient, demo_db: duckdb.DuckDBPyConnection
) -> None:
    member, flagged = demo_db.execute(
        "SELECT bioguide_id, count(DISTINCT trade_id) AS n FROM marts.fct_oversight_trades "
        "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"
    ).fetchone()  # type: ignore[misc]
    profile = web.get(f"/api/members/{member}").json()
    page = web.get(f"/members/{member}", params={"ticker": "AAPL"}).text
    unflagged = demo_db.execute(
        "SELECT bioguide_id FROM marts.fct_trades WHERE is_current AND bioguide_id NOT IN "
        "(SELECT bioguide_id FROM marts.fct_oversight_trades) LIMIT 1"
    ).fetchone()[0]  # type: ignore[index]
    other = web.get(f"/api/members/{unflagged}").json()["oversight"]
    oversight = profile["oversight"]
    assert oversight["flagged_trades"] == flagged
    assert oversight["tickers_with_industry"] == 1 <= oversight["tickers_traded"]
    assert {t["ticker"] for t in oversight["recent"]} == {"AAPL"}
    assert oversight["by_committee"][0]["sectors"] == ["Computers"]
    filtered = web.get("/api/trades", params={"member": member, "oversight": "true"}).json()
    assert filtered["total"] == flagged
    assert "Trades in industries their committees oversee" in page
    assert page.count(">committee oversight</span>") == min(flagged, 50)
    assert other["flagged_trades"] == 0 and other["recent"] == []
    # and the ticker page names the industry
    ticker = web.get("/api/tickers/AAPL").json()
    assert ticker["industry"] == {"sic": 3571, "sic_description": "ELECTRONIC COMPUTERS"}
    assert "ELECTRONIC COMPUTERS" in web.get("/tickers/AAPL").text
