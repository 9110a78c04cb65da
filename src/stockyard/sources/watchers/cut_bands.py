"""Repair amount bands the House aggregate cut in half ("$100,001 -", upper bound lost).

The aggregator's PDF extraction sometimes kept only the first line of "$100,001 -\n$250,000".
A statutory band's lower bound names the band on its own, except $1,000,001 which opens both
"- $5,000,000" and the spouse/child "Over $1,000,000": that one stays unreadable.
Everything else is the shared `parse_amount_band`.
"""

from __future__ import annotations

import re
from collections import Counter

from stockyard.models import AMOUNT_BANDS
from stockyard.sources.house_clerk.amounts import AmountBandError, parse_amount_band

_LOWER_ONLY = re.compile(r"^\$?\s*(\d[\d,]*)\s*-$")
_LOWER_COUNTS = Counter(low for low, _ in AMOUNT_BANDS)
_BAND_BY_LOWER = {low: (low, high) for low, high in AMOUNT_BANDS if _LOWER_COUNTS[low] == 1}


def parse_band_or_cut(text: str) -> tuple[int, int | None]:
    """Like `parse_amount_band`, also accepting a band whose upper half was lost."""
    cleaned = " ".join(text.split())
    if match := _LOWER_ONLY.match(cleaned):
        low = int(match[1].replace(",", ""))
        if low not in _BAND_BY_LOWER:
            raise AmountBandError(
                f"band cut short and its lower bound is ambiguous or not statutory: {cleaned!r}"
            )
        return _BAND_BY_LOWER[low]
    return parse_amount_band(cleaned)
