"""What a follow is told about a trade version: the event a webhook body, a mail and a feed
entry are all made from."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Final
from urllib.parse import quote

from stockyard.warehouse.follow_matching import Version
from stockyard.warehouse.queries import TradeRow

__all__ = ["TX_WORDS", "amount_band", "event", "headline", "links"]

TX_WORDS: Final = {"P": "bought", "S": "sold", "S (partial)": "sold part of", "E": "exchanged"}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def amount_band(trade: TradeRow) -> str:
    """``$1,001–$15,000``, ``over $50,000,000`` or ``amount not read``."""
    if trade.amount_min is None:
        return "amount not read"
    if trade.amount_max is None:
        return f"over ${trade.amount_min:,}"
    return f"${trade.amount_min:,}–${trade.amount_max:,}"


def headline(trade: TradeRow) -> str:
    """``Nancy Pelosi sold NVDA ($1,000,001–$5,000,000)``."""
    who = trade.member_name or "A member"
    what = trade.resolved_ticker or trade.ticker or trade.asset_name or "an asset"
    verb = TX_WORDS.get(trade.tx_type or "", "traded")
    return f"{who} {verb} {what} ({amount_band(trade)})"


def links(site_url: str, trade: TradeRow) -> dict[str, str]:
    site = site_url.rstrip("/")
    found = {}
    if trade.filing_id:
        found["filing"] = f"{site}/filings/{quote(trade.filing_id, safe='')}"
    if trade.bioguide_id:
        found["member"] = f"{site}/members/{quote(trade.bioguide_id, safe='')}"
    if trade.source_url:
        found["source"] = trade.source_url
    return found


def event(version: Version, trade: TradeRow, site_url: str) -> dict[str, Any]:
    """One trade version as a follow receives it (JSON-ready)."""
    changed = json.loads(version.changed_fields) if version.changed_fields else []
    return {
        "event": version.change,
        "trade_id": version.trade_id,
        "version": version.version,
        "publish_id": version.publish_id,
        "published_at": version.published_at.isoformat(),
        "headline": headline(trade),
        "amount_band": amount_band(trade),
        "changed": changed,
        "trade": {name: _jsonable(value) for name, value in asdict(trade).items()},
        "links": links(site_url, trade),
    }
