"""unitedstates/congress-legislators: members, terms, committees and seats (bioguide ids as keys).

`LegislatorsClient` fetches the published files; the `parse_*` functions turn their bytes into
records, returning bad entries as `QuarantineRecord`s beside them.
"""

from stockyard.sources.legislators.client import LegislatorsClient
from stockyard.sources.legislators.parse_committees import parse_committees, parse_memberships
from stockyard.sources.legislators.parse_members import parse_current_yaml, parse_historical_csv
from stockyard.sources.legislators.results import LegislatorsFormatError, ParseResult

__all__ = [
    "LegislatorsClient",
    "LegislatorsFormatError",
    "ParseResult",
    "parse_committees",
    "parse_current_yaml",
    "parse_historical_csv",
    "parse_memberships",
]
