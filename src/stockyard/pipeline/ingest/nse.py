"""NSE bhavcopy: for each day, both formats → land → parse → ``raw.nse_bhavcopy``.

Landing layout (source ``nse``): ``<format>/<day>/<file>`` with format ``bhavcopy_full`` or
``bhavcopy_legacy``. A day NSE has no file for (404: a holiday, a weekend) is counted as missing,
not as an error. A file already landed is not fetched again (end-of-day files do not change);
one that cannot be parsed is kept under a ``.rejected`` name and asked for again next run.
"""

from __future__ import annotations

from datetime import date

from stockyard.models import QuarantineRecord
from stockyard.pipeline.partitions import each_day
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import SourceError
from stockyard.sources.nse import (
    FULL,
    LEGACY,
    PARSER_VERSION,
    BhavcopyParse,
    NseClient,
    NseFormatError,
    formats_for,
    parse_full_bhavcopy,
    parse_legacy_bhavcopy,
)
from stockyard.warehouse.nse import load_bhavcopy
from stockyard.warehouse.raw import load_quarantine

SOURCE = "nse"
FILE_NAMES = {FULL: "sec_bhavdata_full.csv", LEGACY: "cm_bhav.csv.zip"}
REJECTED_SUFFIX = ".rejected"


def parse(file_format: str, content: bytes, day: date) -> BhavcopyParse:
    parser = parse_full_bhavcopy if file_format == FULL else parse_legacy_bhavcopy
    return parser(content, expect_day=day)


def fetch_days(runtime: Runtime, start: date, end: date) -> StepReport:
    report = StepReport()
    client = NseClient(runtime.http(SOURCE))
    zone = runtime.landing
    for day in each_day(start, end):
        for file_format in formats_for(day):
            name = FILE_NAMES[file_format]
            if zone.find(SOURCE, file_format, day.isoformat(), name) is not None:
                continue
            try:
                fetched = client.bhavcopy(file_format, day)
            except SourceError as exc:
                report.errors.append(f"nse {file_format} {day}: {exc}")
                continue
            if fetched is None:
                report.missing += 1  # no file that day: a holiday or weekend
                continue
            try:
                parse(file_format, fetched.content, day)
            except NseFormatError as exc:
                runtime.land(
                    SOURCE, file_format, day.isoformat(), name + REJECTED_SUFFIX, fetched, report
                )
                report.errors.append(
                    f"nse {file_format} {day}: {exc}. Kept as {name}{REJECTED_SUFFIX}; the next "
                    "run asks for it again."
                )
                continue
            runtime.land(SOURCE, file_format, day.isoformat(), name, fetched, report)
    return report


def load_days(runtime: Runtime, start: date, end: date) -> StepReport:
    """Load every landed file of [start, end] (both formats), one transaction per file."""
    report = StepReport()
    zone = runtime.landing
    with runtime.warehouse() as con:
        for file_format in (FULL, LEGACY):
            for day in zone.partitions(SOURCE, file_format):
                if not start.isoformat() <= day <= end.isoformat():
                    continue
                landed = zone.find(SOURCE, file_format, day, FILE_NAMES[file_format])
                if landed is None:
                    continue
                path = zone.uri(landed)
                try:
                    parsed = parse(file_format, zone.read(landed), date.fromisoformat(day))
                except NseFormatError as exc:
                    record = QuarantineRecord(SOURCE, file_format, f"unreadable file: {exc}", path)
                    load_quarantine(
                        con, source=SOURCE, dataset=file_format, partition=day, records=[record]
                    )
                    report.quarantined += 1
                    continue
                result = load_bhavcopy(
                    con,
                    file_format=file_format,
                    partition=day,
                    rows=parsed.rows,
                    rejects=parsed.rejects,
                    landing_path=path,
                    parser_version=PARSER_VERSION,
                )
                report.count_load(result)
    return report
