"""Where the House Clerk publishes each disclosure document (paths and absolute URLs, for lineage)."""

from __future__ import annotations

__all__ = [
    "DEFAULT_BASE_URL",
    "document_path",
    "document_url",
    "fd_index_path",
    "ptr_pdf_path",
]

DEFAULT_BASE_URL = "https://disclosures-clerk.house.gov"

# DocIDs of annual Financial Disclosure reports start with "1" (10063304); PTRs, electronic
# (2000xxxx) or paper (8xxxxxx, 9xxxxxx), live under ptr-pdfs.
_ANNUAL_REPORT_PREFIX = "1"


def fd_index_path(year: int) -> str:
    """The yearly index zip, holding ``<YEAR>FD.xml`` and ``<YEAR>FD.txt``."""
    return f"/public_disc/financial-pdfs/{year}FD.zip"


def ptr_pdf_path(year: int, doc_id: str) -> str:
    return f"/public_disc/ptr-pdfs/{year}/{doc_id}.pdf"


def document_path(year: int, doc_id: str) -> str:
    """Path of any indexed document: PTRs under ptr-pdfs, annual reports under financial-pdfs."""
    if len(doc_id) == 8 and doc_id.startswith(_ANNUAL_REPORT_PREFIX):
        return f"/public_disc/financial-pdfs/{year}/{doc_id}.pdf"
    return ptr_pdf_path(year, doc_id)


def document_url(year: int, doc_id: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """Absolute URL of a House disclosure document, e.g. ``…/public_disc/ptr-pdfs/2024/20024542.pdf``."""
    return base_url.rstrip("/") + document_path(year, doc_id)
