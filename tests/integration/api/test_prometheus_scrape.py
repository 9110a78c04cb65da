"""A real Prometheus (Debian's package) scrapes the served app's /metrics over loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from support.prometheus import available, prometheus_scraping

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not available(), reason="Debian package prometheus is not installed"),
]


def test_prometheus_scrapes_stockyard_metrics(server_url: str, tmp_path: Path) -> None:
    # Traffic first, so the request-latency histogram has a series for this route.
    assert httpx.get(f"{server_url}/api/members/P000197").status_code == 200
    target = server_url.removeprefix("http://")
    with prometheus_scraping(target, tmp_path) as prometheus:
        up = prometheus.wait_for('up{job="stockyard"} == 1')
        assert up[0]["metric"]["instance"] == target
        targets = prometheus.api("targets")["activeTargets"]
        assert [t["health"] for t in targets] == ["up"], targets
        loaded = prometheus.wait_for('stockyard_source_rows_loaded_total{source="house_clerk"}')
        assert loaded[0]["value"][1] == "126"
        latency = prometheus.wait_for(
            'stockyard_http_request_duration_seconds_count{route="/api/members/{bioguide_id}"}'
        )
        assert float(latency[0]["value"][1]) >= 1
