"""NSE and news ingest through the replay server: holidays, quarantine, watermarks, dedup."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest

from stockyard.config import Settings
from stockyard.pipeline.ingest import nse
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import ReplayServer, demo_source_overrides
from support.global_markets import GlobalBuild

pytestmark = pytest.mark.integration

DUPLICATED = "business/2023/apr/02/property-tycoon-nick-candy-locked-in-legal-fight-with-former-business-partner"


def _db(build: GlobalBuild) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(build.warehouse), read_only=True)


def test_nse_weekends_are_missing_files_not_errors(global_build: GlobalBuild) -> None:
    june, january = global_build.nse_fetch
    # 2021-05-29..06-06: 5 sessions × 2 formats landed; 2 weekends × 2 formats answered 404.
    assert (june.landed, june.missing, june.errors) == (10, 8, [])
    # 2024: the full file each day; the legacy format is not in the sample (404 = no file).
    assert (january.landed, january.missing, january.errors) == (5, 5, [])


def test_nse_rows_of_both_formats_are_loaded_once(global_build: GlobalBuild) -> None:
    with _db(global_build) as con:
        counts = dict(
            con.execute(
                "SELECT file_format, count(*) FROM raw.nse_bhavcopy GROUP BY ALL"
            ).fetchall()
        )
        duplicates = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM raw.nse_bhavcopy "
            "GROUP BY file_format, symbol, series, trade_date HAVING count(*) > 1)"
        ).fetchone()
    assert counts == {"bhavcopy_full": 10238 + 12982, "bhavcopy_legacy": 10299}
    assert duplicates == (0,)


def test_a_malformed_line_is_quarantined_and_the_rest_of_the_day_loads(
    replay: ReplayServer, tmp_path: Path
) -> None:
    # `replay` serves tests/fixtures/http over the sample: its damaged 2021-06-04 full file.
    runtime = Runtime(Settings(home=tmp_path, **demo_source_overrides(replay.url)))
    day = date(2021, 6, 4)
    fetched = nse.fetch_days(runtime, day, day)
    loaded = nse.load_days(runtime, day, day)
    again = nse.load_days(runtime, day, day)
    runtime.close()
    assert (fetched.landed, fetched.errors) == (2, [])
    assert (loaded.loaded_documents, loaded.quarantined) == (28 + 2070, 1)
    assert again.loaded_documents == loaded.loaded_documents  # a reload replaces, never adds
    with duckdb.connect(str(runtime.settings.resolved_warehouse_path), read_only=True) as con:
        rows = con.execute(
            "SELECT record_ref, reason, landing_path FROM raw.quarantine WHERE source = 'nse'"
        ).fetchall()
        full_rows = con.execute(
            "SELECT count(*) FROM raw.nse_bhavcopy WHERE file_format = 'bhavcopy_full'"
        ).fetchone()
    assert full_rows == (28,)
    [(ref, reason, path)] = rows
    assert (ref, reason) == ("line 12", "9 fields, expected 15")
    assert "/nse/bhavcopy_full/2021-06-04/sec_bhavdata_full.csv" in path


def test_guardian_pages_to_the_last_page_and_lands_a_duplicated_article_once(
    global_build: GlobalBuild,
) -> None:
    first, second = global_build.guardian_runs
    first_requests = [parse_qs(r.query) for r in global_build.guardian_requests[0]]
    terms = global_build.settings.news.query_terms
    # Each term paged 1 → 3 (the last page the API reports).
    assert [(q["q"][0], q["page"][0]) for q in first_requests] == [
        (term, str(page)) for term in terms for page in (1, 2, 3)
    ]
    # 31 results per search, one article on two pages: 30 articles, stored once whatever the term.
    assert first.step.loaded_documents == 30
    assert first.repeated_in_load == len(terms)
    with _db(global_build) as con:
        stored = con.execute(
            "SELECT count(*) FROM raw.news_articles WHERE provider = 'guardian' AND article_id = ?",
            [DUPLICATED],
        ).fetchone()
    assert stored == (1,)
    # The second run starts at each term's watermark: nothing new, and it stops paging early.
    assert second.step.loaded_documents == 0
    second_requests = [parse_qs(r.query) for r in global_build.guardian_requests[1]]
    assert all(q["from-date"] == ["2023-04-02"] for q in second_requests)
    assert len(second_requests) == 2 * len(terms)


def test_alphavantage_scores_are_stored_typed(global_build: GlobalBuild) -> None:
    av = global_build.alphavantage
    assert av.step.errors == [] and av.step.loaded_documents == 99  # one article in both feeds
    assert av.already_loaded == 1
    with _db(global_build) as con:
        types = con.execute(
            "SELECT typeof(relevance_score), typeof(sentiment_score), count(*) "
            "FROM raw.news_ticker_sentiment GROUP BY ALL"
        ).fetchall()
        apple = con.execute(
            "SELECT s.sentiment_score FROM raw.news_ticker_sentiment s JOIN raw.news_articles a "
            "USING (article_id) WHERE s.ticker = 'AAPL' AND a.title LIKE 'Apple Adjusts Hollywood%'"
        ).fetchone()
    assert [(r, s) for r, s, _ in types] == [("DOUBLE", "DOUBLE")]
    assert apple == (pytest.approx(0.341964),)
