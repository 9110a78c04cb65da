"""HTTP for Fiscal Data: one dataset, one record_date window, every page to the last.

No key is needed. Pages are requested by ``page[number]`` (from 1) until ``meta.total-pages``;
``links.next`` must agree, and the pages' row counts must add up to ``meta.total-count``,
otherwise the data changed while we paged and the window is refused rather than half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from stockyard.sources.http import Fetched, HttpClient, SourceError
from stockyard.sources.treasury.datasets import TreasuryDataset
from stockyard.sources.treasury.envelope import TreasuryFormatError, parse_envelope

# The API's maximum page size: the fewest calls for a multi-year backfill.
PAGE_SIZE = 10_000
# A cap so a misbehaving server cannot keep us paging forever (10k rows a page → 10M rows).
MAX_PAGES = 1_000


@dataclass(frozen=True, slots=True)
class Window:
    """Inclusive record_date range."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends {self.end} before it starts {self.start}")

    @property
    def key(self) -> str:
        """The landing partition of this window, e.g. ``2020-01-01_2023-06-30``."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    number: int
    fetched: Fetched


class TreasuryClient:
    def __init__(self, http: HttpClient, page_size: int = PAGE_SIZE) -> None:
        if not 1 <= page_size <= PAGE_SIZE:
            raise ValueError(f"page_size must be 1..{PAGE_SIZE}")
        self.http = http
        self.page_size = page_size

    def params(self, ds: TreasuryDataset, window: Window, page: int) -> dict[str, str]:
        record_dates = (
            f"record_date:gte:{window.start.isoformat()}",
            f"record_date:lte:{window.end.isoformat()}",
        )
        return {
            "fields": ",".join(ds.field_names),
            "filter": ",".join(record_dates + ds.filters),
            # src_line_nbr breaks ties inside a day, so page boundaries are stable between calls.
            "sort": "record_date,src_line_nbr",
            "page[number]": str(page),
            "page[size]": str(self.page_size),
        }

    def page(self, ds: TreasuryDataset, window: Window, number: int) -> Fetched:
        return self.http.get(ds.endpoint, params=self.params(ds, window, number))

    def iter_pages(self, ds: TreasuryDataset, window: Window) -> Iterator[FetchedPage]:
        """Every page of the window, checked for consistency; raises SourceError otherwise."""
        total_pages: int | None = None
        total_count = 0
        seen = 0
        number = 1
        while total_pages is None or number <= total_pages:
            if number > MAX_PAGES:
                raise self._error(ds, f"more than {MAX_PAGES} pages for {window.key}; stopping")
            fetched = self.page(ds, window, number)
            try:
                envelope = parse_envelope(fetched.content)
            except TreasuryFormatError as exc:
                raise self._error(ds, f"page {number} of {window.key} unreadable: {exc}") from None
            if total_pages is None:
                total_pages, total_count = envelope.total_pages, envelope.total_count
            elif (envelope.total_pages, envelope.total_count) != (total_pages, total_count):
                raise self._error(ds, f"the totals changed at page {number}; run again")
            last = number >= total_pages
            if (envelope.next_page is None) != last:
                raise self._error(
                    ds,
                    f"page {number} of {total_pages}: links.next is {envelope.next_page!r}, "
                    "which disagrees with meta.total-pages",
                )
            seen += envelope.count
            yield FetchedPage(number, fetched)
            number += 1
        if seen != total_count:
            raise self._error(
                ds,
                f"{seen} rows on {total_pages} pages but meta.total-count is {total_count} "
                f"for {window.key}; the data changed while paging, run again",
            )

    def _error(self, ds: TreasuryDataset, message: str) -> SourceError:
        return SourceError(self.http.source, ds.endpoint, message)
