"""Before the warehouse is built the API says so (503 + what to run); /healthz stays up."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.api import create_app
from stockyard.config import Settings
from stockyard.warehouse.db import connect

ENDPOINTS = ["/api/trades", "/api/members", "/api/members/P000197"]
HINT = "warehouse not built yet: run `stockyard demo --no-serve` or `stockyard run`"


def _client_for(path: Path, home: Path) -> TestClient:
    return TestClient(create_app(Settings(home=home, warehouse_path=path)))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_missing_file_is_503_with_next_step(unbuilt_client: TestClient, endpoint: str) -> None:
    response = unbuilt_client.get(endpoint)
    assert response.status_code == 503
    assert response.json()["detail"].startswith(HINT)


def test_file_without_marts_tables_is_503(tmp_path: Path) -> None:
    # What a fresh warehouse looks like before the first publish: raw schema, empty marts.
    path = tmp_path / "warehouse.duckdb"
    connect(path).close()
    response = _client_for(path, tmp_path).get("/api/trades")
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail.startswith(HINT)
    assert "marts.fct_trades" in detail


def test_half_published_marts_name_the_missing_table(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.fct_trades (trade_id VARCHAR)")
    con.close()
    detail = _client_for(path, tmp_path).get("/api/members").json()["detail"]
    assert "missing marts.dim_members" in detail
    assert "fct_trades" not in detail


def test_default_settings_read_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from stockyard.config import get_settings

    monkeypatch.setenv("STOCKYARD_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        response = TestClient(create_app()).get("/api/trades")
    finally:
        get_settings.cache_clear()
    assert response.status_code == 503
    assert str(tmp_path / "warehouse.duckdb") in response.json()["detail"]


def test_healthz_reports_warehouse_state(unbuilt_client: TestClient, client: TestClient) -> None:
    missing = unbuilt_client.get("/healthz")
    assert missing.status_code == 200
    assert missing.json()["warehouse"] == "not_built"
    assert client.get("/healthz").json() == {"status": "ok", "warehouse": "ready", "detail": None}


def test_openapi_documents_the_routes_and_parameters(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/trades", "/api/members", "/api/members/{bioguide_id}", "/healthz"} <= set(
        schema["paths"]
    )
    trade_params = {p["name"] for p in schema["paths"]["/api/trades"]["get"]["parameters"]}
    assert {"member", "state", "party", "chamber", "ticker", "tx_type", "owner"} <= trade_params
    assert {"date_from", "date_to", "include_superseded", "sort", "page", "page_size"} <= (
        trade_params
    )
    ok = schema["paths"]["/api/trades"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/TradePage")
    assert client.get("/docs").status_code == 200
