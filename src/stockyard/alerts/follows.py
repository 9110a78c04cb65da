"""A follow: a saved trades filter and where its news goes (a webhook URL or a mail address)."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from stockyard.warehouse.follow_matching import FollowCriteria

__all__ = [
    "CHANNELS",
    "DIGESTS",
    "Follow",
    "FollowError",
    "FollowFilter",
    "check_target",
    "new_follow_id",
    "new_secret",
]

Channel = Literal["webhook", "email"]
Digest = Literal["publish", "daily"]
CHANNELS: Final = ("webhook", "email")
DIGESTS: Final = ("publish", "daily")
_EMAIL: Final = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class FollowError(ValueError):
    """A follow that cannot be saved as asked; the message says what to change."""


@dataclass(frozen=True, slots=True)
class FollowFilter:
    """The /api/trades vocabulary a follow keeps, validated; None = any."""

    member: str | None = None  # a bioguide id (a name is resolved to one when the follow is added)
    state: str | None = None
    party: str | None = None
    chamber: str | None = None
    committee: str | None = None
    ticker: str | None = None
    tx_type: str | None = None
    owner: str | None = None
    oversight: bool = False
    min_amount: int | None = None

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, False)})

    @classmethod
    def from_json(cls, text: str) -> FollowFilter:
        return cls(**json.loads(text))

    def describe(self) -> str:
        """One line: ``member=P000197 ticker=NVDA`` (or ``every trade``)."""
        parts = [f"{k}={v}" for k, v in asdict(self).items() if v not in (None, False)]
        return " ".join(parts) or "every trade"


@dataclass(frozen=True, slots=True)
class Follow:
    follow_id: str
    name: str
    channel: Channel
    target: str  # the webhook URL or the mail address
    filter: FollowFilter
    created_at: datetime
    digest: Digest = "publish"
    secret: str = field(default="", repr=False)  # signs webhook bodies (HMAC-SHA256)

    def criteria(self) -> FollowCriteria:
        f = self.filter
        return FollowCriteria(
            follow_id=self.follow_id,
            created_at=self.created_at,
            bioguide_id=f.member,
            state=f.state,
            party=f.party,
            chamber=f.chamber,
            committee=f.committee,
            ticker=f.ticker.upper() if f.ticker else None,
            tx_type=f.tx_type,
            owner=f.owner,
            oversight=f.oversight,
            min_amount=f.min_amount,
        )

    def public(self) -> dict[str, Any]:
        """What listing a follow shows: everything but its secret."""
        return {
            "follow_id": self.follow_id,
            "name": self.name,
            "channel": self.channel,
            "target": self.target,
            "digest": self.digest,
            "filter": {k: v for k, v in asdict(self.filter).items() if v not in (None, False)},
            "created_at": self.created_at.isoformat(),
        }


def check_target(channel: str, target: str) -> str:
    """The target, cleaned, or a FollowError saying why it cannot receive deliveries."""
    target = target.strip()
    if channel == "webhook":
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FollowError(
                f"webhook URL {target!r} is not an http(s) URL with a host, "
                "e.g. https://example.org/hooks/stockyard"
            )
        return target
    if channel == "email":
        if not _EMAIL.match(target):
            raise FollowError(f"{target!r} is not a mail address like someone@example.org")
        return target
    raise FollowError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")


def new_follow_id() -> str:
    return f"f_{secrets.token_hex(6)}"


def new_secret() -> str:
    return secrets.token_urlsafe(24)
