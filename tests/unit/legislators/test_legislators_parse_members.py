"""Members from the bundled congress-legislators files (real data, 2026-06-15 snapshot)."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from stockyard.models import Legislator
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.legislators import (
    LegislatorsFormatError,
    parse_current_yaml,
    parse_historical_csv,
)

SNAPSHOT = date(2026, 6, 15)


def bundled(name: str) -> bytes:
    return gzip.decompress((SAMPLE_ROOT / "legislators" / f"{name}.gz").read_bytes())


@pytest.fixture(scope="module")
def current() -> dict[str, Legislator]:
    result = parse_current_yaml(bundled("legislators-current.yaml"))
    assert result.quarantined == []
    return {member.bioguide_id: member for member in result.records}


@pytest.fixture(scope="module")
def historical() -> dict[str, Legislator]:
    result = parse_historical_csv(bundled("legislators-historical.csv"), as_of=SNAPSHOT)
    assert result.quarantined == []
    return {member.bioguide_id: member for member in result.records}


def test_current_file_has_every_sitting_member(current: dict[str, Legislator]) -> None:
    assert len(current) == 537
    chambers = {m.last_term.chamber for m in current.values() if m.last_term}
    assert chambers == {"house", "senate"}
    assert all(m.is_current for m in current.values())


def test_pelosi_keeps_every_term_with_the_renumbered_district(
    current: dict[str, Legislator],
) -> None:
    pelosi = current["P000197"]
    assert (pelosi.first_name, pelosi.last_name, pelosi.full_name) == (
        "Nancy",
        "Pelosi",
        "Nancy Pelosi",
    )
    first = pelosi.terms[0]
    assert (first.start, first.end, first.state_district) == (
        date(1987, 1, 6),
        date(1989, 1, 3),
        "CA05",
    )
    assert len(pelosi.terms) == 20
    seats = {t.start.year: t.state_district for t in pelosi.terms}
    assert seats[2021] == "CA12"
    assert seats[2023] == "CA11"
    assert {t.party for t in pelosi.terms} == {"Democrat"}
    assert list(pelosi.terms) == sorted(pelosi.terms, key=lambda t: t.start)


def test_house_then_senate_career(current: dict[str, Legislator]) -> None:
    capito = current["C001047"]
    assert (capito.middle_name, capito.full_name) == ("Moore", "Shelley Moore Capito")
    assert capito.terms[0].chamber == "house" and capito.terms[0].state_district == "WV02"
    last = capito.last_term
    assert last is not None
    assert (last.chamber, last.state, last.district, last.party) == (
        "senate",
        "WV",
        None,
        "Republican",
    )


def test_names_suffixes_and_nicknames(current: dict[str, Legislator]) -> None:
    kean = current["K000398"]
    assert (kean.first_name, kean.middle_name, kean.suffix) == ("Thomas", "Howard", "Jr.")
    assert kean.full_name == "Thomas H. Kean, Jr."
    franklin = current["F000472"]
    assert (franklin.first_name, franklin.middle_name, franklin.full_name) == (
        "C.",
        "Scott",
        "Scott Franklin",
    )
    assert sum(1 for m in current.values() if m.nickname) == 29


def test_at_large_district_is_zero(current: dict[str, Legislator]) -> None:
    at_large = [m for m in current.values() if m.last_term and m.last_term.state_district == "AK00"]
    assert len(at_large) == 1


def test_historical_csv_gives_one_undated_last_term(historical: dict[str, Legislator]) -> None:
    assert len(historical) == 12230
    malinowski = historical["M001203"]
    assert (malinowski.first_name, malinowski.last_name, malinowski.is_current) == (
        "Tom",
        "Malinowski",
        False,
    )
    (term,) = malinowski.terms
    assert (term.chamber, term.state_district, term.party) == ("house", "NJ07", "Democrat")
    # No term dates in the CSV: the window opens at 25 (born 1965-09-23) and closes at the snapshot.
    assert (term.start, term.end) == (date(1990, 9, 23), SNAPSHOT)
    alexander = historical["A000360"].terms[0]
    assert (alexander.chamber, alexander.state, alexander.district) == ("senate", "TN", None)
    assert alexander.start == date(1970, 7, 3)  # born 1940-07-03, senators are at least 30


def test_historical_member_without_birthday_spans_from_the_first_congress(
    historical: dict[str, Legislator],
) -> None:
    undated = [m for m in historical.values() if m.terms[0].start == date(1789, 3, 4)]
    assert len(undated) >= 542
    assert all(m.terms[0].end <= SNAPSHOT for m in historical.values())


def test_bad_current_entries_are_quarantined_not_fatal() -> None:
    data = b"""
- id: {bioguide: X000001}
  name: {first: Ann, last: Example}
  terms: [{type: del, start: '2020-01-03', end: '2021-01-03', state: GU, party: Democrat}]
- id: {bioguide: X000002}
  name: {first: Bob, last: Example}
  terms: [{type: rep, start: 'not a date', end: '2021-01-03', state: NC, district: 5}]
- just a string
- id: {bioguide: X000003}
  name: {first: Cy, last: Example}
  terms: [{type: rep, start: '2019-01-03', end: '2021-01-03', state: nc, district: '5'}]
"""
    result = parse_current_yaml(data)
    assert [m.bioguide_id for m in result.records] == ["X000003"]
    assert result.records[0].terms[0].state_district == "NC05"
    reasons = [q.reason for q in result.quarantined]
    assert reasons[0] == "term type 'del' is neither 'rep' nor 'sen'"
    assert "not an ISO date" in reasons[1]
    assert "not a mapping" in reasons[2]
    assert [q.record_ref for q in result.quarantined] == [
        "entry 0 (X000001)",
        "entry 1 (X000002)",
        "entry 2",
    ]
    assert all(q.source == "legislators" and q.payload for q in result.quarantined)


def test_bad_historical_rows_are_quarantined_with_their_line() -> None:
    data = (
        "last_name,first_name,middle_name,suffix,nickname,full_name,birthday,type,state,district,party,bioguide_id\n"
        "Example,Ann,,,,,1950-01-01,rep,NC,5,Democrat,X000001\n"
        "Example,Bob,,,,,1950-13-01,rep,NC,5,Democrat,X000002\n"
        "Example,Cy,,,,,2020-01-01,sen,NC,,Democrat,X000003\n"
        ",Dee,,,,,1950-01-01,rep,NC,5,Democrat,X000004\n"
    )
    result = parse_historical_csv(data, as_of=SNAPSHOT)
    assert [m.full_name for m in result.records] == ["Ann Example"]
    assert [(q.record_ref, q.reason) for q in result.quarantined] == [
        ("line 3", "birthday is not an ISO date: '1950-13-01'"),
        ("line 4", "born 2020-01-01: too young to have served by 2026-06-15"),
        ("line 5", "missing bioguide_id, first_name or last_name"),
    ]


def test_unreadable_files_raise_a_clear_error() -> None:
    with pytest.raises(LegislatorsFormatError, match="expected a top-level list"):
        parse_current_yaml(b"<html>rate limited</html>")
    with pytest.raises(LegislatorsFormatError, match="not valid YAML"):
        parse_current_yaml(b"- [unclosed")
    with pytest.raises(LegislatorsFormatError, match="missing columns"):
        parse_historical_csv(b"<html>\n</html>\n", as_of=SNAPSHOT)
