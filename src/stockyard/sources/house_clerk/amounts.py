"""Disclosed amount bands ("$1,001 - $15,000", "Over $1,000,000", "$9.00") → integer dollars.

Shared by every connector that reads the statutory value bands (House PDFs, Senate eFD pages,
watcher aggregates), so all of them agree on the `(amount_min, amount_max)` convention of
`stockyard.models.disclosures`: an open-ended band has ``amount_max = None`` and an exact amount
has ``amount_min == amount_max``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["AmountBandError", "parse_amount_band"]

_MONEY = r"\$?\s*(\d[\d,]*(?:\.\d+)?)"
_RANGE = re.compile(rf"^{_MONEY}\s*[-–—]+\s*{_MONEY}$")
# "Over $1,000,000", "Spouse/DC Over $1,000,000", "$50,000,000 +", "More than $50,000,000".
_OVER = re.compile(rf"^(?:spouse\s*/\s*dc\s+)?(?:over|more\s+than|>)\s*{_MONEY}$", re.IGNORECASE)
_PLUS = re.compile(rf"^{_MONEY}\s*\+$")
_EXACT = re.compile(rf"^{_MONEY}$")


class AmountBandError(ValueError):
    """The text is not an amount band, an open-ended band or an exact amount."""


def _dollars(text: str) -> int:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # the regexes only pass digits, so this is a programming error
        raise AmountBandError(f"not a dollar figure: {text!r}") from exc
    # Cents only occur on exact amounts ("$9.00"); bands are whole dollars.
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount_band(text: str) -> tuple[int, int | None]:
    """Return ``(amount_min, amount_max)`` in whole dollars for a disclosed amount.

    Whitespace (including a band broken over two lines) is collapsed first. Raises
    `AmountBandError` for anything that is not a recognisable amount, so callers can quarantine it.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise AmountBandError("empty amount")
    if match := _RANGE.match(cleaned):
        low, high = _dollars(match.group(1)), _dollars(match.group(2))
        if low > high:
            raise AmountBandError(f"band runs backwards: {cleaned!r}")
        return low, high
    if match := _OVER.match(cleaned):
        # "Over $1,000,000" is the band that starts one dollar above the figure.
        return _dollars(match.group(1)) + 1, None
    if match := _PLUS.match(cleaned):
        return _dollars(match.group(1)), None
    if match := _EXACT.match(cleaned):
        exact = _dollars(match.group(1))
        return exact, exact
    raise AmountBandError(f"not an amount band: {cleaned!r}")
