"""GET /feeds/trades.atom: the newest disclosures matching the /api/trades filters, as Atom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from stockyard.alerts.feeds import FEED_MEDIA_TYPE, trades_feed
from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.params import TradeQuery
from stockyard.warehouse.alert_reads import version_times
from stockyard.warehouse.ops_reads import served_snapshot
from stockyard.warehouse.queries import list_trades

router = APIRouter(tags=["feeds"])


_TITLED = ("member", "state", "party", "chamber", "committee", "ticker", "tx_type", "owner",
           "date_from", "date_to")  # fmt: skip


def _title(query: TradeQuery) -> str:
    named = [f"{key}={value}" for key, value in query.model_dump(include=set(_TITLED)).items()
             if value is not None]  # fmt: skip
    if query.oversight:
        named.append("oversight")
    return "Stockyard: congressional trades" + (f" ({', '.join(named)})" if named else "")


@router.get(
    "/feeds/trades.atom",
    response_class=Response,
    responses={200: {"content": {FEED_MEDIA_TYPE: {}}, "description": "An Atom 1.0 feed"}},
)
def trades_atom(
    request: Request,
    query: Annotated[TradeQuery, Query()],
    con: WarehouseDep,
    settings: SettingsDep,
) -> Response:
    """The newest filings' trades matching the filters (the same as /api/trades; a bad filter is
    422, never an empty feed), one entry per trade, as Atom 1.0."""
    size = settings.alerts.feed_entries
    result = list_trades(con, query.to_filters(), "-filed_date", 1, size)
    site = settings.alerts.site_url.rstrip("/")
    query_string = request.url.query
    suffix = f"?{query_string}" if query_string else ""
    snapshot = served_snapshot(con)
    body = trades_feed(
        result.items,
        title=_title(query),
        self_url=f"{site}/feeds/trades.atom{suffix}",
        html_url=f"{site}/trades{suffix}",
        site_url=site,
        updated_at=version_times(con, [t.trade_id for t in result.items]),
        published_at=snapshot.published_at if snapshot else None,
    )
    return Response(body, media_type=FEED_MEDIA_TYPE)
