"""Disclosed amount text → integer-dollar band, for the Senate eFD, the watchers and Benzinga.

A private stand-in for ``stockyard.sources.house_clerk.amounts.parse_amount_band`` (written in
parallel); it follows the same contract so the two can be merged: ``(min, max)`` in whole dollars,
``max`` None for an open-ended band, ``min == max`` for an exact amount, ``ValueError`` otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from stockyard.models import AMOUNT_BANDS

_MONEY = r"\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?)"
_RANGE = re.compile(rf"^{_MONEY}\s*-\s*{_MONEY}$")
_OVER = re.compile(rf"^over\s+{_MONEY}$", re.IGNORECASE)
# A band whose upper half was lost (the House aggregate's PDF extraction cut "$100,001 -\n$250,000").
_LOWER_ONLY = re.compile(rf"^{_MONEY}\s*-$")
_EXACT = re.compile(rf"^{_MONEY}$")

# Lower bounds that name exactly one statutory band; 1,000,001 opens two ("- $5,000,000" and "Over").
_LOWER_COUNTS = Counter(low for low, _ in AMOUNT_BANDS)
_UNIQUE_LOWER = {low: (low, high) for low, high in AMOUNT_BANDS if _LOWER_COUNTS[low] == 1}


def _dollars(text: str) -> int:
    # Exact amounts are sometimes given in cents ("$1,118.07"); bands are whole dollars.
    return int(Decimal(text.replace(",", "")).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_band(text: str) -> tuple[int, int | None]:
    """Read a disclosed amount such as ``"$1,001 - $15,000"`` or ``"Over $50,000,000"``."""
    clean = " ".join(text.split())
    if match := _RANGE.match(clean):
        low, high = _dollars(match[1]), _dollars(match[2])
        if low > high:
            raise ValueError(f"amount band runs backwards: {text!r}")
        return low, high
    if match := _OVER.match(clean):
        return _dollars(match[1]) + 1, None
    if match := _LOWER_ONLY.match(clean):
        low = _dollars(match[1])
        if low not in _UNIQUE_LOWER:
            raise ValueError(f"amount band cut short and its lower bound is ambiguous: {text!r}")
        return _UNIQUE_LOWER[low]
    if match := _EXACT.match(clean):
        exact = _dollars(match[1])
        return exact, exact
    raise ValueError(f"unreadable amount: {text!r}")
