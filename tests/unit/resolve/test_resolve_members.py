"""Member resolution over the real bundled congress-legislators files.

Expected ids were looked up by hand in legislators-current.yaml / legislators-historical.csv.
"""

from __future__ import annotations

import gzip
from datetime import date, timedelta

import pytest

from stockyard.models import Legislator
from stockyard.replay import SAMPLE_ROOT
from stockyard.resolve import MemberResolver, Resolution
from stockyard.sources.legislators import parse_current_yaml, parse_historical_csv

SNAPSHOT = date(2026, 6, 15)


def bundled(name: str) -> bytes:
    return gzip.decompress((SAMPLE_ROOT / "legislators" / f"{name}.gz").read_bytes())


@pytest.fixture(scope="module")
def legislators() -> list[Legislator]:
    current = parse_current_yaml(bundled("legislators-current.yaml")).records
    former = parse_historical_csv(bundled("legislators-historical.csv"), as_of=SNAPSHOT).records
    return current + former


@pytest.fixture(scope="module")
def resolver(legislators: list[Legislator]) -> MemberResolver:
    return MemberResolver(legislators)


def house(resolver: MemberResolver, name: str, seat: str | None, on: date | None) -> Resolution:
    return resolver.resolve(name, chamber="house", state_district=seat, on=on)


def senate(resolver: MemberResolver, name: str, on: date) -> Resolution:
    return resolver.resolve(name, chamber="senate", on=on)


@pytest.mark.parametrize(
    ("name", "seat", "on", "expected", "method"),
    [
        ("Nancy Pelosi", "CA12", date(2021, 5, 1), "P000197", "district+surname+first"),
        ("Nancy Pelosi", "CA11", date(2024, 3, 1), "P000197", "district+surname+first"),
        ("Mikie Sherrill", "NJ11", date(2021, 4, 1), "S001207", "district+surname+first"),
        ("Tom Malinowski", "NJ07", date(2020, 6, 1), "M001203", "district+surname+first"),
        ("Cindy Axne", "IA03", date(2021, 6, 1), "A000378", "district+surname+first"),
        ("Earl Blumenauer", "OR03", date(2021, 6, 1), "B000574", "district+surname+first"),
        ("Jackie Speier", "CA14", date(2021, 6, 1), "S001175", "district+surname+first"),
        (
            "Hon. Scott Scott Franklin",
            "FL15",
            date(2021, 6, 1),
            "F000472",
            "district+surname+first",
        ),
        ("C. Scott Franklin", "FL18", date(2023, 6, 1), "F000472", "district+surname+first"),
        ("Scott Mr Franklin", "FL18", date(2024, 1, 1), "F000472", "district+surname+first"),
        (
            "Donald Sternoff Honorable Beyer",
            "VA08",
            date(2022, 1, 1),
            "B001292",
            "district+surname+first",
        ),
        ("Thomas H. Kean", "NJ07", date(2026, 5, 17), "K000398", "district+surname+first"),
        ("Mónica De La Cruz", "TX15", date(2024, 1, 1), "D000594", "district+surname+first"),
        ("Monica De La Cruz", "tx15", date(2024, 1, 1), "D000594", "district+surname+first"),
        ("Rick W. Allen", "gA12", date(2022, 1, 1), "A000372", "district+surname+first"),
        ("Pelosi", "CA12", date(2021, 5, 1), "P000197", "district+surname"),
        ("Nicholas V. Taylor", "TX03", date(2021, 6, 1), "T000479", "district+surname+initial"),
        # Moved from FL23 to FL25 in 2023: a stale district falls back to the state.
        ("Debbie Wasserman-Schultz", "FL25", date(2021, 1, 1), "W000797", "state+surname+first"),
        # Left in 2025, so only the CSV's last seat (NC08) is known; the state still finds him.
        ("Dan Bishop", "NC09", date(2020, 6, 1), "B001311", "state+surname+first"),
    ],
)
def test_house_filers(
    resolver: MemberResolver, name: str, seat: str, on: date, expected: str, method: str
) -> None:
    result = house(resolver, name, seat, on)
    assert (result.bioguide_id, result.method) == (expected, method), result.reason
    assert result.candidates == (expected,)
    assert 0.8 <= result.confidence <= 1.0


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("The Honorable Michael F Bennet (Bennet, Michael)", date(2020, 5, 4), "B001267"),
        ("Michael F Bennet", date(2020, 5, 4), "B001267"),
        ("Ron L Wyden", date(2020, 11, 10), "W000779"),
        ("Ronald L Wyden", date(2020, 11, 10), "W000779"),
        ("Lamar Alexander (Former Senator)", date(2020, 2, 27), "A000360"),
        ("Shelley M Capito", date(2020, 6, 1), "C001047"),
        ("Thomas R. Carper", date(2020, 6, 1), "C000174"),
        ("David Perdue", date(2020, 6, 1), "P000612"),
        ("David A Perdue , Jr", date(2020, 6, 1), "P000612"),
        ("Kelly Loeffler", date(2020, 6, 1), "L000594"),
        ("Mrs. Kelly Loeffler (Loeffler, Kelly)", date(2020, 6, 1), "L000594"),
        ("Jerry Moran,", date(2020, 6, 1), "M000934"),
        ("Joseph Manchin, Iii", date(2020, 6, 1), "M001183"),
        ("A. Mitchell Mcconnell, Jr.", date(2020, 6, 1), "M000355"),
        ("Rafael E Cruz", date(2016, 2, 25), "C001098"),
        ("Thomas R Tillis", date(2017, 2, 1), "T000476"),
        ("Jacklyn S Rosen", date(2019, 4, 8), "R000608"),
        ("Robert J Portman", date(2020, 6, 1), "P000449"),
        ("William Cassidy", date(2020, 6, 1), "C001075"),
        ("Cindy Hyde Smith", date(2020, 6, 1), "H001079"),
        # John F. Kennedy's undated CSV window (born 1917) also covers 2017: the dated term wins.
        ("John N Kennedy", date(2017, 6, 1), "K000393"),
    ],
)
def test_senate_filers(resolver: MemberResolver, name: str, on: date, expected: str) -> None:
    result = senate(resolver, name, on)
    assert result.bioguide_id == expected, result.reason
    assert result.method == "surname+first"


def test_split_names_from_the_house_index(resolver: MemberResolver) -> None:
    on = date(2021, 3, 1)
    pelosi = resolver.resolve_parts(
        "Pelosi", "Nancy", chamber="house", state_district="CA12", on=on
    )
    assert pelosi.bioguide_id == "P000197"
    khanna = resolver.resolve_parts(
        "Khanna", "Rohit", chamber="house", state_district="CA17", on=on
    )
    assert khanna.bioguide_id == "K000389"  # "Ro" is recorded; "Rohit" is his legal name
    payne = resolver.resolve_parts(
        "Payne", "Donald M.", suffix="Jr.", chamber="house", state_district="NJ10", on=on
    )
    assert payne.bioguide_id == "P000604"
    stray = resolver.resolve_parts(
        "(Pelosi", "Nancy)", chamber="house", state_district="CA12", on=on
    )
    assert stray.bioguide_id == "P000197"


def test_one_person_never_gets_two_ids(resolver: MemberResolver) -> None:
    variants = {
        "F000472": [
            ("Hon. Scott Scott Franklin", "FL15", date(2021, 6, 1)),
            ("C. Scott Franklin", "FL15", date(2022, 6, 1)),
            ("Scott Mr Franklin", "FL18", date(2024, 1, 1)),
            ("Franklin", "fl18", date(2025, 2, 1)),
        ],
        "P000197": [
            ("Nancy Pelosi", "CA12", date(2021, 5, 1)),
            ("Hon. Nancy Pelosi", "CA11", date(2024, 3, 1)),
            ("Pelosi", "CA11", date(2023, 2, 1)),
        ],
        "C001047": [("Shelley Moore Capito", "WV02", date(2012, 1, 1))],
    }
    for expected, cases in variants.items():
        ids = {house(resolver, name, seat, on).bioguide_id for name, seat, on in cases}
        assert ids == {expected}
    capito = {
        senate(resolver, name, date(2020, 6, 1)).bioguide_id
        for name in (
            "Shelley M Capito",
            "Shelley Moore Capito",
            "The Honorable Shelley M Capito (Capito, Shelley Moore)",
        )
    }
    assert capito == {"C001047"}


def test_same_surname_in_one_state_stays_unresolved(resolver: MemberResolver) -> None:
    # Austin Scott (GA08) and David Scott (GA13) both sat in 2022.
    result = resolver.resolve("Scott", chamber="house", state="GA", on=date(2022, 1, 1))
    assert result.bioguide_id is None
    assert result.candidates == ("S001157", "S001189")
    assert "S001157, S001189" in result.reason
    assert (
        resolver.resolve(
            "David Scott", chamber="house", state="GA", on=date(2022, 1, 1)
        ).bioguide_id
        == "S001157"
    )


def test_father_and_son_in_one_seat_without_a_suffix_is_ambiguous(resolver: MemberResolver) -> None:
    # Wm. Lacy Clay Sr. and Jr. both held MO01; the CSV has no term dates to tell them apart.
    result = resolver.resolve_parts(
        "Clay", "Wm. Lacy", chamber="house", state_district="MO01", on=date(2020, 5, 1)
    )
    assert (result.bioguide_id, result.method) == (None, "unresolved")
    assert result.reason == "ambiguous: C000488, C001049"
    assert result.candidates == ("C000488", "C001049")


def test_non_members_are_not_matched(resolver: MemberResolver) -> None:
    doe = house(resolver, "John Doe", "NC05", date(2020, 3, 1))
    assert doe.bioguide_id is None
    assert doe.reason == "no member named 'John Doe' in NC05 on 2020-03-01"
    # A real 2022 candidate filing in MN01 (House FD index), never elected.
    reisdorf = resolver.resolve_parts(
        "Reisdorf", "Richard B.", chamber="house", state_district="MN01", on=date(2022, 4, 18)
    )
    assert reisdorf.bioguide_id is None
    # A sitting member's surname with someone else's first name is not that member.
    assert house(resolver, "Paul Pelosi", "CA11", date(2024, 3, 1)).bioguide_id is None


def test_bare_surname_needs_a_district(resolver: MemberResolver) -> None:
    result = resolver.resolve("Pelosi", chamber="house", on=date(2021, 5, 1))
    assert result.bioguide_id is None
    assert result.candidates == ("P000197",)
    assert result.reason.startswith("too little to choose in the House on 2021-05-01")


def test_service_dates_with_a_grace_period(resolver: MemberResolver) -> None:
    # Capito's House term ended 2015-01-03; late House reports still resolve for a while.
    late = house(resolver, "Shelley Moore Capito", "WV02", date(2015, 6, 1))
    assert late.bioguide_id == "C001047"
    assert late.confidence == pytest.approx(0.96)
    assert "grace" in late.reason
    assert house(resolver, "Shelley Moore Capito", "WV02", date(2017, 6, 1)).bioguide_id is None
    # Not in the House before her first term (2001).
    assert house(resolver, "Shelley Moore Capito", "WV02", date(1998, 6, 1)).bioguide_id is None
    # Without a date every term counts.
    assert house(resolver, "Shelley Moore Capito", "WV02", None).bioguide_id == "C001047"


def test_bad_inputs_raise(resolver: MemberResolver, legislators: list[Legislator]) -> None:
    with pytest.raises(ValueError, match="chamber"):
        resolver.resolve("Nancy Pelosi", chamber="assembly")
    with pytest.raises(ValueError, match="state\\+district"):
        resolver.resolve("Nancy Pelosi", chamber="house", state_district="California 12")
    with pytest.raises(ValueError, match="given twice"):
        MemberResolver([legislators[0], legislators[0]])
    assert (
        resolver.resolve("Hon. Mr.", chamber="house").reason == "no name to resolve in 'Hon. Mr.'"
    )


def test_ten_thousand_names_each_resolve_to_their_member(legislators: list[Legislator]) -> None:
    resolver = MemberResolver(legislators)  # a fresh, empty cache
    current = [m for m in legislators if m.is_current]
    queries = []
    for i in range(10_000):
        member = current[i % len(current)]
        term = member.terms[i % len(member.terms)]
        on = term.start + timedelta(days=i % max(1, (term.end - term.start).days))
        queries.append(
            (f"Hon. {member.first_name} {member.last_name}", term, on, member.bioguide_id)
        )
    results = [
        resolver.resolve(n, chamber=t.chamber, state_district=t.state_district, on=on)
        for n, t, on, _ in queries
    ]
    # Speed is measured by benchmarks/bench_resolver.py, not here.
    assert [r.bioguide_id for r in results] == [expected for *_, expected in queries]


def test_nicknames_match_one_hop_only(resolver: MemberResolver) -> None:
    on = date(2022, 6, 1)
    assert senate(resolver, "Edward J Markey", on).bioguide_id == "M000133"
    assert senate(resolver, "Ed Markey", on).bioguide_id == "M000133"
    # "Ted" is short for Edward or Theodore; that does not make Theodore an Edward.
    assert senate(resolver, "Theodore Markey", on).bioguide_id is None
