"""Partitions: the House index is yearly, Senate filings and vendor feeds are daily."""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg

FIRST_YEAR = 2012  # the eFD site and the Clerk's electronic PTRs start here

YEARLY = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start=str(FIRST_YEAR), fmt="%Y", end_offset=1
)
DAILY = dg.DailyPartitionsDefinition(start_date=f"{FIRST_YEAR}-01-01", end_offset=1)


def years_in(context: dg.AssetExecutionContext) -> list[int]:
    window = context.partition_key_range
    return list(range(int(window.start), int(window.end) + 1))


def days_in(context: dg.AssetExecutionContext) -> tuple[date, date]:
    window = context.partition_key_range
    return date.fromisoformat(window.start), date.fromisoformat(window.end)


def each_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
