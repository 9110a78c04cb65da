"""The HTTP client every connector shares: rate limit, retries, metrics, redaction.

One `HttpClient` per source. It waits on a token bucket before each request, retries 429, 5xx,
timeouts and broken connections with exponential backoff and jitter (honouring `Retry-After`,
capped), and raises a `SourceError` that says what failed and what to do once it gives up.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from prometheus_client import Counter, Histogram
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)

from stockyard import __version__
from stockyard.config import SourceSettings

USER_AGENT = f"stockyard/{__version__} (+https://github.com/stockyard-dev/stockyard)"

REQUESTS = Counter(
    "stockyard_source_requests_total", "HTTP requests sent to a source", ["source", "status"]
)
RETRIES = Counter("stockyard_source_retries_total", "Retried source requests", ["source", "reason"])
RATE_LIMIT_WAIT = Counter(
    "stockyard_source_rate_limit_wait_seconds_total",
    "Seconds spent waiting on the rate limiter or a server's Retry-After",
    ["source"],
)
LATENCY = Histogram(
    "stockyard_source_request_seconds",
    "Source request latency",
    ["source"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

_SECRET_PARAMS = re.compile(r"(?i)([?&](?:token|apikey|api_key|api-key|key|access_token)=)[^&#\s]+")


def redact(url: str) -> str:
    """Hide credentials carried in a URL's query string before it reaches a log or an error."""
    return _SECRET_PARAMS.sub(r"\1***", url)


class _RedactHttpxLog(logging.Filter):
    """httpx logs `HTTP Request: GET <url>` at INFO, query string (and any key) included."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(str(arg)) if not isinstance(arg, int | float) else arg for arg in record.args
            )
        return True


def _guard_httpx_log() -> None:
    """Install the filter once per process; it sits on the logger, so every handler benefits."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactHttpxLog) for f in logger.filters):
        logger.addFilter(_RedactHttpxLog())


class SourceError(RuntimeError):
    """A source could not give us what we asked for, even after retrying."""

    def __init__(self, source: str, url: str, message: str, status: int | None = None) -> None:
        self.source = source
        self.url = redact(url)
        self.status = status
        super().__init__(f"{source}: {message} ({self.url})")


class NotFoundError(SourceError):
    """404: the document does not exist at the source (or not yet)."""


class _Retryable(Exception):
    """Internal: a response or failure worth another attempt."""

    def __init__(self, reason: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    content: bytes
    content_type: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)


class TokenBucket:
    """Thread-safe token bucket: `rate` tokens a second, holding at most `burst`."""

    def __init__(self, rate: float, burst: int, clock: Any = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.capacity = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is free. Returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return waited
                delay = (1 - self._tokens) / self.rate
            time.sleep(delay)
            waited += delay


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    by_status: dict[int, int] = field(default_factory=dict)


class HttpClient:
    """A source's HTTP client. Thread-safe; reuse one per source for a whole run."""

    # Base of the exponential backoff; tests shrink it through the constructor.
    def __init__(
        self,
        source: str,
        settings: SourceSettings,
        *,
        backoff_base: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.source = source
        self.settings = settings
        self.backoff_base = backoff_base
        self.bucket = TokenBucket(settings.rate_per_second, settings.burst)
        self.stats = ClientStats()
        _guard_httpx_log()
        self._client = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            timeout=settings.timeout_seconds,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Fetched:
        return self.request("GET", path, params=params)

    def post(
        self,
        path: str,
        data: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fetched:
        return self.request("POST", path, data=data, json=json, headers=headers)

    def request(self, method: str, path: str, **kwargs: Any) -> Fetched:
        url = path.lstrip("/")
        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=self._wait,
            before_sleep=self._count_retry,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._attempt(method, url, **kwargs)
        except _Retryable as exc:
            attempts = self.settings.max_retries + 1
            raise SourceError(
                self.source,
                str(httpx.URL(self._full_url(url), params=kwargs.get("params"))),
                f"gave up after {attempts} attempts, last: {exc.reason}. The source may be down or "
                f"rate-limiting us; try again later or lower {self.source}.rate_per_second",
                status=exc.status,
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover - Retrying always returns or raises

    def _full_url(self, url: str) -> str:
        return str(self._client.base_url.join(url))

    def _attempt(self, method: str, url: str, **kwargs: Any) -> Fetched:
        waited = self.bucket.acquire()
        if waited:
            self._add_wait(waited)
        started = time.perf_counter()
        try:
            response = self._client.request(method, url, **kwargs)
            content = response.content  # read fully: a truncated body raises here
        except httpx.TimeoutException as exc:
            REQUESTS.labels(self.source, "timeout").inc()
            raise _Retryable(f"timeout ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            REQUESTS.labels(self.source, "transport_error").inc()
            raise _Retryable(f"connection failed ({type(exc).__name__}: {exc})") from exc
        finally:
            LATENCY.labels(self.source).observe(time.perf_counter() - started)
        status = response.status_code
        REQUESTS.labels(self.source, str(status)).inc()
        self.stats.requests += 1
        self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise _Retryable(f"HTTP {status}", retry_after=retry_after, status=status)
        final_url = str(response.url)
        if status == 404:
            raise NotFoundError(self.source, final_url, "not found (HTTP 404)", status=404)
        if status >= 400:
            raise SourceError(
                self.source,
                final_url,
                f"HTTP {status}: {redact(response.text[:200])!r}; check the request and the API key",
                status=status,
            )
        return Fetched(
            url=redact(final_url),
            content=content,
            content_type=response.headers.get("Content-Type", ""),
            status=status,
            headers=dict(response.headers),
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        cap = self.settings.max_backoff_seconds
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(cap, exc.retry_after)
        # Full jitter: spreads retries from many workers so they do not hammer in lockstep.
        ceiling = min(cap, self.backoff_base * (2 ** (state.attempt_number - 1)))
        return random.uniform(ceiling / 2, ceiling)

    def _count_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        reason = exc.reason if isinstance(exc, _Retryable) else "error"
        RETRIES.labels(self.source, reason.split(" (")[0]).inc()
        self.stats.retries += 1
        if state.next_action is not None:
            self._add_wait(state.next_action.sleep)

    def _add_wait(self, seconds: float) -> None:
        self.stats.waited_seconds += seconds
        RATE_LIMIT_WAIT.labels(self.source).inc(seconds)
