"""NSE India end-of-day bhavcopy: the full (with delivery) and the legacy CM formats."""

from stockyard.sources.nse.client import NseClient
from stockyard.sources.nse.parse import (
    PARSER_VERSION,
    BhavcopyParse,
    BhavRow,
    NseFormatError,
    parse_full_bhavcopy,
    parse_legacy_bhavcopy,
)
from stockyard.sources.nse.urls import FULL, LEGACY, LEGACY_LAST_DAY, formats_for, path_for

__all__ = [
    "FULL",
    "LEGACY",
    "LEGACY_LAST_DAY",
    "PARSER_VERSION",
    "BhavRow",
    "BhavcopyParse",
    "NseClient",
    "NseFormatError",
    "formats_for",
    "parse_full_bhavcopy",
    "parse_legacy_bhavcopy",
    "path_for",
]
