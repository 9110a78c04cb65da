"""Every page in a real Chromium: it loads, filters, links, draws its charts, downloads CSV,
and fits a phone screen. A screenshot of each page lands in test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

pytestmark = pytest.mark.integration

PAGES = {
    "overview": "/",
    "trades": "/trades",
    "members": "/members",
    "member": "/members/P000197",
    "states": "/states",
    "state": "/states/CA",
    "committees": "/committees",
    "committee": "/committees/SSFI",
    "tickers": "/tickers",
    "ticker": "/tickers/NVDA",
    "filings": "/filings",
    "filing": "/filings/20022260",
    "pipeline": "/pipeline",
}
CHARTED = {"/", "/members/P000197", "/tickers/NVDA"}


def chart_points(page: Any, canvas_id: str) -> int:
    """Points Chart.js drew on a canvas, once it has drawn (and the canvas is not blank)."""
    page.wait_for_selector(f"canvas#{canvas_id}[data-drawn='true']")
    return int(
        page.evaluate(
            """(id) => {
                const canvas = document.getElementById(id);
                const chart = Chart.getChart(canvas);
                const pixels = canvas.getContext('2d')
                    .getImageData(0, 0, canvas.width, canvas.height).data;
                let inked = 0;
                for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) inked++; }
                if (inked === 0) return -1;
                return chart.data.datasets.reduce((n, set) => n + set.data.length, 0);
            }""",
            canvas_id,
        )
    )


@pytest.mark.parametrize(("name", "path"), PAGES.items(), ids=list(PAGES))
def test_page_loads_and_is_screenshotted(
    page: Any, seeded_site: str, screenshot_dir: Path, name: str, path: str
) -> None:
    response = page.goto(seeded_site + path)
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    if path in CHARTED:
        for canvas in page.locator("canvas[data-chart]").all():
            assert chart_points(page, canvas.get_attribute("id")) > 0
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/", "/members/P000197"])
def test_trade_count_axes_step_in_whole_trades(page: Any, seeded_site: str, path: str) -> None:
    page.goto(seeded_site + path)
    counted = page.locator("canvas[data-chart='histogram'], canvas[data-chart='flows']").all()
    assert counted, "no trade-count chart on " + path
    for canvas in counted:
        canvas_id = canvas.get_attribute("id")
        assert chart_points(page, canvas_id) > 0
        ticks = page.evaluate(
            "(id) => Chart.getChart(document.getElementById(id)).scales.y.ticks.map(t => t.value)",
            canvas_id,
        )
        assert len(ticks) >= 2 and all(float(v).is_integer() for v in ticks), (canvas_id, ticks)


def test_dates_in_a_crowded_trades_table_stay_on_one_line(page: Any, seeded_site: str) -> None:
    page.goto(seeded_site + "/committees/SSFI")
    lines = page.evaluate(
        """() => [...document.querySelectorAll('td[data-label="Traded"], td[data-label="Filed"]')]
            .map(td => { const r = document.createRange(); r.selectNodeContents(td);
                         return r.getClientRects().length; })"""
    )
    assert lines and set(lines) == {1}, lines


def test_filter_members_by_state_updates_the_shareable_url(page: Any, seeded_site: str) -> None:
    page.goto(f"{seeded_site}/members")
    page.evaluate("() => { window.sameDocument = true; }")
    page.locator("#results").evaluate("el => { el.dataset.before = 'yes'; }")
    page.get_by_label("State").fill("ca")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/members?*state=ca*")
    # htmx swapped the results in place (no page load) and pushed the shareable URL.
    page.wait_for_selector("#results:not([data-before])")
    assert page.evaluate("() => window.sameDocument === true")
    names = page.locator("table.members tbody td[data-label='Name'] a").all_inner_texts()
    assert names == ["Nancy Pelosi"]
    # The URL alone reproduces the view.
    page.goto(page.url)
    assert page.locator("table.members tbody tr").count() == 1


def test_sorting_a_column_flips_order_and_marks_the_header(page: Any, seeded_site: str) -> None:
    page.goto(f"{seeded_site}/tickers")
    page.get_by_role("link", name="Ticker", exact=True).click()
    page.wait_for_url("**sort=-ticker*")
    header = page.locator("th[aria-sort='descending']")
    assert header.inner_text().startswith("Ticker")
    tickers = page.locator("td[data-label='Ticker'] a").all_inner_texts()
    assert tickers == sorted(tickers, reverse=True)


def test_member_to_ticker_link_shows_the_price_chart_with_trades(
    page: Any, seeded_site: str
) -> None:
    page.goto(f"{seeded_site}/members/P000197")
    page.locator(".stats + p a.ticker", has_text="NVDA").click()
    page.wait_for_url("**/tickers/NVDA")
    # 44 daily closes plus Pelosi's, Wyden's and Roberts's NVDA trades as markers.
    assert chart_points(page, "chart-ticker") == 44 + 4
    hover = page.evaluate(
        """() => Chart.getChart(document.getElementById('chart-ticker'))
                .data.datasets.find(set => set.label === 'Sales').data[0].label"""
    )
    assert hover.startswith("Pat Roberts (R) · Sale · $15,001–$50,000 · filed 2020-12-10")


def test_csv_download_holds_every_filtered_trade(
    page: Any, seeded_site: str, tmp_path: Path
) -> None:
    page.goto(f"{seeded_site}/trades?chamber=senate&tx_type=S")
    with page.expect_download() as download_info:
        page.get_by_test_id("csv-download").click()
    saved = tmp_path / "trades.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    expected = httpx.get(
        f"{seeded_site}/api/trades", params={"chamber": "senate", "tx_type": "S"}
    ).json()["total"]
    assert len(rows) == expected > 0
    assert {row["chamber"] for row in rows} == {"senate"}


@pytest.mark.parametrize("path", ["/", "/trades", "/members/P000197", "/tickers/NVDA", "/pipeline"])
def test_phone_width_has_no_sideways_scroll(
    phone_page: Any, seeded_site: str, screenshot_dir: Path, path: str
) -> None:
    phone_page.goto(seeded_site + path)
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} is {overflow}px wider than a 375px screen"
    name = "phone-" + (path.strip("/").replace("/", "-") or "overview")
    phone_page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)


def test_a_phone_sorts_from_the_sort_by_bar(phone_page: Any, seeded_site: str) -> None:
    # Rows are cards at this width; the header row is a bar of the sortable columns' links.
    phone_page.goto(f"{seeded_site}/members")
    bar = phone_page.locator("table thead tr")
    link = bar.get_by_role("link", name="Trades", exact=True)
    assert bar.is_visible() and link.is_visible()
    link.click()  # the list opens most-traded first: this flips it
    phone_page.wait_for_url("**sort=trade_count*")
    counts = [int(text) for text in phone_page.locator("td[data-label='Trades']").all_inner_texts()]
    assert counts == sorted(counts) and len(counts) > 2
    assert bar.locator("th[aria-sort='ascending']").inner_text().startswith("Trades")
    overflow = phone_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_a_committees_roster_sorts_without_touching_its_trades_table(
    page: Any, seeded_site: str
) -> None:
    page.goto(f"{seeded_site}/committees/SSFI?sort=amount")  # the trades table's own order
    roster = page.locator("section[aria-labelledby='seats-heading'] table")
    before = roster.locator("td[data-label='State']").all_inner_texts()
    roster.get_by_role("link", name="State", exact=True).click()
    page.wait_for_url("**members_sort=-state*")
    assert "sort=amount" in page.url  # the trades table keeps its order
    assert roster.locator("th[aria-sort='descending']").inner_text().startswith("State")
    states = roster.locator("td[data-label='State']").all_inner_texts()
    assert states == sorted(before, reverse=True) and len(states) >= 2
    trades_header = page.locator("table.trades th[aria-sort='ascending']")
    assert trades_header.inner_text().startswith("Amount")


def test_a_member_pages_feed_link_leads_to_a_valid_atom_feed_of_their_trades(
    page: Any, seeded_site: str
) -> None:
    page.goto(f"{seeded_site}/members/P000197")
    head = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    link = page.get_by_test_id("feed-link")
    assert head.get_attribute("href") == link.get_attribute("href")
    with page.expect_response(lambda r: "/feeds/trades.atom" in r.url) as answer:
        link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert parsed.version == "atom10" and not parsed.bozo
    assert len(parsed.entries) == 7
    assert {entry.author for entry in parsed.entries} == {"Nancy Pelosi"}
