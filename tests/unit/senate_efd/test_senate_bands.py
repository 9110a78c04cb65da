"""Amount text → integer band, as printed by the eFD, the watchers and Benzinga."""

from __future__ import annotations

import pytest

from stockyard.sources.senate_efd.bands import parse_band


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("$1,001 - $15,000", (1_001, 15_000)),
        ("$15,001 -\n$50,000", (15_001, 50_000)),  # House aggregate: split over two lines
        ("$5,000,001 - $25,000,000", (5_000_001, 25_000_000)),
        ("Over $50,000,000", (50_000_001, None)),
        ("Over $1,000,000", (1_000_001, None)),
        ("$100,001 -", (100_001, 250_000)),  # upper half lost; the lower bound names the band
        ("$1,118.07", (1_118, 1_118)),  # exact amount in cents, whole dollars kept
        ("$999.64", (1_000, 1_000)),
    ],
)
def test_bands(text: str, band: tuple[int, int | None]) -> None:
    assert parse_band(text) == band


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$1,000,001 -", "ambiguous"),  # opens both "- $5,000,000" and the spouse "Over" band
        ("$50,000 - $1,001", "backwards"),
        ("Spouse/DC Over $1,000,000 maybe", "unreadable"),
        ("", "unreadable"),
    ],
)
def test_unreadable_bands(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_band(text)
