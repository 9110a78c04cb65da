"""Committees and their seats from congress-legislators YAML → typed records (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stockyard.models import Committee, CommitteeMembership, QuarantineRecord
from stockyard.sources.legislators.results import ParseResult, load_yaml, quarantine

COMMITTEES_DATASET = "committees"
MEMBERSHIP_DATASET = "committee-membership-current"

COMMITTEE_CHAMBERS = ("house", "senate", "joint")
PARTY_SIDES = ("majority", "minority")


def _required_text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    # thomas ids like '15' are quoted in the file, but an unquoted one would load as an int.
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError(f"missing {key}")
    return text


def _optional_text(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    text = str(value).strip() if value is not None else ""
    return text or None


def _committee(raw: Mapping[str, Any]) -> tuple[Committee, list[Any]]:
    chamber = _required_text(raw, "type")
    if chamber not in COMMITTEE_CHAMBERS:
        raise ValueError(f"committee type {chamber!r} is not one of {COMMITTEE_CHAMBERS}")
    committee = Committee(
        committee_id=_required_text(raw, "thomas_id"),
        name=_required_text(raw, "name"),
        chamber=chamber,
        jurisdiction=_optional_text(raw, "jurisdiction"),
    )
    subcommittees = raw.get("subcommittees") or []
    if not isinstance(subcommittees, list):
        raise ValueError("subcommittees is not a list")
    return committee, subcommittees


def _subcommittee(parent: Committee, raw: object) -> Committee:
    if not isinstance(raw, dict):
        raise ValueError(f"subcommittee is a {type(raw).__name__}, not a mapping")
    return Committee(
        # The membership file keys subcommittees the same way: parent thomas id + their own.
        committee_id=parent.committee_id + _required_text(raw, "thomas_id"),
        name=_required_text(raw, "name"),
        chamber=parent.chamber,
        parent_id=parent.committee_id,
        jurisdiction=_optional_text(raw, "jurisdiction"),
    )


def parse_committees(data: bytes | str) -> ParseResult[Committee]:
    """``committees-current.yaml`` (or ``-historical``): committees, then each one's subcommittees.

    A bad committee is quarantined with its subcommittees (they have no usable parent); a bad
    subcommittee alone is quarantined on its own.
    """
    entries = load_yaml(data, COMMITTEES_DATASET, list)
    records: list[Committee] = []
    quarantined: list[QuarantineRecord] = []
    for index, raw in enumerate(entries):
        ref = f"entry {index}"
        try:
            if not isinstance(raw, dict):
                raise ValueError(f"entry is a {type(raw).__name__}, not a mapping")
            committee, subcommittees = _committee(raw)
        except ValueError as exc:
            quarantined.append(quarantine(COMMITTEES_DATASET, str(exc), ref, raw))
            continue
        records.append(committee)
        for sub_index, sub in enumerate(subcommittees):
            try:
                records.append(_subcommittee(committee, sub))
            except ValueError as exc:
                sub_ref = f"{ref} ({committee.committee_id}) subcommittee {sub_index}"
                quarantined.append(quarantine(COMMITTEES_DATASET, str(exc), sub_ref, sub))
    return ParseResult(records, quarantined)


def _rank(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"rank is not a number: {value!r}")
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"rank is not a number: {value!r}") from None


def _membership(committee_id: str, raw: object) -> CommitteeMembership:
    if not isinstance(raw, dict):
        raise ValueError(f"seat is a {type(raw).__name__}, not a mapping")
    side = _optional_text(raw, "party")
    if side is not None and side not in PARTY_SIDES:
        raise ValueError(f"party {side!r} is neither majority nor minority")
    return CommitteeMembership(
        committee_id=committee_id,
        bioguide_id=_required_text(raw, "bioguide"),
        party_side=side,
        rank=_rank(raw.get("rank")),
        title=_optional_text(raw, "title"),
    )


def parse_memberships(data: bytes | str) -> ParseResult[CommitteeMembership]:
    """``committee-membership-current.yaml``: committee or subcommittee id → its seats."""
    table = load_yaml(data, MEMBERSHIP_DATASET, dict)
    records: list[CommitteeMembership] = []
    quarantined: list[QuarantineRecord] = []
    for committee_id, seats in table.items():
        if not isinstance(seats, list):
            reason = f"seats of {committee_id} are a {type(seats).__name__}, not a list"
            quarantined.append(quarantine(MEMBERSHIP_DATASET, reason, str(committee_id), seats))
            continue
        for index, raw in enumerate(seats):
            try:
                records.append(_membership(str(committee_id), raw))
            except ValueError as exc:
                ref = f"{committee_id} seat {index}"
                quarantined.append(quarantine(MEMBERSHIP_DATASET, str(exc), ref, raw))
    return ParseResult(records, quarantined)
