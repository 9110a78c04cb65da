"""Browser fixtures: Debian's Chromium driven by Playwright.

A page fixture fails its test on any console error or uncaught page error, and screenshots go
to test-artifacts/screenshots/ (git-ignored) so a CI run can keep them. A conftest imports the
fixtures it needs from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


# Module scope: Playwright's sync API keeps an event loop running in the main thread while it is
# open, and later asyncio tests (the stream tests) cannot start their own until it is closed.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed: apt-get install chromium (make system-packages)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


class ConsoleErrors(list[str]):
    """Console errors and uncaught exceptions a page produced."""


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


def _open_page(browser: object, errors: ConsoleErrors, **context_options: object) -> object:
    context = browser.new_context(accept_downloads=True, **context_options)  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser: object, console_errors: ConsoleErrors) -> Iterator[object]:
    """A desktop-width page; the test fails if the page logged a console error."""
    opened = _open_page(browser, console_errors, viewport={"width": 1280, "height": 900})
    yield opened
    opened.context.close()  # type: ignore[attr-defined]
    assert list(console_errors) == [], f"console errors: {console_errors}"


@pytest.fixture
def phone_page(browser: object, console_errors: ConsoleErrors) -> Iterator[object]:
    """A 375 px wide page (an iPhone SE-sized screen), touch and all."""
    opened = _open_page(
        browser,
        console_errors,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield opened
    opened.context.close()  # type: ignore[attr-defined]
    assert list(console_errors) == [], f"console errors: {console_errors}"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
