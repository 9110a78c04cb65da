"""The HTML pages over a real published warehouse."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.web import create_web_app


def row_count(html: str) -> int:
    return html.count('<td data-label="Traded">')


def test_trades_page_renders_trades_with_readable_values(web: TestClient) -> None:
    response = web.get("/trades")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert row_count(html) == 34
    assert "Josh Gottheimer" in html
    assert "$1,001–$15,000" in html
    assert '<td data-label="Owner">Dependent child</td>' in html
    assert '<td data-label="Type"><span class="tx tx-S">Partial sale</span></td>' in html
    assert 'href="https://efdsearch.senate.gov/search/view/ptr/6784a9a9' in html
    assert 'href="/members/G000583"' in html
    assert 'href="/api/trades"' in html  # the JSON twin


def test_filter_form_keeps_its_values_and_json_twin_shares_the_query(web: TestClient) -> None:
    html = web.get("/trades?member=pelosi&ticker=nvda&party=d&owner=SP&date_from=2021-01-01").text
    assert row_count(html) == 2
    assert 'name="member" type="text" value="pelosi"' in html
    assert 'name="ticker" type="text" value="nvda"' in html
    assert 'name="date_from" type="date" value="2021-01-01"' in html
    assert '<option value="D" selected>Democrat</option>' in html
    assert '<option value="SP" selected>Spouse</option>' in html
    assert (
        'href="/api/trades?member=pelosi&amp;ticker=nvda&amp;party=d&amp;owner=SP'
        '&amp;date_from=2021-01-01"' in html
    )


def test_sortable_headers_keep_filters(web: TestClient) -> None:
    html = web.get("/trades?chamber=senate&sort=amount").text
    assert 'aria-sort="ascending"' in html
    assert 'href="?chamber=senate&amp;sort=-amount"' in html
    assert 'href="?chamber=senate&amp;sort=-tx_date"' in html
    first_amount = re.search(r'<td data-label="Amount" class="amount">([^<]+)</td>', html)
    assert first_amount is not None
    assert first_amount.group(1) == "$1,001–$15,000"


def test_pagination_links(web: TestClient) -> None:
    html = web.get("/trades?party=R&page_size=5&page=2").text
    assert row_count(html) == 5
    assert "Showing 6–10 of 14 trades" in html
    assert 'rel="prev" href="?party=R&amp;page_size=5&amp;page=1"' in html
    assert 'rel="next" href="?party=R&amp;page_size=5&amp;page=3"' in html


def test_bad_filter_shows_message_and_keeps_the_typed_value(web: TestClient) -> None:
    response = web.get("/trades?state=CAL&member=wyden")
    assert response.status_code == 422
    html = response.text
    assert "<strong>state</strong>: state must be a two-letter postal code" in html
    assert 'name="state" type="text" value="CAL"' in html
    assert 'value="wyden"' in html
    assert row_count(html) == 0


def test_superseded_rows_are_marked(web: TestClient) -> None:
    html = web.get("/trades?member=C001120&include_superseded=true").text
    assert row_count(html) == 4
    assert "superseded by 20021950" in html
    assert 'name="include_superseded" type="checkbox" value="true"\n' in html
    assert "checked" in html
    assert '<span class="tag late">late</span>' in html


def test_member_page(web: TestClient) -> None:
    response = web.get("/members/C001035")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Susan M. Collins" in html
    assert "<dd>Republican</dd>" in html
    # Seats link to their committee pages; subcommittees are listed apart.
    assert '<a href="/committees/SSAP">Senate Committee on Appropriations</a>' in html
    assert '<a href="/committees/SSAP02">Department of Defense</a>' in html
    assert row_count(html) == 6
    assert 'href="/api/members/C001035"' in html
    assert 'href="/api/trades?member=C001035"' in html
    assert 'name="member"' not in html  # the member is fixed on their own page


def test_member_page_filters_and_open_ended_band(web: TestClient) -> None:
    html = web.get("/members/P000197?tx_type=P").text
    assert row_count(html) == 3
    assert 'href="/api/trades?tx_type=P&amp;member=P000197"' in html
    assert "Over $1,000,000" in html
    assert "<dt>District</dt><dd>11</dd>" in html


def test_unknown_member_page_is_404_html(web: TestClient) -> None:
    response = web.get("/members/Z999999")
    assert response.status_code == 404
    assert "No member with bioguide id" in response.text
    assert 'href="/members?include_without_trades=true"' in response.text


def test_members_page(web: TestClient) -> None:
    html = web.get("/members?chamber=house&sort=name").text
    names = re.findall(r'<a href="/members/(\w+)">', html)
    assert names == ["C001120", "G000583", "P000197"]
    assert '<option value="house" selected>House</option>' in html


def test_pages_answer_503_html_before_the_warehouse_exists(tmp_path: Path) -> None:
    app = create_web_app(Settings(home=tmp_path, warehouse_path=tmp_path / "none.duckdb"))
    with TestClient(app) as client:
        page = client.get("/trades")
        api = client.get("/api/trades")
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "stockyard demo --no-serve" in page.text
    assert api.status_code == 503
    assert api.json()["detail"].startswith("warehouse not built yet")


def test_assets_are_local(web: TestClient) -> None:
    html = web.get("/").text
    css = web.get("/static/style.css")
    assert css.status_code == 200
    assert "@media" in css.text  # phone-width layout
    assert 'name="viewport"' in html
    assert not re.search(r'<(link|script)[^>]+(href|src)="https?://', html)


def test_every_form_control_has_a_label(web: TestClient) -> None:
    html = web.get("/trades").text
    control_ids = set(re.findall(r'<(?:input|select) id="([^"]+)"', html))
    label_targets = set(re.findall(r'<label for="([^"]+)"', html))
    assert control_ids
    assert control_ids <= label_targets
