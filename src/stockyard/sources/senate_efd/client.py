"""HTTP for the Senate eFD (efdsearch.senate.gov): the agreement handshake, search, PTR pages.

The site is a Django app. Before it answers a search or shows a report, a session must accept the
"prohibition agreement": GET ``/search/home/`` for a CSRF token, POST the agreement form back, then
send the (cookie) CSRF token with every search POST. This class only does HTTP and returns
``Fetched``; parsing lives in ``search.py`` and ``ptr_page.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import structlog

from stockyard.sources.http import Fetched, HttpClient, SourceError
from stockyard.sources.senate_efd.search import ReportRef, parse_csrf_token, parse_search_page

log = structlog.get_logger(__name__)

HOME_PATH = "/search/home/"
SEARCH_PATH = "/search/"
DATA_PATH = "/search/report/data/"
PTR_REPORT_TYPE = "[11]"  # the eFD's code for Periodic Transaction Reports
PAGE_SIZE = 100


PUBLIC_BASE_URL = "https://efdsearch.senate.gov"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def public_url(report_id: str) -> str | None:
    """The eFD page a person can open; None for ids that are not real eFD report UUIDs."""
    return f"{PUBLIC_BASE_URL}{ptr_path(report_id)}" if _UUID.match(report_id) else None


def ptr_path(path_or_id: str) -> str:
    """``"/search/view/ptr/<id>/"`` from either that path or the bare report id."""
    if path_or_id.startswith("/"):
        return path_or_id
    return f"/search/view/ptr/{path_or_id}/"


class SenateEfdClient:
    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self._csrf: str | None = None

    def _referer(self, path: str) -> dict[str, str]:
        # The site checks Referer on POSTs (Django CSRF over HTTPS).
        return {"Referer": self.http.settings.base_url.rstrip("/") + path}

    def _ensure_agreement(self) -> str:
        if self._csrf is not None:
            return self._csrf
        landing = self.http.get(HOME_PATH)
        token = parse_csrf_token(landing.content)
        if token is None:
            raise SourceError(
                self.http.source,
                landing.url,
                "the eFD home page has no csrfmiddlewaretoken; the site layout may have changed",
            )
        agreed = self.http.post(
            HOME_PATH,
            data={"prohibition_agreement": "1", "csrfmiddlewaretoken": token},
            headers=self._referer(HOME_PATH),
        )
        # Django rotates the token on login-like steps: prefer the cookie, then the new form.
        self._csrf = self.http.cookies.get("csrftoken") or parse_csrf_token(agreed.content) or token
        return self._csrf

    def search(
        self, start_date: date, end_date: date, offset: int, length: int = PAGE_SIZE
    ) -> Fetched:
        """One page of PTRs submitted between the two dates (inclusive)."""
        token = self._ensure_agreement()
        form = {
            "start": str(offset),
            "length": str(length),
            "report_types": PTR_REPORT_TYPE,
            "filer_types": "[]",
            "submitted_start_date": f"{start_date:%m/%d/%Y} 00:00:00",
            "submitted_end_date": f"{end_date:%m/%d/%Y} 23:59:59",
            "candidate_state": "",
            "senator_state": "",
            "office_id": "",
            "first_name": "",
            "last_name": "",
            "csrfmiddlewaretoken": token,
        }
        return self.http.post(DATA_PATH, data=form, headers=self._referer(SEARCH_PATH))

    def iter_reports(
        self,
        start_date: date,
        end_date: date,
        length: int = PAGE_SIZE,
        *,
        on_page: Callable[[int, Fetched], None] | None = None,
    ) -> Iterator[ReportRef]:
        """Every report filed in the range, page by page, lazily.

        ``on_page(offset, fetched)`` sees each raw answer before it is parsed, so a caller can land
        it (and keep it even when it turns out unreadable).

        Stops at the stated total, on an empty page, or on a page identical to one already seen
        (a server that ignores ``start`` would otherwise loop forever). Rows outside the range are
        dropped here too: a replayed or misbehaving listing may ignore the date filter.
        """
        offset = 0
        seen_pages: set[tuple[str, ...]] = set()
        while True:
            fetched = self.search(start_date, end_date, offset, length)
            if on_page is not None:
                on_page(offset, fetched)
            page = parse_search_page(fetched.content)
            for reject in page.rejects:
                log.warning(
                    "senate_efd.search_row_rejected", reason=reject.reason, ref=reject.record_ref
                )
            ids = tuple(ref.report_id for ref in page.rows)
            if not ids and not page.rejects:
                return
            if ids in seen_pages:
                log.warning("senate_efd.search_page_repeated", offset=offset)
                return
            seen_pages.add(ids)
            yield from (ref for ref in page.rows if start_date <= ref.filed_date <= end_date)
            offset += len(page.rows) + len(page.rejects)
            if offset >= page.total:
                return

    def ptr_page(self, path_or_id: str) -> Fetched:
        """The report page for a PTR path (from a ReportRef) or a bare report id."""
        self._ensure_agreement()
        return self.http.get(ptr_path(path_or_id))
