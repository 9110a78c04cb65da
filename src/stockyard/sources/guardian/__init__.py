"""The Guardian Content API ``/search``: client (paging, section, from-date) and parser."""

from stockyard.sources.guardian.client import SEARCH_PATH, GuardianClient
from stockyard.sources.guardian.parse import (
    PARSER_VERSION,
    GuardianFormatError,
    GuardianPage,
    parse_search_page,
)

__all__ = [
    "PARSER_VERSION",
    "SEARCH_PATH",
    "GuardianClient",
    "GuardianFormatError",
    "GuardianPage",
    "parse_search_page",
]
