"""HTTP for the House Clerk's disclosure site: the yearly index zip and PTR PDFs. Only fetches."""

from __future__ import annotations

from stockyard.sources.house_clerk import urls
from stockyard.sources.http import Fetched, HttpClient

__all__ = ["HouseClerkClient"]


class HouseClerkClient:
    """Fetches raw documents; parsing lives in `fd_index` and `ptr_pdf` (bytes → records)."""

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def fd_index_zip(self, year: int) -> Fetched:
        """``<YEAR>FD.zip`` (``<YEAR>FD.xml`` + ``<YEAR>FD.txt``); raises NotFoundError for a missing year."""
        return self.http.get(urls.fd_index_path(year))

    def ptr_pdf(self, year: int, doc_id: str) -> Fetched:
        return self.http.get(urls.ptr_pdf_path(year, doc_id))

    def document_url(self, year: int, doc_id: str) -> str:
        """Absolute URL of the document, recorded as lineage next to what was parsed from it."""
        return urls.document_url(year, doc_id, self.http.settings.base_url)
