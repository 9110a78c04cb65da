"""Send what is due: each pending delivery to its webhook or mailbox, at least once.

Deliveries go out from a small thread pool, so a receiver that is slow or down (and retried
with backoff) holds up only its own deliveries. A delivery is marked delivered only once the
receiver acknowledged it; one that used up its attempts goes to the dead-letter list with the
reason, where `stockyard alerts resend` (or resend()) puts it back.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from stockyard.alerts import mail, webhooks
from stockyard.alerts.store import AlertStore, Delivery, Status
from stockyard.config import AlertsSettings

__all__ = ["DeliveryReport", "deliver_due", "resend"]

log = structlog.get_logger("stockyard.alerts")


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int
    dead: int
    failures: dict[str, str]  # delivery id -> why it went to the dead-letter list


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: Status
    requests: int
    status_code: int | None
    error: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _send(store: AlertStore, delivery: Delivery, settings: AlertsSettings) -> _Outcome:
    follow = store.follow(delivery.follow_id, include_removed=True)
    if follow is None:
        return _Outcome("dead", 0, None, f"follow {delivery.follow_id} does not exist")
    if follow.channel == "webhook":
        sent = webhooks.post(
            follow.target,
            store.body(delivery.delivery_id),
            delivery_id=delivery.delivery_id,
            secret=follow.secret,
            settings=settings,
        )
        return _Outcome(
            "delivered" if sent.delivered else "dead", sent.requests, sent.status_code, sent.error
        )
    return _mail(store.payload(delivery.delivery_id), follow.target, settings)


def _temporary(exc: BaseException) -> bool:
    """Worth another try: the server was unreachable or said "try later" (4xx in SMTP)."""
    cause = exc.__cause__
    if isinstance(cause, smtplib.SMTPResponseException):
        return 400 <= cause.smtp_code < 500
    return isinstance(cause, OSError | smtplib.SMTPServerDisconnected)


def _mail(payload: dict[str, Any], to: str, settings: AlertsSettings) -> _Outcome:
    message = mail.digest_message(payload, sender=settings.smtp.sender, to=to)
    tries = 0
    retrying = Retrying(
        retry=retry_if_exception(_temporary),
        stop=stop_after_attempt(settings.max_attempts),
        wait=wait_exponential(
            multiplier=settings.backoff_seconds, max=settings.max_backoff_seconds
        ),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                tries += 1
                mail.send(message, settings.smtp)
    except mail.MailError as exc:
        return _Outcome("dead", tries, None, str(exc))
    return _Outcome("delivered", tries, None, None)


def _deliver_one(store: AlertStore, delivery: Delivery, settings: AlertsSettings) -> _Outcome:
    try:
        outcome = _send(store, delivery, settings)
    except Exception as exc:  # one bad delivery must not stop the others
        log.exception("delivery failed", delivery_id=delivery.delivery_id)
        outcome = _Outcome("dead", 1, None, f"{type(exc).__name__}: {exc}")
    store.record_attempt(
        delivery.delivery_id,
        outcome=outcome.status,
        requests=outcome.requests,
        status_code=outcome.status_code,
        error=outcome.error,
        now=_now(),
    )
    return outcome


def deliver_due(
    store: AlertStore,
    settings: AlertsSettings,
    *,
    now: datetime | None = None,
    workers: int = 8,
    only: Collection[str] | None = None,
) -> DeliveryReport:
    """Send every pending delivery that is due (of ``only`` these ids, if given); returns what
    arrived and what went dead."""
    due = [d for d in store.due(now or _now()) if only is None or d.delivery_id in only]
    if not due:
        return DeliveryReport(0, 0, {})
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(due)))) as pool:
        outcomes = list(pool.map(lambda d: _deliver_one(store, d, settings), due))
    counts = Counter(o.status for o in outcomes)
    failures = {
        d.delivery_id: o.error or "failed"
        for d, o in zip(due, outcomes, strict=True)
        if o.status == "dead"
    }
    return DeliveryReport(counts["delivered"], counts["dead"], failures)


def resend(store: AlertStore, delivery_id: str, settings: AlertsSettings) -> DeliveryReport:
    """Take a delivery off the dead-letter list and send it again now (same key, same body)."""
    if not store.requeue(delivery_id, now=_now()):
        known = store.delivery(delivery_id)
        if known is None:
            raise LookupError(f"no delivery {delivery_id}: see `stockyard alerts list --dead`")
        raise LookupError(f"delivery {delivery_id} is {known.status}, not dead-lettered")
    delivery = store.delivery(delivery_id)
    assert delivery is not None
    outcome = _deliver_one(store, delivery, settings)
    dead = {delivery_id: outcome.error or "failed"} if outcome.status == "dead" else {}
    return DeliveryReport(int(outcome.status == "delivered"), len(dead), dead)
