"""Email digests through a real SMTP server (aiosmtpd) on 127.0.0.1, read back as they arrived."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from stockyard.alerts.delivery import deliver_due
from stockyard.alerts.follows import FollowFilter
from stockyard.alerts.planning import plan_deliveries
from stockyard.alerts.service import add_follow
from stockyard.alerts.store import AlertStore
from stockyard.config import AlertsSettings, SmtpSettings
from support.alerts import Published
from support.receiver import receiving
from support.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content: bytes = envelope.content  # type: ignore[attr-defined]
        message = email.message_from_bytes(content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _settings(port: int) -> AlertsSettings:
    return AlertsSettings(
        backoff_seconds=0.01,
        max_attempts=2,
        smtp=SmtpSettings(
            host="127.0.0.1", port=port, starttls=False, sender="alerts@stockyard.test"
        ),
    )


def _part(message: EmailMessage, kind: str) -> str:
    body = message.get_body(preferencelist=(kind,))
    assert body is not None, f"no {kind} part"
    return str(body.get_content())


def test_a_digest_per_publish_arrives_in_text_and_html(
    store: AlertStore, published: Published, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    add_follow(
        store, published.con, name="Crenshaw", channel="email", target="reader@example.org",
        wanted=FollowFilter(member="C001120"),
    )  # fmt: skip
    published.publish(at=datetime.now(UTC))
    plan_deliveries(store, published.con, site_url="http://site.test", now=datetime.now(UTC))
    report = deliver_due(store, _settings(port))
    assert (report.delivered, report.dead) == (1, 0)
    [(to, message)] = inbox.messages
    assert to == ["reader@example.org"]
    assert message["Subject"] == "Stockyard · Crenshaw: 3 new or amended trades"
    text, html = _part(message, "plain"), _part(message, "html")
    # Member, ticker, band, dates, lag and links, in both parts.
    assert "Dan Crenshaw bought AMZN ($15,001–$50,000)" in text
    assert "Traded 2022-10-25, filed 2022-11-28 (34 days later)" in text
    assert "Filing: http://site.test/filings/20021950" in text
    assert "Dan Crenshaw bought RIVN ($1,001–$15,000)" in html
    assert 'href="http://site.test/members/C001120"' in html


def test_a_daily_digest_waits_for_the_day_to_end_and_holds_every_publish_of_it(
    store: AlertStore, published: Published, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    add_follow(
        store, published.con, name="Pelosi daily", channel="email", target="r@example.org",
        wanted=FollowFilter(member="P000197"), digest="daily",
    )  # fmt: skip
    morning = datetime.now(UTC)
    published.publish(at=morning)
    plan_deliveries(store, published.con, site_url="http://site.test", now=morning)
    published.con.execute("UPDATE marts.fct_trades SET amount_max = 5000000 WHERE trade_id = 't26'")
    published.publish(at=morning + timedelta(seconds=1))
    plan_deliveries(store, published.con, site_url="http://site.test", now=morning)
    assert deliver_due(store, _settings(port)).delivered == 0  # not before the day is over
    tomorrow = morning + timedelta(days=1)
    assert deliver_due(store, _settings(port), now=tomorrow).delivered == 1
    [(_, message)] = inbox.messages
    assert message["Subject"] == "Stockyard · Pelosi daily: 8 new or amended trades"
    assert "AMENDED: Nancy Pelosi bought REOF XXII, LLC" in _part(message, "plain")


def test_an_unreachable_mail_server_dead_letters_its_digest_and_blocks_no_one(
    store: AlertStore, published: Published
) -> None:
    with receiving() as receiver:
        add_follow(
            store, published.con, name="mail", channel="email", target="r@example.org",
            wanted=FollowFilter(member="P000197"),
        )  # fmt: skip
        add_follow(
            store, published.con, name="hook", channel="webhook", target=receiver.url,
            wanted=FollowFilter(member="P000197"),
        )  # fmt: skip
        published.publish(at=datetime.now(UTC))
        plan_deliveries(store, published.con, site_url="http://site.test", now=datetime.now(UTC))
        report = deliver_due(store, _settings(free_port()))  # nothing listens there
    assert (report.delivered, report.dead) == (1, 1)
    [why] = report.failures.values()
    assert "refused the digest" in why and "STOCKYARD_ALERTS__SMTP__" in why
    assert len(receiver.received) == 1
