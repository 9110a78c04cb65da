"""Email digests: one message (plain text and HTML) per delivery, sent over SMTP."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from stockyard.config import SmtpSettings

__all__ = ["MailError", "digest_message", "send"]

_TEMPLATES = Environment(
    loader=PackageLoader("stockyard.alerts", "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


class MailError(RuntimeError):
    """The digest could not be handed to the mail server; the message says what to check."""


def _subject(payload: dict[str, Any]) -> str:
    events = payload["events"]
    name = payload["follow"]["name"]
    if payload.get("test"):
        return f"Stockyard · {name}: test delivery (your follow reaches you)"
    if len(events) == 1:
        return f"Stockyard · {name}: {events[0]['headline']}"
    return f"Stockyard · {name}: {len(events)} new or amended trades"


def digest_message(payload: dict[str, Any], *, sender: str, to: str) -> EmailMessage:
    subject = _subject(payload)
    context = {"subject": subject, "events": payload["events"], "follow": payload["follow"]}
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = f"<{payload['delivery_id']}@stockyard>"  # a resend is the same mail
    message.set_content(_TEMPLATES.get_template("digest.txt").render(context))
    message.add_alternative(_TEMPLATES.get_template("digest.html").render(context), subtype="html")
    return message


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    if not settings.host:
        raise MailError("no mail server configured: set STOCKYARD_ALERTS__SMTP__HOST (and PORT)")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                password = settings.password.get_secret_value() if settings.password else ""
                smtp.login(settings.user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"mail server {settings.host}:{settings.port} refused the digest "
            f"({type(exc).__name__}: {exc}); check STOCKYARD_ALERTS__SMTP__* settings"
        ) from exc
