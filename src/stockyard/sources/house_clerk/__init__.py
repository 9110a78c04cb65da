"""US House Clerk disclosures: the yearly FD index and Periodic Transaction Report PDFs.

transform_query → extract → transform_data: `urls` builds paths, `HouseClerkClient` fetches bytes,
`parse_fd_index` / `parse_ptr_pdf` turn bytes into records without touching storage or HTTP.
"""

from stockyard.sources.house_clerk.amounts import AmountBandError, parse_amount_band
from stockyard.sources.house_clerk.client import HouseClerkClient
from stockyard.sources.house_clerk.fd_index import (
    FdIndexError,
    FdIndexParse,
    FdIndexRow,
    parse_fd_index,
    parse_fd_index_report,
)
from stockyard.sources.house_clerk.ptr_pdf import PARSER_VERSION, parse_ptr_pdf
from stockyard.sources.house_clerk.urls import document_url

__all__ = [
    "PARSER_VERSION",
    "AmountBandError",
    "FdIndexError",
    "FdIndexParse",
    "FdIndexRow",
    "HouseClerkClient",
    "document_url",
    "parse_amount_band",
    "parse_fd_index",
    "parse_fd_index_report",
    "parse_ptr_pdf",
]
