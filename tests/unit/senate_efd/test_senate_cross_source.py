"""The eFD page parser against two independent parses of the same filings.

1. Senate Stock Watcher (bundled ``all_daily_summaries.json``): matched by the eFD report UUID.
   Agreement: all 105 bundled UUID reports (1,014 rows), every field of every row (as multisets).
   The upstream index had matched the watcher to 4 further pages by surname + filed date; those
   are Loeffler's same-day amendments, whose own UUIDs the watcher snapshot never had (it lists
   the originals only). They carry derived ids in the bundle and are not compared here.
2. loemra/Insider-Trading's own regex parse of these pages (``tests/fixtures/senate_efd``),
   matched by filer surname (any filer that day for "Former Senator") + filed date. That parse keeps only purchases and sales of Stock and
   Stock Option rows with a ticker (both sale kinds as "S"), so ours is filtered the same way.
   Agreement: all 158 of its filings / 2,045 trades. Where one filer filed several different
   reports on one day the match is ambiguous; it must then equal one of the candidates.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stockyard.models import ParsedDocument, ParsedTransaction
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.senate_efd import parse_ptr_page
from stockyard.sources.watchers import parse_senate_watcher

PAGES = SAMPLE_ROOT / "senate_efd" / "search" / "view" / "ptr"
LOEMRA = Path(__file__).resolve().parents[2] / "fixtures" / "senate_efd"
WATCHER = SAMPLE_ROOT / "senate_watcher" / "aggregate" / "all_daily_summaries.json.gz"


@pytest.fixture(scope="module")
def pages() -> dict[str, ParsedDocument]:
    return {
        folder.name: parse_ptr_page(
            gzip.decompress((folder / "index.html.gz").read_bytes()), folder.name
        )
        for folder in sorted(PAGES.iterdir())
    }


def _row(t: ParsedTransaction) -> tuple[Any, ...]:
    return (
        t.tx_date,
        t.owner,
        t.ticker,
        t.asset_name,
        t.asset_type,
        t.asset_type_text,
        t.tx_type,
        t.amount_min,
        t.amount_max,
        t.description,
        t.comment,
    )


def test_agrees_with_senate_stock_watcher(pages: dict[str, ParsedDocument]) -> None:
    watcher = {
        doc.doc_id: doc
        for doc in parse_senate_watcher(gzip.decompress(WATCHER.read_bytes())).documents
    }
    matched = [rid for rid in pages if rid in watcher]
    assert len(matched) == 105
    agree = [
        rid
        for rid in matched
        if Counter(map(_row, pages[rid].transactions))
        == Counter(map(_row, watcher[rid].transactions))
    ]
    assert len(agree) == len(matched)
    assert sum(len(pages[rid].transactions) for rid in agree) == 1014
    assert all(pages[rid].filed_date == watcher[rid].filed_date for rid in matched)


def _loemra(year: int) -> list[dict[str, Any]]:
    path = LOEMRA / f"loemra_senate-transactions-{year}.json.gz"
    filings: list[dict[str, Any]] = json.loads(gzip.decompress(path.read_bytes()))
    return filings


def _loemra_view(doc: ParsedDocument) -> Counter[tuple[str | None, str, str, str]]:
    kept = (
        t
        for t in doc.transactions
        if t.ticker and t.asset_type_text in ("Stock", "Stock Option") and t.tx_type != "E"
    )
    return Counter(
        (
            t.ticker,
            f"{t.tx_date:%m/%d/%Y}",
            (t.tx_type or "")[:1],  # "S (partial)" → "S"
            (t.amount_text or "").replace(" ", ""),
        )
        for t in kept
    )


def test_agrees_with_loemra_parse(pages: dict[str, ParsedDocument]) -> None:
    by_filer_day: dict[tuple[str, date], list[ParsedDocument]] = defaultdict(list)
    for doc in pages.values():
        assert doc.filer_name is not None and doc.filed_date is not None
        # loemra names a filer by the page's "(Last, First)", or "Former Senator" for ex-members.
        for word in [*doc.filer_name.split(), "Former Senator"]:
            by_filer_day[(word, doc.filed_date)].append(doc)
    filings = trades = ambiguous = 0
    for year in (2020, 2022):
        for filing in _loemra(year):
            surname = filing["filer_information"]["name"].split(",")[0]
            theirs = Counter(
                (t["ticker"], t["transaction_date"], t["transaction_type"], t["amount"])
                for t in filing["trades"]
            )
            (filed,) = {t["notification_date"] for t in filing["trades"]}
            day = date(int(filed[6:]), int(filed[:2]), int(filed[3:5]))
            candidates = by_filer_day[(surname, day)]
            assert candidates, (surname, filed)
            views = [_loemra_view(doc) for doc in candidates]
            assert theirs in views, (surname, filed)
            ambiguous += len({tuple(sorted(v.items())) for v in views}) > 1
            filings += 1
            trades += sum(theirs.values())
    assert (filings, trades) == (158, 2045)
    assert ambiguous == 13
