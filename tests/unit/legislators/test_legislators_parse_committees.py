"""Committees and seats from the bundled congress-legislators files (real data)."""

from __future__ import annotations

import gzip
from collections import Counter

from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.legislators import parse_committees, parse_memberships


def bundled(name: str) -> bytes:
    return gzip.decompress((SAMPLE_ROOT / "legislators" / f"{name}.gz").read_bytes())


def test_current_committees_and_subcommittees() -> None:
    result = parse_committees(bundled("committees-current.yaml"))
    assert result.quarantined == []
    parents = [c for c in result.records if c.parent_id is None]
    subs = [c for c in result.records if c.parent_id is not None]
    assert (len(parents), len(subs)) == (49, 181)
    assert Counter(c.chamber for c in parents) == {"house": 23, "senate": 21, "joint": 5}
    by_id = {c.committee_id: c for c in result.records}
    assert len(by_id) == 230  # ids are unique
    agriculture = by_id["HSAG"]
    assert agriculture.name == "House Committee on Agriculture"
    assert agriculture.jurisdiction and "agriculture" in agriculture.jurisdiction
    forestry = by_id["HSAG15"]
    assert (forestry.name, forestry.chamber, forestry.parent_id) == (
        "Forestry and Horticulture",
        "house",
        "HSAG",
    )
    assert all(by_id[s.parent_id].chamber == s.chamber for s in subs if s.parent_id)


def test_historical_committees_parse() -> None:
    result = parse_committees(bundled("committees-historical.yaml"))
    assert result.quarantined == []
    assert sum(1 for c in result.records if c.parent_id is None) == 70


def test_memberships_key_on_committee_ids_and_bioguide() -> None:
    committees = {
        c.committee_id for c in parse_committees(bundled("committees-current.yaml")).records
    }
    result = parse_memberships(bundled("committee-membership-current.yaml"))
    assert result.quarantined == []
    assert len(result.records) == 3879
    assert {m.committee_id for m in result.records} <= committees
    assert len({(m.committee_id, m.bioguide_id) for m in result.records}) == 3879
    chair = next(m for m in result.records if m.committee_id == "SSAF" and m.rank == 1)
    assert (chair.bioguide_id, chair.party_side, chair.title) == ("B001236", "majority", "Chairman")
    assert {m.party_side for m in result.records} == {"majority", "minority"}
    assert any(m.committee_id == "HSAG15" for m in result.records)


def test_bad_committee_entries_are_quarantined() -> None:
    data = b"""
- type: house
  name: Good
  thomas_id: HSXX
  subcommittees: [{name: Sub, thomas_id: '01'}, {name: No id}]
- {type: moon, name: Bad, thomas_id: MMXX, subcommittees: [{name: Orphan, thomas_id: '02'}]}
"""
    result = parse_committees(data)
    assert [c.committee_id for c in result.records] == ["HSXX", "HSXX01"]
    assert [(q.record_ref, q.reason) for q in result.quarantined] == [
        ("entry 0 (HSXX) subcommittee 1", "missing thomas_id"),
        ("entry 1", "committee type 'moon' is not one of ('house', 'senate', 'joint')"),
    ]


def test_bad_seats_are_quarantined() -> None:
    data = b"""
HSXX:
- {name: Ann, party: majority, rank: 1, title: Chair, bioguide: X000001}
- {name: Bob, party: majority, rank: one, bioguide: X000002}
- {name: Cy, party: majority, rank: 2}
- {name: Dee, party: independent, rank: 3, bioguide: X000004}
HSYY: not a list
"""
    result = parse_memberships(data)
    assert [(m.bioguide_id, m.rank, m.title) for m in result.records] == [("X000001", 1, "Chair")]
    assert [(q.record_ref, q.reason) for q in result.quarantined] == [
        ("HSXX seat 1", "rank is not a number: 'one'"),
        ("HSXX seat 2", "missing bioguide"),
        ("HSXX seat 3", "party 'independent' is neither majority nor minority"),
        ("HSYY", "seats of HSYY are a str, not a list"),
    ]
