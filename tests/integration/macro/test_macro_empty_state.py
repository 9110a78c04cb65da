"""A warehouse published before the macro marts existed: the page explains, the API is empty."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.warehouse.db import connect
from stockyard.web.app import create_web_app


def test_missing_macro_marts_give_an_empty_state_not_an_error(tmp_path: Path) -> None:
    con = connect(tmp_path / "warehouse.duckdb")
    # The marts every page needs exist (empty); weekly_macro and macro_correlations do not.
    con.execute("CREATE TABLE marts.fct_trades (trade_id VARCHAR)")
    con.execute("CREATE TABLE marts.dim_members (bioguide_id VARCHAR)")
    con.close()
    client = TestClient(create_web_app(Settings(home=tmp_path)))
    weekly = client.get("/api/macro/weekly")
    assert weekly.status_code == 200
    assert weekly.json()["items"] == [] and weekly.json()["total"] == 0
    correlations = client.get("/api/macro/correlations").json()
    assert correlations["week_end"] is None and correlations["items"] == []
    page = client.get("/macro")
    assert page.status_code == 200
    assert 'data-testid="macro-empty"' in page.text
    assert "stockyard demo --no-serve" in page.text
    assert "chart.umd.min.js" not in page.text  # nothing to draw
