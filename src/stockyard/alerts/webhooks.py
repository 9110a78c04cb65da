"""Webhook deliveries: a signed JSON POST through the shared HTTP client.

Headers a receiver gets:
- ``X-Stockyard-Delivery``: the idempotency key (the same for every retry and resend of it);
- ``X-Stockyard-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Stockyard-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``<timestamp>.<body>`` keyed with
  the follow's secret. Signing the timestamp too lets a receiver refuse old replays.

The shared client retries 429, 5xx, timeouts and refused connections with backoff and gives up
on any other 4xx at once (the receiver said no; retrying would not change its mind).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Final

from stockyard.config import AlertsSettings, SourceSettings
from stockyard.sources.http import HttpClient, SourceError

__all__ = ["SIGNATURE_HEADER", "WebhookOutcome", "post", "sign", "verify"]

DELIVERY_HEADER: Final = "X-Stockyard-Delivery"
TIMESTAMP_HEADER: Final = "X-Stockyard-Timestamp"
SIGNATURE_HEADER: Final = "X-Stockyard-Signature"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver runs: True when ``signature`` is this body's, signed at ``timestamp``."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True, slots=True)
class WebhookOutcome:
    delivered: bool
    requests: int
    status_code: int | None
    error: str | None


def post(
    url: str, body: bytes, *, delivery_id: str, secret: str, settings: AlertsSettings
) -> WebhookOutcome:
    """POST one delivery, retrying what is worth retrying; never raises for the receiver."""
    client_settings = SourceSettings(
        base_url=url,
        rate_per_second=50.0,
        burst=10,
        timeout_seconds=settings.timeout_seconds,
        max_retries=settings.max_attempts - 1,
        max_backoff_seconds=settings.max_backoff_seconds,
    )
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        DELIVERY_HEADER: delivery_id,
        "Idempotency-Key": delivery_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    with HttpClient("webhook", client_settings, backoff_base=settings.backoff_seconds) as client:
        try:
            fetched = client.request("POST", url, content=body, headers=headers)
        except SourceError as exc:
            return WebhookOutcome(False, client.stats.retries + 1, exc.status, str(exc))
        return WebhookOutcome(True, client.stats.retries + 1, fetched.status, None)
