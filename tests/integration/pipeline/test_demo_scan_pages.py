"""In a real Chromium, a trade read from a scanned paper filing in the demo says so, with its
confidence, and one click opens the page image it was read from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from stockyard.config import Settings
from stockyard.web import create_web_app
from support.web_server import serve_in_thread

pytestmark = pytest.mark.integration

PAPER_FILING = "house-9111812"  # Ro Khanna's handwritten 2017 PTR, bundled as a scan


def test_a_scanned_row_links_to_the_page_it_was_read_from(
    demo_home: Path, page: Any, screenshot_dir: Path
) -> None:
    with serve_in_thread(create_web_app(Settings(home=demo_home))) as url:
        page.goto(f"{url}/filings/{PAPER_FILING}")
        marks = page.locator("a.tag.scan")
        assert marks.count() >= 10
        mark = marks.first
        assert re.fullmatch(r"read from a scan · \d{1,3}%", mark.inner_text().strip())
        assert "confidence" in (mark.get_attribute("title") or "")
        href = mark.get_attribute("href") or ""
        assert re.fullmatch(rf"/api/filings/{PAPER_FILING}/pages/\d+\.png", href), href
        page.screenshot(path=str(screenshot_dir / "demo-paper-filing.png"), full_page=True)

        with page.expect_navigation() as navigation:
            mark.click()
        response = navigation.value
        assert response is not None and response.status == 200
        assert response.headers["content-type"] == "image/png"
        # the rendered scan itself, turned upright: a whole page, not an icon or an error
        width, height = page.evaluate(
            "[document.images[0].naturalWidth, document.images[0].naturalHeight]"
        )
        assert min(width, height) >= 800 and max(width, height) >= 1100, (width, height)
