"""Treasury ingest end to end: replayed real pages → landing → raw tables (one DuckDB file)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from stockyard.config import Settings
from stockyard.pipeline.ingest import treasury
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import Fault, ReplayServer
from stockyard.sources.treasury import Window, dataset
from stockyard.warehouse.treasury import load_treasury_rows

pytestmark = pytest.mark.integration

TWO_WEEKS = Window(date(2020, 1, 4), date(2020, 1, 17))
# Served from tests/fixtures/http/treasury: the real rows of 2020-01-10 and 2020-01-17 again, with
# 2020-01-17 "re-published": its FTD line +1,000 and its Air Transport Security Fees line gone.
REPUBLISHED = Window(date(2020, 1, 10), date(2020, 1, 17))
DEPOSITS = dataset("dts_deposits")
FTD = "Cash FTD's Received (Table IV)"


def runtime(home: Path, replay: ReplayServer) -> Runtime:
    fast = {"rate_per_second": 1000, "burst": 100, "max_retries": 1, "max_backoff_seconds": 0.01}
    return Runtime(Settings(home=home, treasury={"base_url": replay.base_url("treasury"), **fast}))


def rows(rt: Runtime, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with rt.warehouse() as con:
        return con.execute(sql, params or []).fetchall()


def per_day(rt: Runtime) -> dict[date, tuple[int, Decimal]]:
    found = rows(
        rt,
        "SELECT record_date, count(*), sum(transaction_today_amt) "
        "FROM raw.treasury_dts_deposits GROUP BY 1",
    )
    return {day: (n, total) for day, n, total in found}


def ftd(rt: Runtime, day: date) -> Decimal:
    [(amount,)] = rows(
        rt,
        "SELECT transaction_today_amt FROM raw.treasury_dts_deposits "
        "WHERE record_date = ? AND transaction_catg = ?",
        [day, FTD],
    )
    return Decimal(amount)


def test_a_window_loads_every_page_and_the_nulls_as_null(
    tmp_path: Path, replay: ReplayServer
) -> None:
    rt = runtime(tmp_path, replay)
    run = treasury.run_dataset(
        rt, DEPOSITS, today=date(2020, 1, 17), window=TWO_WEEKS, page_size=100
    )
    assert run.report.errors == []
    assert (run.report.fetched, run.report.loaded_documents) == (3, 267)
    assert run.watermark == date(2020, 1, 17)
    [(nulls, strings)] = rows(
        rt,
        "SELECT count(*) FILTER (WHERE transaction_catg_desc IS NULL), "
        "count(*) FILTER (WHERE transaction_catg_desc = 'null') FROM raw.treasury_dts_deposits",
    )
    assert nulls > 200 and strings == 0
    assert ftd(rt, date(2020, 1, 17)) == Decimal(8861)  # the real DTS figure, USD millions
    # Every page was landed once, gzip, with the manifest pointing at it.
    assert len(rt.landing.latest("treasury", "dts_deposits", TWO_WEEKS.key)) == 3


def test_a_re_published_date_replaces_its_rows_and_nothing_else(
    tmp_path: Path, replay: ReplayServer
) -> None:
    rt = runtime(tmp_path, replay)
    treasury.run_dataset(rt, DEPOSITS, today=date(2020, 1, 17), window=TWO_WEEKS, page_size=100)
    before = per_day(rt)
    run = treasury.run_dataset(
        rt, DEPOSITS, today=date(2020, 1, 17), window=REPUBLISHED, page_size=100
    )
    assert run.report.errors == [] and run.report.loaded_documents == 162
    after = per_day(rt)
    jan17 = date(2020, 1, 17)
    # One line fewer and +1,000 on the FTD line, -1 for the fees line that left (it was $1M).
    assert after[jan17][0] == before[jan17][0] - 1
    assert ftd(rt, jan17) == Decimal(8861 + 1000)
    assert after[jan17][1] == before[jan17][1] + 1000 - 1
    # 2020-01-10 came again unchanged: no duplicate rows; earlier days untouched.
    assert {day: v for day, v in after.items() if day != jan17} == {
        day: v for day, v in before.items() if day != jan17
    }
    # Loading the same window again changes nothing (idempotent).
    treasury.run_dataset(rt, DEPOSITS, today=date(2020, 1, 17), window=REPUBLISHED, page_size=100)
    assert per_day(rt) == after


def test_a_truncated_page_loads_nothing_and_keeps_what_was_loaded(
    tmp_path: Path, replay: ReplayServer
) -> None:
    rt = runtime(tmp_path, replay)
    treasury.run_dataset(rt, DEPOSITS, today=date(2020, 1, 17), window=TWO_WEEKS, page_size=100)
    before = per_day(rt)
    path = "/treasury/v1/accounting/dts/deposits_withdrawals_operating_cash"
    replay.inject(Fault("truncate", path=path, times=2))  # both attempts of the first page
    run = treasury.run_dataset(
        rt, DEPOSITS, today=date(2020, 1, 17), window=REPUBLISHED, page_size=100
    )
    assert len(run.report.errors) == 1
    assert "gave up after 2 attempts" in run.report.errors[0]
    assert "run again" in run.report.errors[0]
    assert run.report.loaded_documents == 0
    assert per_day(rt) == before


def test_the_next_window_starts_a_week_before_the_watermark(
    tmp_path: Path, replay: ReplayServer
) -> None:
    rt = runtime(tmp_path, replay)
    fresh = treasury.next_window(rt, DEPOSITS, date(2020, 2, 1))
    assert fresh == Window(treasury.HISTORY_START, date(2020, 2, 1))
    treasury.run_dataset(rt, DEPOSITS, today=date(2020, 1, 17), window=TWO_WEEKS, page_size=100)
    assert treasury.next_window(rt, DEPOSITS, date(2020, 2, 1)) == Window(
        date(2020, 1, 10), date(2020, 2, 1)
    )


def test_a_row_without_a_record_date_is_quarantined_with_the_reason(
    tmp_path: Path, replay: ReplayServer
) -> None:
    rt = runtime(tmp_path, replay)
    good = {"record_date": date(2020, 1, 6), "transaction_catg": FTD, "transaction_today_amt": 1}
    with rt.warehouse() as con:
        result = load_treasury_rows(
            con,
            table=DEPOSITS.raw_table,
            dataset=DEPOSITS.name,
            partition="manual",
            rows=[(good, "landing/page-1"), ({**good, "record_date": None}, "landing/page-1")],
        )
    assert (result.rows, result.quarantined) == (1, 1)
    [(reason, ref)] = rows(rt, "SELECT reason, record_ref FROM raw.quarantine")
    assert reason == "row has no record_date" and ref == "row 1"
