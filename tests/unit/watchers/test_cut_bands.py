"""The House aggregate's half-extracted amount bands, repaired only where unambiguous."""

from __future__ import annotations

import pytest

from stockyard.sources.watchers.cut_bands import parse_band_or_cut


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("$100,001 -", (100_001, 250_000)),
        ("$15,001 -", (15_001, 50_000)),
        ("$50,001 -", (50_001, 100_000)),
        ("$15,001 -\n$50,000", (15_001, 50_000)),  # the whole band, split over two lines
        ("$1,118.07", (1_118, 1_118)),
    ],
)
def test_bands(text: str, band: tuple[int, int | None]) -> None:
    assert parse_band_or_cut(text) == band


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$1,000,001 -", "ambiguous"),  # opens "- $5,000,000" and the spouse "Over" band alike
        ("$20,000 -", "ambiguous"),  # not a statutory lower bound
        ("lots", "not an amount band"),
    ],
)
def test_unreadable(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_band_or_cut(text)
