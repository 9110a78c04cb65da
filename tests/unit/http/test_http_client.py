import time

import pytest

from stockyard.config import SourceSettings
from stockyard.replay import Fault, ReplayServer
from stockyard.sources.http import (
    REQUESTS,
    HttpClient,
    NotFoundError,
    SourceError,
    TokenBucket,
    parse_retry_after,
    redact,
)


def client_for(replay: ReplayServer, **overrides: object) -> HttpClient:
    options: dict[str, object] = {
        "base_url": replay.base_url("testapi"),
        "rate_per_second": 1000,
        "burst": 100,
        "max_retries": 3,
        "max_backoff_seconds": 2,
        **overrides,
    }
    settings = SourceSettings.model_validate(options)
    return HttpClient("testapi", settings, backoff_base=0.01)


def test_get_joins_base_url_and_returns_bytes(replay: ReplayServer) -> None:
    with client_for(replay) as client:
        fetched = client.get("/ping.json")
    assert fetched.status == 200
    assert fetched.content.strip() == b'{"hello": "world"}'
    assert fetched.url.endswith("/testapi/ping.json")
    assert fetched.content_type == "application/json"


def test_429_storm_with_retry_after_is_waited_out(replay: ReplayServer) -> None:
    replay.inject(Fault("status", path="*/ping.json", status=429, retry_after="1", times=2))
    before = REQUESTS.labels("testapi", "429")._value.get()
    with client_for(replay) as client:
        started = time.monotonic()
        fetched = client.get("ping.json")
        elapsed = time.monotonic() - started
    assert fetched.status == 200
    assert elapsed >= 2.0  # two Retry-After: 1 honoured, not the 10 ms backoff
    assert client.stats.retries == 2 and client.stats.waited_seconds >= 2.0
    assert REQUESTS.labels("testapi", "429")._value.get() - before == 2


def test_500_burst_then_success(replay: ReplayServer) -> None:
    replay.inject(Fault("status", path="*/ping.json", status=500, times=3))
    with client_for(replay) as client:
        assert client.get("ping.json").status == 200
    assert replay.count("*/ping.json") == 4


def test_gives_up_with_a_clear_error(replay: ReplayServer) -> None:
    replay.inject(Fault("status", path="*/ping.json", status=503, times=10))
    with client_for(replay) as client, pytest.raises(SourceError) as info:
        client.get("ping.json", params={"token": "sekrit"})
    message = str(info.value)
    assert "gave up after 4 attempts" in message and "HTTP 503" in message
    assert "sekrit" not in message and "token=***" in message


def test_truncated_body_is_retried(replay: ReplayServer) -> None:
    replay.inject(Fault("truncate", path="*/ping.json"))
    with client_for(replay) as client:
        assert client.get("ping.json").content.strip() == b'{"hello": "world"}'
    assert client.stats.retries == 1


def test_timeout_is_retried(replay: ReplayServer) -> None:
    replay.inject(Fault("slow", path="*/ping.json", delay=1.0))
    with client_for(replay, timeout_seconds=0.3) as client:
        assert client.get("ping.json").status == 200
    assert client.stats.retries == 1


def test_404_is_not_retried(replay: ReplayServer) -> None:
    with client_for(replay) as client, pytest.raises(NotFoundError):
        client.get("missing.pdf")
    assert replay.count("*/missing.pdf") == 1


def test_retry_after_cap(replay: ReplayServer) -> None:
    # A server asking for an hour must not stall a run past the configured cap.
    replay.inject(Fault("status", path="*/ping.json", status=429, retry_after="3600"))
    with client_for(replay, max_backoff_seconds=0.2) as client:
        started = time.monotonic()
        assert client.get("ping.json").status == 200
    assert time.monotonic() - started < 2


def test_token_bucket_paces_requests() -> None:
    bucket = TokenBucket(rate=20, burst=2)
    started = time.monotonic()
    waited = sum(bucket.acquire() for _ in range(6))
    elapsed = time.monotonic() - started
    # 2 from the burst, 4 more at 20/s = 0.2 s.
    assert 0.18 <= elapsed < 1.0
    assert waited > 0.15


def test_parse_retry_after_and_redact() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert (
        redact("https://x/y?date=1&token=abc&apikey=zz")
        == "https://x/y?date=1&token=***&apikey=***"
    )
    # The Guardian calls its key `api-key`.
    assert redact("https://g/search?q=x&api-key=sekrit") == "https://g/search?q=x&api-key=***"


def test_httpx_request_logs_never_carry_a_key(
    replay: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger="httpx"), client_for(replay) as client:
        client.get("ping.json", params={"token": "sekrit", "apiKey": "also-sekrit"})
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert lines and all("sekrit" not in line for line in lines)
    assert any("token=***" in line for line in lines)
