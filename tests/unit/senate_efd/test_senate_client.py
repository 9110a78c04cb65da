"""SenateEfdClient against the replay server: handshake, pagination, date filter, report pages."""

from __future__ import annotations

import gzip
import json
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from stockyard.config import SourceSettings
from stockyard.replay import SAMPLE_ROOT, LoggedRequest, ReplayServer
from stockyard.sources.http import HttpClient, SourceError
from stockyard.sources.senate_efd import SenateEfdClient, parse_ptr_page

EVERYTHING = (date(2012, 1, 1), date(2030, 12, 31))


def _logged(server: ReplayServer, expected: int) -> list[LoggedRequest]:
    """The request log once it holds `expected` entries.

    The replay server appends to its log just after answering, so the last request of a run can
    show up a moment after the client already has its response.
    """
    deadline = time.monotonic() + 2.0
    while len(server.requests) < expected and time.monotonic() < deadline:
        time.sleep(0.005)
    return list(server.requests)


def _client(server: ReplayServer) -> SenateEfdClient:
    settings = SourceSettings(base_url=server.base_url("senate_efd"), rate_per_second=500, burst=50)
    return SenateEfdClient(HttpClient("senate_efd", settings, backoff_base=0.01))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer(SAMPLE_ROOT) as replay:
        yield replay


def test_handshake_then_every_report(server: ReplayServer) -> None:
    client = _client(server)
    refs = list(client.iter_reports(*EVERYTHING))
    assert len(refs) == len({ref.report_id for ref in refs}) == 230
    methods = [(r.method, r.path.removeprefix("/senate_efd")) for r in _logged(server, 5)]
    assert methods[:2] == [("GET", "/search/home/"), ("POST", "/search/home/")]
    # 230 rows at 100 a page: three pages, then the stated total stops it.
    assert methods[2:] == [("POST", "/search/report/data/")] * 3
    # A second listing reuses the session: no second handshake.
    list(client.iter_reports(*EVERYTHING))
    assert [r.path for r in _logged(server, 8)[5:]] == ["/senate_efd/search/report/data/"] * 3


def test_each_raw_page_is_handed_over(server: ReplayServer) -> None:
    seen: list[tuple[int, int]] = []
    refs = list(
        _client(server).iter_reports(
            *EVERYTHING, on_page=lambda offset, fetched: seen.append((offset, len(fetched.content)))
        )
    )
    assert [offset for offset, _ in seen] == [0, 100, 200]
    assert all(size > 1000 for _, size in seen) and len(refs) == 230


def test_rows_outside_the_range_are_dropped(server: ReplayServer) -> None:
    refs = list(_client(server).iter_reports(date(2020, 3, 1), date(2020, 3, 31)))
    assert len(refs) == 17
    assert all(date(2020, 3, 1) <= ref.filed_date <= date(2020, 3, 31) for ref in refs)


def test_report_page_by_id_or_path(server: ReplayServer) -> None:
    client = _client(server)
    report_id = "e4a2aa00-e5bc-4c2f-967a-ff0b5bb5089b"
    by_id = client.ptr_page(report_id)
    by_path = client.ptr_page(f"/search/view/ptr/{report_id}/")
    assert by_id.content == by_path.content
    assert by_id.content_type.startswith("text/html")
    doc = parse_ptr_page(by_id.content, report_id, source_url=by_id.url)
    assert doc.filer_name == "Lamar Alexander" and len(doc.transactions) == 4


def test_a_repeating_listing_stops(tmp_path: Path) -> None:
    # A server that ignores `start` and claims more rows than it ever sends.
    root = tmp_path / "senate_efd"
    (root / "search/home").mkdir(parents=True)
    for name in ("search/home/index.html.gz", "search/index.html.gz"):
        shutil.copy(SAMPLE_ROOT / "senate_efd" / name, root / name)
    body = json.loads(
        gzip.decompress((SAMPLE_ROOT / "senate_efd/search/report/data/page-0.json.gz").read_bytes())
    )
    body["recordsFiltered"] = body["recordsTotal"] = 10_000
    (root / "page.json").write_text(json.dumps(body))
    routes = [
        {"method": "POST", "path": "/search/home/", "file": "search/index.html.gz"},
        {"method": "POST", "path": "/search/report/data/", "file": "page.json"},
    ]
    (root / "_routes.json").write_text(json.dumps(routes))
    with ReplayServer(tmp_path) as replay:
        refs = list(_client(replay).iter_reports(*EVERYTHING))
        assert len(refs) == 100
        assert len(_logged(replay, 4)) == 4  # handshake (2) + two listing pages


def test_missing_agreement_token_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "senate_efd" / "search" / "home"
    root.mkdir(parents=True)
    (root / "index.html").write_text("<html><body>Down for maintenance</body></html>")
    with ReplayServer(tmp_path) as replay, pytest.raises(SourceError, match="csrfmiddlewaretoken"):
        list(_client(replay).iter_reports(*EVERYTHING))
