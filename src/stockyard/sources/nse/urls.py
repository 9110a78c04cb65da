"""Where NSE's archive publishes each day's bhavcopy (https://nsearchives.nseindia.com).

- full: ``/products/content/sec_bhavdata_full_<DDMMYYYY>.csv`` ("Full Bhavcopy and Security
  Deliverable data": prices, trades and delivery; turnover in INR lakhs);
- legacy: ``/content/historical/EQUITIES/<YYYY>/<MON>/cm<DD><MON><YYYY>bhav.csv.zip`` (the classic
  CM bhavcopy, zipped; turnover in INR). NSE stopped it when UDiFF replaced it on 2024-07-08.
"""

from __future__ import annotations

from datetime import date
from typing import Final

FULL: Final = "bhavcopy_full"
LEGACY: Final = "bhavcopy_legacy"
LEGACY_LAST_DAY: Final = date(2024, 7, 5)


def path_for(file_format: str, day: date) -> str:
    if file_format == FULL:
        return f"/products/content/sec_bhavdata_full_{day:%d%m%Y}.csv"
    if file_format == LEGACY:
        month = day.strftime("%b").upper()
        return f"/content/historical/EQUITIES/{day.year}/{month}/cm{day:%d}{month}{day.year}bhav.csv.zip"
    raise ValueError(f"unknown bhavcopy format {file_format!r}")


def formats_for(day: date) -> tuple[str, ...]:
    """The formats NSE published for ``day`` (both until the legacy file ended)."""
    return (FULL, LEGACY) if day <= LEGACY_LAST_DAY else (FULL,)
