"""The Fiscal Data client against the replay server: paging, filters, faults."""

from __future__ import annotations

from datetime import date

import pytest

from stockyard.config import SourceSettings
from stockyard.replay import Fault, ReplayServer
from stockyard.sources.http import HttpClient, SourceError
from stockyard.sources.treasury import TreasuryClient, Window, dataset, parse_envelope

TWO_WEEKS = Window(date(2020, 1, 4), date(2020, 1, 17))


def client(replay: ReplayServer, page_size: int = 100) -> TreasuryClient:
    settings = SourceSettings(
        base_url=replay.base_url("treasury"),
        rate_per_second=1000,
        burst=100,
        max_retries=1,
        max_backoff_seconds=0.01,
    )
    return TreasuryClient(HttpClient("treasury", settings, backoff_base=0.01), page_size)


def test_pages_are_followed_to_the_last_one(replay: ReplayServer) -> None:
    pages = list(client(replay).iter_pages(dataset("dts_deposits"), TWO_WEEKS))
    assert [p.number for p in pages] == [1, 2, 3]
    rows = [row for p in pages for row in parse_envelope(p.fetched.content).rows]
    assert len(rows) == 267
    assert {row["record_date"] for row in rows} == {
        date(2020, 1, d) for d in (6, 7, 8, 9, 10, 13, 14, 15, 16, 17)
    }
    [request] = [r for r in replay.requests if "page%5Bnumber%5D=3" in r.query]
    # The window and the dataset's fixed filter travel as one `filter`, sorted stably.
    assert "record_date%3Agte%3A2020-01-04%2Crecord_date%3Alte%3A2020-01-17" in request.query
    assert "transaction_type%3Aeq%3ADeposits" in request.query
    assert "sort=record_date%2Csrc_line_nbr" in request.query


def test_an_empty_answer_is_one_page_and_no_rows(replay: ReplayServer) -> None:
    pages = list(client(replay, 10_000).iter_pages(dataset("debt_to_penny"), TWO_WEEKS))
    assert len(pages) == 1
    envelope = parse_envelope(pages[0].fetched.content)
    assert envelope.rows == [] and envelope.total_count == 0


def test_a_page_truncated_on_every_try_is_a_source_error(replay: ReplayServer) -> None:
    path = "/treasury/v1/accounting/dts/deposits_withdrawals_operating_cash"
    treasury = client(replay)
    pages = treasury.iter_pages(dataset("dts_deposits"), TWO_WEEKS)
    next(pages)
    replay.inject(Fault("truncate", path=path, times=2))  # max_retries=1: two attempts
    with pytest.raises(SourceError, match="gave up after 2 attempts"):
        next(pages)


def test_one_truncated_answer_is_retried(replay: ReplayServer) -> None:
    path = "/treasury/v1/accounting/dts/deposits_withdrawals_operating_cash"
    replay.inject(Fault("truncate", path=path, times=1))
    pages = list(client(replay).iter_pages(dataset("dts_deposits"), TWO_WEEKS))
    assert len(pages) == 3
    assert replay.count(path) == 4
