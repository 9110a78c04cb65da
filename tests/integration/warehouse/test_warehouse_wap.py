"""dbt build + write-audit-publish on a small warehouse loaded through the raw loaders.

One good run is built once per module (dbt runs cost seconds); each failure scenario copies that
published warehouse, injects one bad record through the loaders and runs WAP again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from stockyard.models import (
    Committee,
    CommitteeMembership,
    DocStatus,
    Legislator,
    ParsedDocument,
    ParsedTransaction,
    Term,
)
from stockyard.warehouse.db import connect
from stockyard.warehouse.raw import load_documents, load_fd_index, load_legislators
from stockyard.warehouse.resolution import resolve_members
from stockyard.warehouse.wap import (
    PublishRefusedError,
    WapResult,
    publish,
    record_audit,
    run_wap,
)

pytestmark = pytest.mark.integration

# fmt: off
MARTS = ("dim_members", "bridge_member_committees", "fct_filings", "fct_trades")
FCT_TRADES_COLUMNS = [
    "trade_id", "bioguide_id", "member_name", "party", "state", "district", "chamber",
    "filing_id", "owner", "ticker", "asset_name", "asset_type", "tx_type", "tx_date",
    "notified_date", "filed_date", "amount_min", "amount_max", "lag_days", "is_late",
    "amended_by", "is_current", "source", "source_url", "page", "row_position",
    "parser_version", "landing_path", "text_source", "read_confidence", "needs_review",
    "reviewed_fields", "review_trail", "reviewed_at",
    # ticker resolution (market-data issue): null until resolve_trade_tickers has run
    "resolved_ticker", "ticker_confidence", "ticker_method", "asset_class",
    # the API's filter keys, precomputed (dashboard issue)
    "ticker_key", "party_key",
]
# fmt: on


@dataclass(frozen=True, slots=True)
class IndexRow:
    doc_id: str
    last: str
    first: str
    state_district: str
    filing_date: date
    filing_type: str = "P"
    prefix: str | None = "Hon."
    suffix: str | None = None
    year: int = 2024


def tx(
    row: int, ticker: str, tx_date: date, notified: date | None, **more: Any
) -> ParsedTransaction:
    fields: dict[str, Any] = {
        "asset_name": f"{ticker} common stock",
        "ticker": ticker,
        "asset_type": "ST",
        "tx_type": "P",
        "tx_date": tx_date,
        "notified_date": notified,
        "amount_min": 1_001,
        "amount_max": 15_000,
        "row": row,
        "page": 1,
    }
    fields.update(more)
    return ParsedTransaction(**fields)


def doc(doc_id: str, source: str, *txs: ParsedTransaction, **more: Any) -> ParsedDocument:
    house = source.startswith("house") or more.get("chamber") == "house"
    fields: dict[str, Any] = {
        "doc_id": doc_id,
        "source": source,
        "status": DocStatus.PARSED,
        "parser_version": f"{source}-1",
        "filer_name": "Hon. Virginia Foxx" if house else "Ron L Wyden",
        "state_district": "NC05" if house else None,
        "filed_date": date(2024, 12, 11) if house else date(2020, 11, 20),
        "transactions": list(txs),
    }
    fields.update(more)
    return ParsedDocument(**fields)


FOXX = Legislator(
    "F000450",
    "Virginia",
    "Foxx",
    "Virginia Foxx",
    terms=(
        Term("house", "NC", date(2023, 1, 3), date(2025, 1, 3), district=5, party="Republican"),
        Term("house", "NC", date(2025, 1, 3), date(2027, 1, 3), district=5, party="Republican"),
    ),
    is_current=True,
)
WYDEN = Legislator(
    "W000779",
    "Ron",
    "Wyden",
    "Ron Wyden",
    terms=(Term("senate", "OR", date(2017, 1, 3), date(2029, 1, 3), party="Democrat"),),
    is_current=True,
)
NOV14, DEC10 = date(2024, 11, 14), date(2024, 12, 10)


def load_good_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    load_legislators(
        con,
        partition="current",
        legislators=[FOXX, WYDEN],
        committees=[
            Committee("HSED", "Committee on Education and the Workforce", "house"),
            Committee("HSED13", "Higher Education and Workforce Development", "house", "HSED"),
            Committee("SSFI", "Committee on Finance", "senate"),
        ],
        memberships=[
            CommitteeMembership("HSED", "F000450", "majority", 1, "Chair"),
            CommitteeMembership("HSED13", "F000450", "majority", 2),
            CommitteeMembership("SSFI", "W000779", "majority", 1, "Chairman"),
        ],
        landing_path="legislators/current.yaml.v1",
    )
    clerk = [
        doc(
            "20026376",
            "house_clerk",
            tx(0, "ARLP", NOV14, DEC10, owner="JT"),
            # same day, same asset, another account: a distinct trade
            tx(1, "ARLP", NOV14, DEC10, owner="SP"),
            tx(2, "MSFT", date(2024, 10, 1), date(2024, 10, 2)),
        ),
        doc("20026600", "house_clerk", status=DocStatus.NEEDS_OCR),
        doc(
            "20026700",
            "house_clerk",
            tx(
                0,
                "ARLP",
                NOV14,
                DEC10,
                owner="JT",
                filing_status="Amended",
                amount_min=15_001,
                amount_max=50_000,
            ),
            filed_date=date(2025, 1, 20),
        ),
        doc(
            "20026800",
            "house_clerk",
            tx(0, "NVDA", date(2024, 12, 1), None),
            filer_name="Hon. Nobody Known",
            state_district="ZZ01",
        ),
    ]
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2024",
        documents=[(d, f"house_clerk/ptr/2024/{d.doc_id}.pdf.v1") for d in clerk],
    )
    watcher = [
        doc("20026376", "house_watcher", tx(0, "ARLP", NOV14, None), tx(1, "ARLP", NOV14, None)),
        doc("20026400", "house_watcher", tx(0, "AAPL", date(2024, 11, 1), None)),
        doc("20026600", "house_watcher", tx(0, "KO", date(2024, 11, 2), None)),
    ]
    load_documents(
        con,
        source="house_watcher",
        dataset="all_transactions",
        partition="2026-05-29",
        documents=[(d, "house_watcher/all_transactions.json.v1") for d in watcher],
    )
    vendor = [
        doc(
            "20026376",
            "benzinga",
            tx(0, "ARLP", NOV14, DEC10, owner="JT"),
            chamber="house",
            bioguide_id="F000450",
        ),
        doc(
            "20026500",
            "benzinga",
            tx(0, "PEP", date(2024, 11, 5), date(2024, 11, 6)),
            chamber="house",
            bioguide_id="F000450",
        ),
    ]
    load_documents(
        con,
        source="benzinga",
        dataset="congress_trades",
        partition="2024-12-11",
        documents=[(d, "benzinga/trades.json.v1") for d in vendor],
    )
    senate = [
        doc(
            "uuid-orig",
            "senate_efd",
            tx(0, "BYND", date(2020, 11, 10), None, owner="SP", tx_type="S"),
            tx(1, "TSLA", date(2020, 11, 10), None, owner="SP", tx_type="S (partial)"),
            report_title="Periodic Transaction Report for 11/20/2020",
        ),
        doc(
            "uuid-amend",
            "senate_efd",
            tx(0, "BYND", date(2020, 11, 10), None, owner="SP", tx_type="S"),
            report_title="Periodic Transaction Report for 11/20/2020 (Amendment 1)",
            amendment_number=1,
            filed_date=date(2020, 12, 15),
        ),
    ]
    load_documents(
        con,
        source="senate_efd",
        dataset="ptr",
        partition="2020",
        documents=[(d, f"senate_efd/ptr/2020/{d.doc_id}.html.v1") for d in senate],
    )
    senate_watcher = [
        doc("uuid-orig", "senate_watcher", tx(0, "BYND", date(2020, 11, 10), None)),
        doc(
            "uuid-old",
            "senate_watcher",
            tx(0, "XOM", date(2020, 3, 2), None),
            # a typed-in trade date after the filing date, as real filings have
            tx(1, "CVX", date(2020, 3, 25), None),
            filed_date=date(2020, 3, 20),
        ),
    ]
    load_documents(
        con,
        source="senate_watcher",
        dataset="all_transactions",
        partition="2021-03-16",
        documents=[(d, "senate_watcher/all_transactions.json.v1") for d in senate_watcher],
    )
    load_fd_index(
        con,
        partition="2024",
        rows=[
            IndexRow("20026376", "Foxx", "Virginia", "NC05", date(2024, 12, 11)),
            IndexRow("20026900", "Foxx", "Virginia", "NC05", date(2024, 12, 30)),
            IndexRow("10063304", "Foxx", "Virginia", "NC05", date(2024, 5, 15), filing_type="O"),
        ],
        landing_path="house_clerk/fd_index/2024/2024FD.zip.v1",
    )
    resolve_members(con)


@dataclass(frozen=True, slots=True)
class Built:
    path: Path
    wap: WapResult


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    path = tmp_path_factory.mktemp("good") / "warehouse.duckdb"
    con = connect(path)
    load_good_warehouse(con)
    con.close()
    return Built(path, run_wap(path))


@pytest.fixture
def good_con(built: Built) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(built.path, read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def marts_checksum(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Any, ...]]:
    sums: dict[str, tuple[Any, ...]] = {}
    for table in MARTS:
        row = con.execute(
            f"""SELECT count(*), md5(string_agg(r, '|' ORDER BY r))
                FROM (SELECT CAST(s AS VARCHAR) AS r FROM marts.{table} AS s)"""
        ).fetchone()
        assert row is not None
        sums[table] = tuple(row)
    return sums


def test_a_clean_warehouse_passes_the_audit_and_is_published(built: Built) -> None:
    assert built.wap.passed, built.wap.failures
    assert built.wap.published is not None
    assert built.wap.published.tables == {
        "bridge_member_committees": 3,
        "dim_members": 2,
        "fct_filings": 10,
        "fct_trades": 13,
        "fct_trades_by_member": 13,  # the same rows, stored member by member for member reads
        "fct_trades_by_ticker": 13,  # and ticker by ticker for ticker reads
        "fct_trade_counts": 13,  # one row per day and filter values: here, one per trade
        "trade_member_names": 3,  # the (name, bioguide id) pairs on trades
        # market marts: empty without prices, never an error
        "dim_tickers": 0,
        "dim_ticker_industries": 0,
        "fct_oversight_trades": 0,
        "committee_sectors": 59,  # the editorial seed: committees' industries as SIC ranges
        "fct_daily_bars": 0,
        "fct_trade_performance": 0,
        "member_performance": 2,
        # macro, NSE and news marts: empty without their sources, never an error
        "weekly_macro": 0,
        "macro_correlations": 0,
        "fct_nse_daily": 0,
        "nse_breadth": 0,
        "nse_delivery_leaders": 0,
        "nse_format_mismatches": 0,
        "nse_top_movers": 0,
        "nse_turnover_by_series": 0,
        "fct_news": 0,
        "fct_news_tickers": 0,
        # portfolios: every current trade's two legs, unpriced (no prices), and nothing to value
        "fct_portfolio_legs": 20,
        "fct_market_days": 0,
        "fct_portfolio_closes": 0,
        "fct_portfolio_memberships": 0,
        "fct_portfolio_daily": 0,
        "fct_portfolio_stats": 0,
    }
    # A few trades dated after their filing are reported as a warning, not a block.
    [warning] = built.wap.failures
    assert (warning.status, warning.blocking, warning.failing_rows) == ("warn", False, 1)
    assert warning.test_name == "column_lte_fct_trades_tx_date__filed_date"
    assert [(r["ticker"], r["lag_days"]) for r in warning.sample] == [("CVX", -5)]


def test_fct_trades_has_exactly_the_agreed_columns(good_con: duckdb.DuckDBPyConnection) -> None:
    columns = rows(
        good_con,
        """SELECT column_name FROM information_schema.columns
           WHERE table_schema = 'marts' AND table_name = 'fct_trades' ORDER BY ordinal_position""",
    )
    assert [c[0] for c in columns] == FCT_TRADES_COLUMNS


def test_the_parsed_filing_wins_and_fallbacks_fill_only_missing_filings(
    good_con: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(
        good_con, "SELECT filing_id, source, status FROM marts.fct_filings ORDER BY filing_id"
    ) == [
        ("house-20026376", "house_clerk", "parsed"),
        ("house-20026400", "house_watcher", "parsed"),
        ("house-20026500", "benzinga", "parsed"),
        ("house-20026600", "house_watcher", "parsed"),  # our PDF needs OCR; the watcher has rows
        ("house-20026700", "house_clerk", "parsed"),
        ("house-20026800", "house_clerk", "parsed"),
        ("house-20026900", "house_clerk", "not_fetched"),  # listed in the index only
        ("senate-uuid-amend", "senate_efd", "parsed"),
        ("senate-uuid-old", "senate_watcher", "parsed"),
        ("senate-uuid-orig", "senate_efd", "parsed"),
    ]
    per_filing = rows(
        good_con,
        "SELECT filing_id, list(source), count(*) FROM marts.fct_trades GROUP BY 1 ORDER BY 1",
    )
    assert per_filing[0] == ("house-20026376", ["house_clerk"] * 3, 3)
    assert rows(good_con, "SELECT count(DISTINCT trade_id) FROM marts.fct_trades") == [(13,)]


def test_not_fetched_filing_points_at_the_clerk_pdf(good_con: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        good_con,
        """SELECT bioguide_id, source_url, transaction_count FROM marts.fct_filings
           WHERE status = 'not_fetched'""",
    ) == [
        (
            "F000450",
            "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2024/20026900.pdf",
            None,
        )
    ]


def test_is_late_and_lag_days(good_con: duckdb.DuckDBPyConnection) -> None:
    # ARLP: tx 11-14, notified 12-10, filed 12-11 -> deadline min(12-10+30, 11-14+45) = 12-29.
    # MSFT: tx 10-01, notified 10-02 -> deadline min(11-01, 11-15) = 11-01; filed 12-11: late.
    # NVDA: no notice -> deadline 12-01 + 45 = 01-15; filed 12-11: on time.
    assert rows(
        good_con,
        """SELECT ticker, owner, lag_days, is_late FROM marts.fct_trades
           WHERE filing_id IN ('house-20026376', 'house-20026800') ORDER BY ticker, owner""",
    ) == [
        ("ARLP", "JT", 27, False),
        ("ARLP", "SP", 27, False),
        ("MSFT", None, 71, True),
        ("NVDA", None, 10, False),
    ]


def test_amendments_supersede_and_keep_the_chain(good_con: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        good_con,
        """SELECT filing_id, ticker, owner, amended_by, is_current FROM marts.fct_trades
           WHERE ticker IN ('ARLP', 'BYND', 'TSLA') ORDER BY filing_id, row_position""",
    ) == [
        ("house-20026376", "ARLP", "JT", "house-20026700", False),  # the "Amended" row replaced it
        ("house-20026376", "ARLP", "SP", None, True),  # another owner: untouched
        ("house-20026700", "ARLP", "JT", None, True),
        ("senate-uuid-amend", "BYND", "SP", None, True),
        ("senate-uuid-orig", "BYND", "SP", "senate-uuid-amend", False),
        ("senate-uuid-orig", "TSLA", "SP", "senate-uuid-amend", False),
    ]
    assert rows(
        good_con,
        """SELECT filing_id, amendment_number, amends_filing_id, is_current FROM marts.fct_filings
           WHERE chamber = 'senate' AND source = 'senate_efd' ORDER BY filing_id""",
    ) == [
        ("senate-uuid-amend", 1, "senate-uuid-orig", True),
        ("senate-uuid-orig", None, None, False),
    ]


def test_members_and_unresolved_filers(good_con: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        good_con,
        """SELECT bioguide_id, party, state, district, chamber, committees, subcommittees,
                  first_served, last_served FROM marts.dim_members ORDER BY 1""",
    ) == [
        (
            "F000450",
            "Republican",
            "NC",
            5,
            "house",
            ["Committee on Education and the Workforce"],
            ["Higher Education and Workforce Development"],
            date(2023, 1, 3),
            date(2027, 1, 3),
        ),
        (
            "W000779",
            "Democrat",
            "OR",
            None,
            "senate",
            ["Committee on Finance"],
            [],
            date(2017, 1, 3),
            date(2029, 1, 3),
        ),
    ]
    assert rows(
        good_con,
        """SELECT filing_id, bioguide_id, member_name FROM marts.fct_trades
           WHERE bioguide_id IS NULL""",
    ) == [("house-20026800", None, "Hon. Nobody Known")]
    assert rows(
        good_con, "SELECT count(*) FROM marts.fct_trades WHERE bioguide_id = 'W000779'"
    ) == [(5,)]


def _inject_and_audit(built: Built, tmp_path: Path, bad: ParsedDocument) -> tuple[Path, WapResult]:
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built.path, path)
    con = connect(path)
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2025-bad",
        documents=[(bad, "house_clerk/ptr/2025/bad.pdf.v1")],
    )
    resolve_members(con)
    con.close()
    return path, run_wap(path)


def _assert_marts_unchanged(built: Built, path: Path) -> duckdb.DuckDBPyConnection:
    good = connect(built.path, read_only=True)
    expected = marts_checksum(good)
    good.close()
    con = connect(path)
    assert marts_checksum(con) == expected
    # A second publish attempt for the failed run is refused too.
    with pytest.raises(PublishRefusedError, match="did not pass"):
        publish(con)
    return con


def test_amount_min_over_max_fails_the_audit_and_leaves_marts_alone(
    built: Built, tmp_path: Path
) -> None:
    bad = doc(
        "20027000",
        "house_clerk",
        tx(0, "AMZN", date(2025, 1, 2), None, amount_min=50_001, amount_max=15_000),
        filed_date=date(2025, 1, 20),
    )
    path, result = _inject_and_audit(built, tmp_path, bad)

    assert not result.passed and result.published is None
    failure = next(f for f in result.failures if f.test_name.startswith("column_lte_fct_trades_a"))
    assert failure.model == "fct_trades"
    assert failure.failing_rows == 1
    assert [(r["filing_id"], r["amount_min"], r["amount_max"]) for r in failure.sample] == [
        ("house-20027000", 50_001, 15_000)
    ]
    assert {f.test_name for f in result.failures if f.blocking} == {failure.test_name}
    con = _assert_marts_unchanged(built, path)
    # The audit area holds the rejected build; the published marts still the good one.
    assert rows(con, "SELECT count(*) FROM audit.fct_trades") == [(14,)]
    assert rows(con, "SELECT count(*) FROM marts.fct_trades") == [(13,)]
    assert rows(con, "SELECT passed, published FROM raw.audit_runs ORDER BY started_at") == [
        (True, True),
        (False, False),
    ]
    con.close()


def test_a_duplicate_trade_id_fails_the_audit_and_leaves_marts_alone(
    built: Built, tmp_path: Path
) -> None:
    # A parser that numbered two rows the same would give both the same trade_id.
    bad = doc(
        "20027001",
        "house_clerk",
        tx(0, "AMZN", date(2025, 1, 2), None),
        tx(0, "GOOG", date(2025, 1, 2), None),
        filed_date=date(2025, 1, 20),
    )
    path, result = _inject_and_audit(built, tmp_path, bad)

    assert not result.passed and result.published is None
    failure = next(f for f in result.failures if f.test_name == "unique_fct_trades_trade_id")
    assert failure.model == "fct_trades"
    assert failure.failing_rows == 1
    assert failure.sample and failure.sample[0]["n_records"] == 2
    con = _assert_marts_unchanged(built, path)
    stored = rows(con, "SELECT failures FROM raw.audit_runs WHERE NOT passed")
    assert "unique_fct_trades_trade_id" in stored[0][0]
    con.close()

    # The pipeline runs dbt through dagster-dbt and records the same verdict from the artifacts.
    recorded = record_audit(path, target_path=result.dbt.target_path, dbt_success=False)
    assert not recorded.passed
    assert [f.describe() for f in recorded.failures if f.blocking] == [
        f.describe() for f in result.failures if f.blocking
    ]
    assert failure.describe().startswith("fail: unique_fct_trades_trade_id on fct_trades: 1 rows")
