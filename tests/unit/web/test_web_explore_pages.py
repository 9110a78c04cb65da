"""The overview, states, committees, tickers, filings and pipeline pages over the seed."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

PAGES = [
    "/",
    "/states",
    "/states/CA",
    "/committees",
    "/committees/SSFI",
    "/tickers",
    "/tickers/NVDA",
    "/filings",
    "/filings/20022260",
    "/pipeline",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_with_labelled_controls_and_a_json_twin(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert '<link rel="alternate" type="application/json"' in html
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)"', html)
    assert twin is not None
    assert web.get(twin.group(1).replace("&amp;", "&")).status_code == 200
    control_ids = set(re.findall(r'<(?:input|select) id="([^"]+)"', html))
    assert control_ids <= set(re.findall(r'<label for="([^"]+)"', html))
    for canvas in re.findall(r"<canvas[^>]+>", html):
        assert 'aria-label="' in canvas and 'role="img"' in canvas


def _chart_data(html: str, chart_id: str) -> dict[str, object]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', html)
    assert found, f"no data for {chart_id}"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_overview_shows_latest_and_party_flows(web: TestClient) -> None:
    html = web.get("/").text
    assert "Latest disclosures" in html and "Josh Gottheimer" in html
    flows = _chart_data(html, "chart-flows")
    # The chart covers the 36 months before the newest filing: only Gottheimer's 2026 trades.
    totals = {d["label"]: sum(d["data"]) for d in flows["datasets"]}  # type: ignore[union-attr]
    assert totals == {"Democrats: purchases": 2, "Democrats: sales": -2}
    assert '<script src="/static/vendor/chart.umd.min.js"></script>' in html


def test_ticker_page_marks_trades_on_the_close(web: TestClient) -> None:
    html = web.get("/tickers/NVDA").text
    chart = _chart_data(html, "chart-ticker")
    assert len(chart["prices"]) == 44  # type: ignore[arg-type]
    sells = chart["sells"]
    assert isinstance(sells, list) and len(sells) == 1
    assert sells[0]["label"].startswith(
        "Pat Roberts (R) · Sale · $15,001–$50,000 · filed 2020-12-10"
    )
    assert 'name="ticker"' not in html  # fixed on its own page
    # NVDA in the seed: 4 trades by 3 members, 3 purchases and one sale.
    assert "<strong>1</strong> sale</li>" in html and "<strong>3</strong> purchases</li>" in html


def test_state_page_links_members_and_filters_trades(web: TestClient) -> None:
    html = web.get("/states/ME?tx_type=P").text
    assert 'href="/members/C001035"' in html
    assert html.count('<td data-label="Traded">') == 2
    assert 'href="/api/trades.csv?tx_type=P&amp;state=ME"' in html


def test_committee_page_lists_seats_with_titles(web: TestClient) -> None:
    html = web.get("/committees/SSFI").text
    assert "Ranking Member" in html and 'href="/members/W000779"' in html
    assert html.count('<td data-label="Traded">') == 7


def test_filings_page_filters_by_status_and_links_documents(web: TestClient) -> None:
    html = web.get("/filings?status=quarantined").text
    assert 'href="/filings/20022260"' in html and "status-quarantined" in html
    detail = web.get("/filings/20022260").text
    assert "unreadable amount column" in detail
    assert (
        'href="https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2023/20022260.pdf"'
        in detail
    )


def test_pipeline_page_shows_freshness_runs_and_quarantine(web: TestClient) -> None:
    html = web.get("/pipeline").text
    assert "Ready: marts published 2026-01-02 10:00 UTC" in html
    assert "column_lte_fct_trades_tx_date__filed_date" in html
    assert "unreadable amount column" in html
    assert "on fct_trades: 1 row</li>" in html and "Quarantine (1 row)" in html
    assert '<code title="run-published">run-publishe</code>' in html  # shortened, whole on hover


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/states/ZZ", 404),
        ("/committees/NOPE", 404),
        ("/tickers/ZZZZ", 404),
        ("/filings/nope", 404),
        ("/tickers?sort=price", 422),
        ("/filings?date_from=2024-02-01&date_to=2024-01-01", 422),
    ],
)
def test_bad_addresses_explain_themselves(web: TestClient, path: str, status: int) -> None:
    response = web.get(path)
    assert response.status_code == status
    assert 'role="alert"' in response.text


def test_every_listing_offers_a_csv_download_of_its_rows(web: TestClient) -> None:
    for path in ("/trades", "/members", "/states", "/committees", "/tickers", "/filings"):
        html = web.get(f"{path}?page_size=25").text
        link = re.search(r'<a href="([^"]+)" download', html)
        assert link, path
        response = web.get(link.group(1).replace("&amp;", "&"))
        assert response.headers["content-type"].startswith("text/csv"), path
