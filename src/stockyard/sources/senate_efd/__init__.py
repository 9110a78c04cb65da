"""Senate eFD (efdsearch.senate.gov): report search, PTR pages, and their parsers."""

from stockyard.sources.senate_efd.client import SenateEfdClient
from stockyard.sources.senate_efd.ptr_page import PARSER_VERSION, parse_ptr_page
from stockyard.sources.senate_efd.search import (
    ReportRef,
    SearchFormatError,
    SearchPage,
    parse_search_page,
)

__all__ = [
    "PARSER_VERSION",
    "ReportRef",
    "SearchFormatError",
    "SearchPage",
    "SenateEfdClient",
    "parse_ptr_page",
    "parse_search_page",
]
