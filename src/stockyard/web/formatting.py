"""How values read on a page: amount bands, owners, transaction types, seats."""

from __future__ import annotations

from datetime import date, datetime

OWNER_NAMES = {None: "Self", "SP": "Spouse", "JT": "Joint", "DC": "Dependent child"}
TX_TYPE_NAMES = {"P": "Purchase", "S": "Sale", "S (partial)": "Partial sale", "E": "Exchange"}
SOURCE_LABELS = {"house_clerk": "House PDF", "senate_efd": "Senate eFD"}


def plural(count: int | float | None, singular: str, plural_form: str | None = None) -> str:
    """The noun for ``count`` things: ``1 sale``, ``2 sales``, ``0 sales``."""
    return singular if count == 1 else (plural_form or singular + "s")


def amount_band(amount_min: int | None, amount_max: int | None) -> str:
    """A band with an en dash between its ends; ``Over $X`` when open-ended; one exact figure."""
    if amount_min is None:
        return "—" if amount_max is None else f"Up to ${amount_max:,}"
    if amount_max is None:
        # Open bands start one dollar above the figure the form prints ("Over $1,000,000").
        return f"Over ${max(amount_min - 1, 0):,}"
    if amount_min == amount_max:
        return f"${amount_min:,}"
    return f"${amount_min:,}–${amount_max:,}"


def owner_name(owner: str | None) -> str:
    return OWNER_NAMES.get(owner, owner or "Self")


def tx_type_name(tx_type: str | None) -> str:
    if tx_type is None:
        return "—"
    return TX_TYPE_NAMES.get(tx_type, tx_type)


def party_letter(party: str | None) -> str:
    return party[0].upper() if party else "?"


def seat(state: str | None, district: str | None, chamber: str | None) -> str:
    """``CA-11`` for a House seat, ``CA`` for a Senate one (or an unknown district)."""
    if not state:
        return "—"
    if chamber == "house" and district not in (None, ""):
        return f"{state}-{'AL' if district == '0' else district}"
    return state


def source_label(source: str | None) -> str:
    return SOURCE_LABELS.get(source or "", "Source")


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else "—"


def dollars(value: float | None) -> str:
    """A compact estimate: $950, $12K, $3.4M, $1.2B (estimates do not deserve more digits)."""
    if value is None:
        return "—"
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= threshold:
            return f"${value / threshold:.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"${value:,.0f}"


def percent(value: float | None, signed: bool = False) -> str:
    """A fraction as a percentage: 0.034 → 3.4% (or +3.4% when ``signed``)."""
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"


def status_label(status: str | None) -> str:
    return (status or "unknown").replace("_", " ")


def iso_datetime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"
