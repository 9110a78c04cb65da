"""Faults at the sources, re-runs and a failing audit, through the real pipeline and replay server."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.pipeline.definitions import MARKET_JOB, NSE_JOB, SENATE_JOB, TRANSFORM_JOB
from stockyard.pipeline.run import RunSummary, run_pipeline
from stockyard.replay import SAMPLE_ROOT, Fault, ReplayServer, demo_source_overrides
from stockyard.warehouse import serving
from stockyard.warehouse.review import add_correction, list_corrections
from stockyard.warehouse.review_store import ReviewStore
from stockyard.web import create_web_app
from support.served_home import Poll, polled, stockyard_serve

pytestmark = pytest.mark.integration

FROM, TO = date(2020, 1, 1), date(2021, 12, 31)
# The faults here are the House index and PDFs (both years) and Senate pages; one month of Senate
# reports shows its retries, and prices and NSE files only need a re-run check, so short windows
# keep these runs (two full runs and a transform) short.
SHORT_WINDOWS = {
    SENATE_JOB: [(date(2020, 12, 1), date(2020, 12, 31))],
    MARKET_JOB: [(date(2020, 12, 1), date(2020, 12, 31))],
    NSE_JOB: [(date(2021, 5, 31), date(2021, 6, 4))],
}
INDEX_2021 = "/house_clerk/public_disc/financial-pdfs/2021FD.zip"


def checksum(
    con: duckdb.DuckDBPyConnection, table: str, columns: str, order_by: str
) -> tuple[int, str]:
    count, digest = con.execute(
        f"SELECT count(*), md5(coalesce(string_agg(concat_ws('|', {columns}), '\n' "
        f"ORDER BY {order_by}), '')) FROM {table}"
    ).fetchone()  # type: ignore[misc]
    return int(count), str(digest)


def snapshot(path: Path) -> dict[str, tuple[int, str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "fct_trades": checksum(con, "marts.fct_trades t", "t::VARCHAR", "t.trade_id"),
            "fct_filings": checksum(
                con, "marts.fct_filings f", "f::VARCHAR", "f.filing_id, f.source"
            ),
            "raw.transactions": checksum(
                con,
                "raw.transactions",
                'source, doc_id, "row", asset_name, tx_date, amount_min, amount_max',
                'source, doc_id, "row"',
            ),
            "raw.fd_index": checksum(con, "raw.fd_index", "doc_id, filing_date", "doc_id"),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def faulty_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An overlay on the real sample: a truncated 2020 index zip and a corrupt 2021 PTR PDF."""
    overlay = tmp_path_factory.mktemp("overlay")
    real_zip = (SAMPLE_ROOT / "house_clerk/public_disc/financial-pdfs/2020FD.zip").read_bytes()
    bad_zip = overlay / "house_clerk/public_disc/financial-pdfs/2020FD.zip"
    bad_zip.parent.mkdir(parents=True)
    bad_zip.write_bytes(real_zip[: len(real_zip) // 3])
    bad_pdf = overlay / "house_clerk/public_disc/ptr-pdfs/2021/20019331.pdf"
    bad_pdf.parent.mkdir(parents=True)
    bad_pdf.write_bytes(b"%PDF-1.4\n%garbage that is not a PDF body\n")
    return overlay


@pytest.fixture(scope="module")
def faulty_run(
    tmp_path_factory: pytest.TempPathFactory, faulty_sample: Path
) -> tuple[Path, RunSummary, ReplayServer]:
    home = tmp_path_factory.mktemp("faulty-home")
    with ReplayServer([SAMPLE_ROOT, faulty_sample]) as replay:
        replay.inject(
            Fault("status", path=INDEX_2021, status=429, retry_after="1", times=2),
            Fault("status", path="/senate_efd/search/view/ptr/*", status=500, times=3),
            Fault("truncate", path="/legislators/legislators-current.yaml"),
        )
        settings = Settings(home=home, **demo_source_overrides(replay.url))
        summary = run_pipeline(settings, FROM, TO, job_windows=SHORT_WINDOWS)
    return home, summary, replay


def test_run_survives_faults_and_loads_the_good_data(
    faulty_run: tuple[Path, RunSummary, ReplayServer],
) -> None:
    home, summary, replay = faulty_run
    assert summary.success, [s.error for s in summary.stages]
    assert replay.count(INDEX_2021) == 3  # two 429s waited out, then the real answer
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        years = dict(
            con.execute("SELECT _partition, count(*) FROM raw.fd_index GROUP BY 1").fetchall()
        )
        assert years.get("2021", 0) > 2000 and "2020" not in years
        reasons = [r[0] for r in con.execute("SELECT reason FROM raw.quarantine").fetchall()]
        assert any("unreadable index file" in r for r in reasons), reasons[:5]
        status = con.execute(
            "SELECT status, error FROM raw.documents WHERE source = 'house_clerk' AND doc_id = '20019331'"
        ).fetchone()
        assert status is not None and status[0] == "error" and status[1]
        parsed = con.execute(
            "SELECT count(*) FROM marts.fct_trades WHERE source = 'house_clerk' AND filing_id = 'house-20017909'"
        ).fetchone()
        assert parsed is not None and parsed[0] > 0  # the other 2021 PDF still loads
        # the first Senate report pages answered 500 three times: retried, read, published
        senate = con.execute(
            "SELECT count(*) FROM marts.fct_trades WHERE source = 'senate_efd'"
        ).fetchone()
        assert senate is not None and senate[0] > 0
    finally:
        con.close()


def snapshot_apart_from(path: Path, filing_id: str, row: int) -> dict[str, tuple[int, str]]:
    """The snapshot, but fct_trades without one row (the one a reviewer corrects in between)."""
    tables = snapshot(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        others = (
            f"(SELECT * FROM marts.fct_trades WHERE filing_id <> '{filing_id}' "
            f"OR row_position <> {int(row)}) t"
        )
        tables["fct_trades"] = checksum(con, others, "t::VARCHAR", "t.trade_id")
    finally:
        con.close()
    return tables


REVIEWER = "A. Reviewer"
FIXES = (("asset_name", "Apple Inc."), ("tx_date", "2021-05-04"))


@dataclass(frozen=True)
class ReRun:
    """The faulty home run again over the same partitions, with a review fix recorded between."""

    home: Path
    before: dict[str, tuple[int, str]]
    after: dict[str, tuple[int, str]]
    filing_id: str
    row: int
    ocr_name: str | None
    ocr_date: date | None
    pending_before: list[bool]
    poll: Poll  # what a reader of the site got while the re-run wrote


@pytest.fixture(scope="module")
def rerun(faulty_run: tuple[Path, RunSummary, ReplayServer], faulty_sample: Path) -> ReRun:
    # One re-run serves both checks: it is the slowest step of this module.
    home, _, _ = faulty_run
    path = home / "warehouse.duckdb"
    store = ReviewStore(Settings(home=home).resolved_review_db_path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        # a row OCR read from one of the bundled 2021 scans, its name and date flagged
        found = con.execute(
            """SELECT filing_id, row_position, asset_name, tx_date FROM marts.fct_trades
               WHERE text_source = 'ocr' AND list_contains(needs_review, 'asset_name')
                 AND list_contains(needs_review, 'tx_date')
               ORDER BY filing_id, row_position LIMIT 1"""
        ).fetchone()
        assert found is not None
        filing_id, row, ocr_name, ocr_date = found
        for field, value in FIXES:
            add_correction(
                con,
                store,
                filing_id=filing_id,
                row_position=row,
                field=field,
                value=value,
                reviewer=REVIEWER,
                note="typed from the page image",
            )
        pending = [c.applied for c in list_corrections(con, store, filing_id)]
    finally:
        con.close()
    before = snapshot_apart_from(path, filing_id, row)
    # The site stays up over this home throughout, read every 0.2 s, as a user would run
    # `stockyard serve` beside the daily pipeline.
    watched = (f"/api/filings/{filing_id}", "/api/pipeline", "/api/trades?chamber=senate", "/")
    with (
        stockyard_serve(home) as url,
        polled(url, watched) as poll,
        ReplayServer([SAMPLE_ROOT, faulty_sample]) as replay,
    ):
        settings = Settings(home=home, **demo_source_overrides(replay.url))
        again = run_pipeline(settings, FROM, TO, job_windows=SHORT_WINDOWS)
        time.sleep(len(watched) * 0.2 * 3)  # the publish is the run's last step: read it too
    assert again.success, [s.error for s in again.stages]
    after = snapshot_apart_from(path, filing_id, row)
    return ReRun(home, before, after, filing_id, row, ocr_name, ocr_date, pending, poll)


def test_same_partitions_twice_give_identical_tables(rerun: ReRun) -> None:
    # raw.transactions whole (the re-parse reads OCR's values again, the fix sits apart), and
    # every mart row but the corrected one
    assert rerun.after == rerun.before


def test_the_site_answers_throughout_a_full_run_over_its_home(rerun: ReRun) -> None:
    poll = rerun.poll
    assert len(poll.answers) > 100, len(poll.answers)  # the run lasts minutes
    assert poll.failures() == []  # no 503 while the pipeline writes, no refused connection
    # The old publish until the run published, then the new one: never back, never a third.
    served = [b["readiness"]["served_publish"] for b in poll.bodies("/api/pipeline")]
    switches = [i for i in range(1, len(served)) if served[i] != served[i - 1]]
    assert served[0] is not None and len(switches) == 1, sorted(set(served))
    # Every answer is one publish, whole: a filing's count matches its rows, and the corrected
    # row shows the fix exactly when the same answer says the fix is published.
    filings = poll.bodies(f"/api/filings/{rerun.filing_id}")
    states = set()
    for body in filings:
        assert body["filing"]["trade_rows"] == len(body["trades"])
        row = next(t for t in body["trades"] if t["row_position"] == rerun.row)
        applied = {c["field"] for c in body["corrections"] if c["applied"]}
        assert (row["asset_name"] == "Apple Inc.") == ("asset_name" in applied)
        states.add(row["asset_name"] == "Apple Inc.")
    assert states == {False, True}  # both the old and the new publish were seen
    trades = poll.bodies("/api/trades?chamber=senate")
    assert trades and len({b["total"] for b in trades}) == 1  # the re-run changed no Senate row


def test_a_review_correction_survives_a_full_re_run_and_shows_its_trail(rerun: ReRun) -> None:
    assert rerun.pending_before == [False, False]  # recorded, not yet published
    path = rerun.home / "warehouse.duckdb"
    store = ReviewStore(Settings(home=rerun.home).resolved_review_db_path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        published = con.execute(
            """SELECT asset_name, tx_date, ticker_key, needs_review, reviewed_fields, review_trail
               FROM marts.fct_trades WHERE filing_id = ? AND row_position = ?""",
            [rerun.filing_id, rerun.row],
        ).fetchone()
        assert published is not None
        name, tx_date, ticker_key, needs_review, reviewed, trail = published
        assert (name, str(tx_date)) == ("Apple Inc.", "2021-05-04")
        assert ticker_key == "AAPL"  # the ticker follows the corrected name
        assert reviewed == ["asset_name", "tx_date"]
        assert "asset_name" not in needs_review and "tx_date" not in needs_review
        old_date = rerun.ocr_date.isoformat() if rerun.ocr_date else None
        assert {(t["field"], t["old_value"], t["reviewer"]) for t in trail} == {
            ("asset_name", rerun.ocr_name, REVIEWER),
            ("tx_date", old_date, REVIEWER),
        }
        # the re-parse wrote OCR's own reading again; the fix sits on top of it, untouched
        raw_name = con.execute(
            """SELECT asset_name FROM raw.transactions WHERE source = 'house_clerk'
               AND doc_id = ? AND "row" = ?""",
            [rerun.filing_id.removeprefix("house-"), rerun.row],
        ).fetchone()
        assert raw_name == (rerun.ocr_name,)
        assert [c.applied for c in list_corrections(con, store, rerun.filing_id)] == [True, True]
    finally:
        con.close()

    # No lingering read-only connection: the next test writes this warehouse from this process.
    served = Settings(home=rerun.home, reader_linger_seconds=0)
    with TestClient(create_web_app(served)) as web:
        html = web.get(f"/filings/{rerun.filing_id}").text
        assert "corrected by review" in html and "Review trail" in html and REVIEWER in html
        twin = web.get(f"/api/filings/{rerun.filing_id}").json()
    assert {c["field"] for c in twin["corrections"] if c["applied"]} == {"asset_name", "tx_date"}


def test_failing_audit_leaves_marts_unchanged(
    faulty_run: tuple[Path, RunSummary, ReplayServer],
) -> None:
    home, _, _ = faulty_run
    path = home / "warehouse.duckdb"
    before = snapshot(path)
    served_before = serving.current(serving.serving_dir(path))
    con = duckdb.connect(str(path))
    con.execute(
        "UPDATE raw.transactions SET amount_min = 5000000, amount_max = 1000 "
        'WHERE (source, doc_id, "row") IN (SELECT source, doc_id, "row" FROM raw.transactions '
        "WHERE source = 'senate_efd' ORDER BY doc_id, \"row\" LIMIT 1)"
    )
    con.close()
    with ReplayServer(SAMPLE_ROOT) as replay:
        settings = Settings(home=home, **demo_source_overrides(replay.url))
        summary = run_pipeline(settings, FROM, TO, jobs=[TRANSFORM_JOB])
    assert not summary.success
    error = summary.stages[-1].error or ""
    assert "amount_min" in error and "marts left exactly as they were" in error
    assert snapshot(path)["fct_trades"] == before["fct_trades"]
    # and readers keep the last good publish: no snapshot is taken of a failed audit
    assert served_before is not None
    assert serving.current(serving.serving_dir(path)) == served_before
    con = duckdb.connect(str(path), read_only=True)
    passed = con.execute(
        "SELECT passed FROM raw.audit_runs ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    con.close()
    assert passed == (False,)
