"""The bhavcopy parsers on NSE's real files (the bundled sample and a damaged slice of one)."""

from __future__ import annotations

import gzip
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.nse import (
    FULL,
    LEGACY,
    NseFormatError,
    formats_for,
    parse_full_bhavcopy,
    parse_legacy_bhavcopy,
    path_for,
)

NSE = SAMPLE_ROOT / "nse"
DAMAGED = (
    Path(__file__).parents[2] / "fixtures/http/nse/products/content/sec_bhavdata_full_04062021.csv"
)
JUNE_4 = date(2021, 6, 4)


def _full(day: date) -> bytes:
    return gzip.decompress((NSE / (path_for(FULL, day).lstrip("/") + ".gz")).read_bytes())


def _legacy(day: date) -> bytes:
    return (NSE / path_for(LEGACY, day).lstrip("/")).read_bytes()


def test_archive_paths_are_nse_s_own() -> None:
    assert path_for(FULL, JUNE_4) == "/products/content/sec_bhavdata_full_04062021.csv"
    assert (
        path_for(LEGACY, JUNE_4) == "/content/historical/EQUITIES/2021/JUN/cm04JUN2021bhav.csv.zip"
    )
    assert formats_for(JUNE_4) == (FULL, LEGACY)
    assert formats_for(date(2024, 8, 1)) == (FULL,)  # the legacy file ended with UDiFF


def test_full_format_types_every_field_and_converts_lakhs_to_inr() -> None:
    parsed = parse_full_bhavcopy(_full(JUNE_4), expect_day=JUNE_4)
    assert parsed.rejects == []
    assert len(parsed.rows) == parsed.lines == 2058
    reliance = next(r for r in parsed.rows if (r.symbol, r.series) == ("RELIANCE", "EQ"))
    assert (reliance.close, reliance.prev_close, reliance.total_traded_qty) == (
        2190.5,
        2209.65,
        6_677_278,
    )
    # TURNOVER_LACS 146744.74 lakhs → INR.
    assert reliance.turnover_inr == pytest.approx(14_674_474_000.0)
    assert (reliance.number_of_trades, reliance.delivery_qty, reliance.delivery_pct) == (
        219_435,
        2_770_956,
        41.5,
    )
    # "-" means no delivery figures (non-EQ series), kept as None rather than 0.
    assert any(r.delivery_pct is None for r in parsed.rows if r.series not in {"EQ", "BE"})


def test_legacy_zip_agrees_with_the_full_file_on_the_same_day() -> None:
    parsed = parse_legacy_bhavcopy(_legacy(JUNE_4), expect_day=JUNE_4)
    assert parsed.rejects == [] and len(parsed.rows) == 2070
    reliance = next(r for r in parsed.rows if (r.symbol, r.series) == ("RELIANCE", "EQ"))
    assert reliance.close == 2190.5 and reliance.total_traded_qty == 6_677_278
    assert reliance.number_of_trades == 219_435 and reliance.isin == "INE002A01018"
    assert reliance.turnover_inr == 14_674_474_225.95  # TOTTRDVAL is already INR
    assert reliance.delivery_pct is None and reliance.avg_price is None


def test_a_malformed_line_is_quarantined_with_its_line_number_and_the_rest_loads() -> None:
    parsed = parse_full_bhavcopy(DAMAGED.read_bytes(), expect_day=JUNE_4)
    assert parsed.lines == 29
    assert len(parsed.rows) == 28
    [reject] = parsed.rejects
    assert reject.record_ref == "line 12"
    assert reject.reason == "9 fields, expected 15"
    assert reject.payload is not None and reject.payload.startswith("AAATECH, SM")
    assert "AAATECH" not in {r.symbol for r in parsed.rows}


def test_another_day_s_file_and_the_wrong_format_are_refused() -> None:
    with pytest.raises(NseFormatError, match="none of 2058 lines"):
        parse_full_bhavcopy(_full(JUNE_4), expect_day=date(2021, 6, 3))
    with pytest.raises(NseFormatError, match="unexpected header"):
        parse_full_bhavcopy(zipfile.ZipFile(BytesIO(_legacy(JUNE_4))).read("cm04JUN2021bhav.csv"))


def test_a_truncated_zip_is_a_format_error_not_an_empty_day() -> None:
    whole = _legacy(JUNE_4)
    with pytest.raises(NseFormatError, match="broken zip"):
        parse_legacy_bhavcopy(whole[: len(whole) // 2], expect_day=JUNE_4)
