"""resolve_members: every filer resolved by the real resolver; unresolved ones kept, counted."""

from __future__ import annotations

from datetime import date

import duckdb

from stockyard.models import Legislator, Term
from stockyard.warehouse.raw import load_documents, load_fd_index, load_legislators
from stockyard.warehouse.resolution import read_legislators, resolve_members
from support.records import IndexRow, document, trade

FOXX = Legislator(
    bioguide_id="F000450",
    first_name="Virginia",
    last_name="Foxx",
    full_name="Virginia Foxx",
    terms=(
        Term("house", "NC", date(2023, 1, 3), date(2025, 1, 3), district=5, party="Republican"),
    ),
    is_current=True,
)
WYDEN = Legislator(
    bioguide_id="W000779",
    first_name="Ron",
    last_name="Wyden",
    full_name="Ron Wyden",
    terms=(Term("senate", "OR", date(2017, 1, 3), date(2023, 1, 3), party="Democrat"),),
    is_current=True,
)


def _load(con: duckdb.DuckDBPyConnection) -> None:
    load_legislators(con, partition="current", legislators=[FOXX, WYDEN], landing_path="l.yaml")
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2024",
        documents=[
            (document("20026376", trade(0)), "a.pdf"),
            (document("20026999", filer_name="Hon. Nobody Known", state_district="ZZ01"), "b.pdf"),
        ],
    )
    load_documents(
        con,
        source="senate_efd",
        dataset="ptr",
        partition="2020",
        documents=[
            (
                document(
                    "a0010f4a",
                    source="senate_efd",
                    filer_name="Ron L Wyden",
                    state_district=None,
                    filed_date=date(2020, 11, 20),
                ),
                "c.html",
            )
        ],
    )
    load_documents(
        con,
        source="benzinga",
        dataset="trades",
        partition="2024-12-11",
        documents=[
            (document("20026376", source="benzinga", chamber="house", bioguide_id="F000450"), "d"),
            # A vendor id we do not know is not trusted: the name decides, and the reason says so.
            (document("20026377", source="benzinga", chamber="house", bioguide_id="Z999999"), "e"),
        ],
    )
    load_fd_index(
        con,
        partition="2024",
        rows=[
            IndexRow("20026376", "Foxx", "Virginia", "NC05", date(2024, 12, 11)),  # has a document
            IndexRow("20030001", "Foxx", "Virginia", "NC05", date(2024, 12, 20)),  # not fetched
        ],
        landing_path="2024FD.zip",
    )


def test_read_legislators_round_trips_terms(con: duckdb.DuckDBPyConnection) -> None:
    load_legislators(con, partition="current", legislators=[FOXX, WYDEN], landing_path="l.yaml")
    assert read_legislators(con) == [FOXX, WYDEN]


def test_every_filer_gets_a_resolution_row(con: duckdb.DuckDBPyConnection) -> None:
    _load(con)
    summary = resolve_members(con)
    rows = con.execute(
        """SELECT source, doc_id, bioguide_id, method, reason
           FROM raw.member_resolutions ORDER BY source, doc_id"""
    ).fetchall()
    by_key = {(r[0], r[1]): r for r in rows}

    assert len(rows) == 6 == summary.total
    assert (summary.resolved, summary.unresolved) == (5, 1)
    assert by_key[("house_clerk", "20026376")][2] == "F000450"
    assert by_key[("house_clerk", "20030001")][2] == "F000450"  # from the index row's name parts
    assert by_key[("senate_efd", "a0010f4a")][2] == "W000779"
    assert by_key[("benzinga", "20026376")][2:4] == ("F000450", "source_stated")
    unknown_vendor_id = by_key[("benzinga", "20026377")]
    assert unknown_vendor_id[2] == "F000450"
    assert "Z999999 not in legislators" in unknown_vendor_id[4]
    nobody = by_key[("house_clerk", "20026999")]
    assert nobody[2] is None and nobody[4]


def test_resolving_again_rewrites_the_same_rows(con: duckdb.DuckDBPyConnection) -> None:
    _load(con)
    query = """SELECT source, doc_id, bioguide_id, method, confidence, reason, candidates
               FROM raw.member_resolutions ORDER BY ALL"""
    first_summary = resolve_members(con)
    first = con.execute(query).fetchall()
    assert resolve_members(con) == first_summary
    assert con.execute(query).fetchall() == first
