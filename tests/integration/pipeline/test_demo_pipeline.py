"""`stockyard demo --no-serve` on the bundled real sample builds an audited, published warehouse."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.integration


def test_demo_publishes_over_a_thousand_trades_from_both_chambers(
    demo_db: duckdb.DuckDBPyConnection,
) -> None:
    by_chamber = dict(
        demo_db.execute(
            "SELECT chamber, count(*) FROM marts.fct_trades "
            "WHERE tx_date BETWEEN DATE '2020-01-01' AND DATE '2023-12-31' AND is_current "
            "GROUP BY chamber"
        ).fetchall()
    )
    assert by_chamber.get("house", 0) >= 300, by_chamber
    assert by_chamber.get("senate", 0) >= 300, by_chamber
    assert sum(by_chamber.values()) >= 1000


def test_trades_join_members_and_carry_lineage(demo_db: duckdb.DuckDBPyConnection) -> None:
    resolved, total = demo_db.execute(
        "SELECT count(bioguide_id), count(*) FROM marts.fct_trades"
    ).fetchone()  # type: ignore[misc]
    assert resolved / total > 0.9
    # A parsed House PDF row: traceable to its document, page, row and parser version.
    row = demo_db.execute(
        "SELECT t.filing_id, t.page, t.row_position, t.parser_version, t.landing_path, "
        "m.full_name, m.party, m.state FROM marts.fct_trades t "
        "JOIN marts.dim_members m USING (bioguide_id) "
        "WHERE t.source = 'house_clerk' AND t.filing_id = 'house-20019331' ORDER BY t.row_position LIMIT 1"
    ).fetchone()
    assert row is not None
    filing_id, page, position, parser_version, landing_path, name, party, state = row
    assert (filing_id, page, position, state) == ("house-20019331", 1, 0, "CA")
    assert "Pelosi" in name and party == "Democrat"
    assert parser_version.startswith("house-ptr/") and landing_path.endswith("20019331.pdf.v1")
    # The API filters on precomputed keys: they must say what the per-row expressions say.
    mismatched = demo_db.execute(
        "SELECT count(*) FROM marts.fct_trades WHERE "
        "ticker_key IS DISTINCT FROM upper(coalesce(resolved_ticker, ticker)) "
        "OR party_key IS DISTINCT FROM upper(left(party, 1))"
    ).fetchone()
    assert mismatched == (0,)


def test_scanned_filings_are_recorded_not_dropped(demo_db: duckdb.DuckDBPyConnection) -> None:
    statuses = dict(
        demo_db.execute("SELECT status, count(*) FROM marts.fct_filings GROUP BY status").fetchall()
    )
    assert statuses.get("needs_ocr", 0) >= 5  # the scanned House PTRs and Senate paper filings
    assert statuses.get("parsed", 0) >= 250


def test_sources_are_reconciled_not_double_counted(demo_db: duckdb.DuckDBPyConnection) -> None:
    # 20022987 is both a parsed PDF and in the House watcher aggregate: only the PDF's rows count.
    sources = demo_db.execute(
        "SELECT DISTINCT source FROM marts.fct_trades WHERE filing_id = 'house-20022987'"
    ).fetchall()
    assert sources == [("house_clerk",)]


def test_status_command_reports_the_build(demo_home, run_cli) -> None:  # type: ignore[no-untyped-def]
    output = run_cli("status", "--home", str(demo_home))
    assert "marts.fct_trades" in output and "Last audit: passed" in output
    assert "transform_job" in output and "SUCCESS" in output  # the Dagster run history


def test_paper_filings_are_read_into_trades_with_their_confidence(
    demo_db: duckdb.DuckDBPyConnection,
) -> None:
    # The bundled scans of Ro Khanna's paper PTRs (2017 forms, 2021 broker sheets).
    filings = demo_db.execute(
        """SELECT filing_id, any_value(bioguide_id), any_value(filed_date), count(*),
                  count(*) FILTER (WHERE read_confidence IS NULL OR page IS NULL)
           FROM marts.fct_trades WHERE text_source = 'ocr' GROUP BY filing_id ORDER BY 1"""
    ).fetchall()
    assert {f[0] for f in filings} >= {"house-9110644", "house-9111812"}, filings
    for filing_id, bioguide_id, filed_date, rows, unmarked in filings:
        # the Clerk's index names the filer and the date when the scan's header cannot
        assert bioguide_id == "K000389" and filed_date is not None, filing_id
        assert rows >= 10 and unmarked == 0, filing_id
    statuses = dict(
        demo_db.execute(
            "SELECT filing_id, status FROM marts.fct_filings WHERE filing_id IN (?, ?)",
            ["house-9110644", "house-9111812"],
        ).fetchall()
    )
    assert set(statuses.values()) == {"parsed"}


def test_under_two_percent_of_stock_rows_lack_a_ticker(demo_db: duckdb.DuckDBPyConnection) -> None:
    stock, missing = demo_db.execute(
        "SELECT count(*), count(*) FILTER (WHERE ticker_key IS NULL) "
        "FROM marts.fct_trades WHERE asset_type = 'ST'"
    ).fetchone()  # type: ignore[misc]
    assert stock > 10_000
    assert missing / stock < 0.02, f"{missing} of {stock} stock rows without a ticker"
    # what was found from a name alone says so, and is never certain
    methods = dict(
        demo_db.execute(
            "SELECT ticker_method, max(ticker_confidence) FROM marts.fct_trades "
            "WHERE asset_type = 'ST' AND ticker IS NULL AND resolved_ticker IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert methods and max(methods.values()) < 1.0, methods
    assert methods.get("ticker_in_asset_name_unlisted") == 0.6
