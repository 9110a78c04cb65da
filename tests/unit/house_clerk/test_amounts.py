import pytest

from stockyard.models import AMOUNT_BANDS
from stockyard.sources.house_clerk.amounts import AmountBandError, parse_amount_band


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,001 - $15,000", (1_001, 15_000)),
        ("$500,001 -\n$1,000,000", (500_001, 1_000_000)),  # band broken over two lines
        ("Spouse/DC Over $1,000,000", (1_000_001, None)),
        ("Over $50,000,000", (50_000_001, None)),
        ("$9.00", (9, 9)),  # an exact amount, not a band
        ("$350.78", (351, 351)),
        ("$1 - $1,000", (1, 1_000)),
    ],
)
def test_parse_amount_band(text: str, expected: tuple[int, int | None]) -> None:
    assert parse_amount_band(text) == expected


def test_every_statutory_band_printed_house_style_round_trips() -> None:
    for low, high in AMOUNT_BANDS:
        text = f"Over ${low - 1:,}" if high is None else f"${low:,} - ${high:,}"
        assert parse_amount_band(text) == (low, high)


@pytest.mark.parametrize("text", ["", "None", "$15,000 - $1,001", "$1,001 -", "about $5"])
def test_unreadable_amounts_raise(text: str) -> None:
    with pytest.raises(AmountBandError):
        parse_amount_band(text)
