"""The web app served by uvicorn over the seeded warehouse (tests/unit/api/marts_seed.sql, with
daily bars for NVDA), and the browser fixtures of support.browser."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from stockyard.config import Settings
from support.browser import (  # noqa: F401 (fixtures)
    REPO,
    browser,
    console_errors,
    page,
    phone_page,
    screenshot_dir,
)
from support.web_server import serve_in_thread

SEED_SQL = REPO / "tests" / "unit" / "api" / "marts_seed.sql"


@pytest.fixture(scope="session")
def seeded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app over the seeded warehouse, served once per session; yields its base URL."""
    from stockyard.web import create_web_app

    home = tmp_path_factory.mktemp("browser-home")
    path = home / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(SEED_SQL.read_text(encoding="utf-8"))
    finally:
        con.close()
    with serve_in_thread(create_web_app(Settings(home=home, warehouse_path=path))) as url:
        yield url
