"""/readyz, /metrics and conditional GETs (ETag / Last-Modified) over the seeded warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from stockyard.api import create_app
from stockyard.config import Settings


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_readyz_is_ready_when_published_and_fresh(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready" and body["reasons"] == []
    assert body["published_at"].startswith("2026-01-02T10:00:42")
    assert set(body["source_age_hours"]) == {"house_clerk", "senate_efd"}


@pytest.fixture
def strict_client(warehouse_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    # Every load in the seed is a minute or more old: a 36-second limit makes both sources stale.
    settings = Settings(
        home=tmp_path,
        warehouse_path=warehouse_path,
        freshness_max_age_hours=0.01,
        freshness_max_age_hours_by_source={"senate_efd": 1.0},
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_readyz_names_each_stale_source(strict_client: TestClient) -> None:
    response = strict_client.get("/readyz")
    assert response.status_code == 503
    reasons = response.json()["reasons"]
    assert len(reasons) == 1 and reasons[0].startswith("house_clerk is stale")


def test_readyz_is_503_with_reasons_before_the_warehouse_exists(
    unbuilt_client: TestClient,
) -> None:
    response = unbuilt_client.get("/readyz")
    assert response.status_code == 503
    assert "warehouse not built yet" in response.json()["reasons"][0]
    assert unbuilt_client.get("/healthz").status_code == 200


def test_metrics_report_loads_runs_and_request_latency_by_route(client: TestClient) -> None:
    client.get("/api/members/P000197")
    client.get("/api/members/W000805")
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    assert samples[("stockyard_source_rows_loaded_total", (("source", "house_clerk"),))] == 126
    assert samples[("stockyard_source_rows_quarantined_total", (("source", "house_clerk"),))] == 1
    assert samples[("stockyard_pipeline_runs_total", (("outcome", "published"),))] == 1
    assert samples[("stockyard_pipeline_runs_total", (("outcome", "refused"),))] == 1
    assert samples[("stockyard_pipeline_run_duration_seconds_count", ())] == 2
    assert samples[("stockyard_pipeline_run_duration_seconds_sum", ())] == pytest.approx(132)
    assert samples[("stockyard_warehouse_readable", ())] == 1
    member_route = (
        ("method", "GET"),
        ("route", "/api/members/{bioguide_id}"),
        ("status", "200"),
    )
    # Both members land in one series: the label is the route template, not the raw path.
    assert samples[("stockyard_http_request_duration_seconds_count", member_route)] == 2
    assert not any("P000197" in str(labels) for _, labels in samples)
    # The source clients' counters are exposed (registered even before any call is made).
    assert "stockyard_source_rate_limit_wait_seconds" in response.text


def test_every_answer_states_its_server_time(client: TestClient) -> None:
    ok = client.get("/api/trades", params={"state": "CA"})
    unchanged = client.get(
        "/api/trades", params={"state": "CA"}, headers={"If-None-Match": ok.headers["etag"]}
    )
    missing = client.get("/api/members/X999999")
    refused = client.get("/api/trades", params={"page_size": "many"})
    for response, status in ((ok, 200), (unchanged, 304), (missing, 404), (refused, 422)):
        assert response.status_code == status
        name, _, duration = response.headers["server-timing"].partition(";dur=")
        assert name == "app" and float(duration) >= 0, response.headers["server-timing"]


def test_conditional_get_answers_304_from_the_publish_time(client: TestClient) -> None:
    first = client.get("/api/trades", params={"state": "CA"})
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert last_modified == "Fri, 02 Jan 2026 10:00:42 GMT"
    again = client.get("/api/trades", params={"state": "CA"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    since = client.get("/api/members", headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304
    older = client.get(
        "/api/members", headers={"If-Modified-Since": "Thu, 01 Jan 2026 00:00:00 GMT"}
    )
    assert older.status_code == 200
    other = client.get("/api/trades", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200


def test_pipeline_and_health_are_never_cached(client: TestClient) -> None:
    for path in ("/api/pipeline", "/readyz", "/healthz", "/metrics"):
        assert "etag" not in client.get(path).headers, path


def test_answers_are_reused_until_the_warehouse_changes(client: TestClient) -> None:
    first = client.get("/api/overview")
    again = client.get("/api/overview")
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.json() == first.json() and again.headers["etag"] == first.headers["etag"]
    # Another query string is another answer.
    assert client.get("/api/overview", params={"x": "1"}).headers["x-cache"] == "miss"
    # Errors are never kept.
    assert "x-cache" not in client.get("/api/states/ZZ").headers
