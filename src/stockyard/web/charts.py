"""Chart data as plain JSON for static/charts.js (Chart.js, vendored): shapes, not drawing."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any

from stockyard.api.explore_schemas import PartyFlowOut, TickerDetailOut, TradeMarkerOut
from stockyard.web.formatting import amount_band, tx_type_name

PARTY_NAMES = {"D": "Democrats", "R": "Republicans", "I": "Independents", "L": "Libertarians"}


def _midpoint(marker: TradeMarkerOut) -> float | None:
    if marker.amount_min is None:
        return None
    return (marker.amount_min + (marker.amount_max or marker.amount_min)) / 2


def _hover(marker: TradeMarkerOut) -> str:
    """What the hover shows: who, what, the band, and when it was disclosed."""
    party = f" ({marker.party[0]})" if marker.party else ""
    filed = marker.filed_date.isoformat() if marker.filed_date else "date unknown"
    return (
        f"{marker.member_name or 'Unknown filer'}{party} · {tx_type_name(marker.tx_type)} · "
        f"{amount_band(marker.amount_min, marker.amount_max)} · filed {filed}"
    )


def ticker_chart(detail: TickerDetailOut) -> dict[str, Any]:
    """Daily closes with each trade marked on the close of its day (or the last bar before it).

    Without price data the markers sit at their band's midpoint instead, so the page still shows
    when and how much members traded.
    """
    dates = [bar.bar_date for bar in detail.bars]
    closes = [bar.close for bar in detail.bars]

    def close_on(day: date) -> float | None:
        index = bisect_right(dates, day) - 1
        return closes[index] if index >= 0 else None

    buys: list[dict[str, Any]] = []
    sells: list[dict[str, Any]] = []
    for marker in detail.markers:
        y = close_on(marker.tx_date) if dates else _midpoint(marker)
        if y is None:
            continue
        point = {"x": marker.tx_date.isoformat(), "y": y, "label": _hover(marker)}
        if marker.tx_type == "P":
            buys.append(point)
        elif (marker.tx_type or "").startswith("S"):
            sells.append(point)
    return {
        "prices": [{"x": d.isoformat(), "y": c} for d, c in zip(dates, closes, strict=True)],
        "buys": buys,
        "sells": sells,
        "y_label": "Close (USD)" if dates else "Estimated amount (USD, band midpoint)",
        "log": not dates,
    }


def party_flow_chart(flows: list[PartyFlowOut]) -> dict[str, Any]:
    """Monthly purchases (up) and sales (down) per party, as stacked bars."""
    months = sorted({flow.month for flow in flows})
    parties = [p for p in ("D", "R", "I", "L") if any(f.party == p for f in flows)]
    index = {(flow.month, flow.party): flow for flow in flows}
    datasets = []
    for party in parties:
        rows = [index.get((month, party)) for month in months]
        name = PARTY_NAMES[party]
        datasets.append(
            {
                "label": f"{name}: purchases",
                "party": party,
                "kind": "buy",
                "data": [row.purchases if row else 0 for row in rows],
            }
        )
        datasets.append(
            {
                "label": f"{name}: sales",
                "party": party,
                "kind": "sell",
                "data": [-(row.sales if row else 0) for row in rows],
            }
        )
    return {"labels": [month.strftime("%Y-%m") for month in months], "datasets": datasets}
