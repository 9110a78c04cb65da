"""Atom 1.0 feeds of trades, built with feedgen: one entry per trade, newest disclosures first.

An entry's id is stable (from trade_id), and its ``updated`` is when its current version was
published, so a reader shows an amended trade as updated rather than as a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Final

from feedgen.feed import FeedGenerator

from stockyard.alerts.events import amount_band, headline, links
from stockyard.warehouse.queries import TradeRow

__all__ = ["FEED_MEDIA_TYPE", "trades_feed"]

FEED_MEDIA_TYPE: Final = "application/atom+xml"


def _summary(trade: TradeRow) -> str:
    parts = [f"Band {amount_band(trade)}"]
    parts.append(f"traded {trade.tx_date or 'date not read'}")
    filed = f"filed {trade.filed_date or '?'}"
    if trade.lag_days is not None:
        filed += f" ({trade.lag_days} days later)"
    parts.append(filed)
    if trade.owner:
        parts.append(f"owner {trade.owner}")
    if trade.text_source == "ocr":
        confidence = trade.read_confidence
        parts.append(
            "read from a scan"
            + (f" (confidence {confidence:.0%})" if confidence is not None else "")
        )
    if not trade.is_current:
        parts.append(f"superseded by amendment {trade.amended_by}")
    return "; ".join(parts) + "."


def _filed(trade: TradeRow) -> datetime | None:
    if trade.filed_date is None:
        return None
    return datetime.combine(trade.filed_date, datetime.min.time(), tzinfo=UTC)


_LINK_NAMES: Final = {"filing": "Filing", "member": "Member", "source": "Official filing (PDF)"}


def _content(trade: TradeRow, found: dict[str, str]) -> str:
    anchors = " · ".join(
        f'<a href="{escape(url)}">{_LINK_NAMES.get(name, name)}</a>' for name, url in found.items()
    )
    return f"<p>{escape(_summary(trade))}</p><p>{anchors}</p>"


def trades_feed(
    trades: Sequence[TradeRow],
    *,
    title: str,
    self_url: str,
    html_url: str,
    site_url: str,
    updated_at: dict[str, datetime],
    published_at: datetime | None,
) -> bytes:
    """The feed's XML. ``updated_at`` maps trade ids to their version's publish time;
    a trade without one is dated by its filing, then by ``published_at`` (the served publish)."""
    fallback = published_at or datetime(1970, 1, 1, tzinfo=UTC)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.author({"name": "Stockyard"})
    feed.link(href=self_url, rel="self", type=FEED_MEDIA_TYPE)
    feed.link(href=html_url, rel="alternate", type="text/html")
    feed.generator("Stockyard")
    feed.subtitle("Disclosed trades of US members of Congress, newest filings first.")
    newest = max(
        (updated_at.get(t.trade_id) or _filed(t) or fallback for t in trades), default=fallback
    )
    feed.updated(newest)
    # feedgen writes entries in reverse order of adding them: add the oldest first.
    for trade in reversed(trades):
        entry = feed.add_entry()
        entry.id(f"urn:stockyard:trade:{trade.trade_id}")
        entry.title(headline(trade))
        found = links(site_url, trade)
        # One link per entry: feedgen 1.0 writes an entry's links without their rel, and more
        # than one rel-less link is invalid Atom. The member and the official PDF are linked from
        # the content instead.
        entry.link(href=found.get("filing") or html_url)
        entry.updated(updated_at.get(trade.trade_id) or _filed(trade) or fallback)
        filed = _filed(trade)
        if filed is not None:
            entry.published(filed)
        entry.summary(_summary(trade))
        entry.content(_content(trade, found), type="html")
        if trade.member_name:
            entry.author({"name": trade.member_name})
    xml: bytes = feed.atom_str(pretty=True)
    return xml
