"""Members of Congress and their committees (congress-legislators shape, bioguide id as key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Term:
    chamber: str  # "house" | "senate"
    state: str
    start: date
    end: date
    district: int | None = None  # House only; 0 for at-large
    party: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def state_district(self) -> str | None:
        """House seat as the Clerk writes it (``NC05``; at-large ``AK00``)."""
        if self.chamber != "house" or self.district is None:
            return None
        return f"{self.state}{self.district:02d}"


@dataclass(frozen=True, slots=True)
class Legislator:
    bioguide_id: str
    first_name: str
    last_name: str
    full_name: str
    middle_name: str | None = None
    nickname: str | None = None
    suffix: str | None = None
    terms: tuple[Term, ...] = field(default_factory=tuple)
    is_current: bool = False

    @property
    def last_term(self) -> Term | None:
        return self.terms[-1] if self.terms else None


@dataclass(frozen=True, slots=True)
class Committee:
    committee_id: str  # thomas id, e.g. "HSAG"; subcommittees "HSAG15"
    name: str
    chamber: str  # "house" | "senate" | "joint"
    parent_id: str | None = None
    jurisdiction: str | None = None


@dataclass(frozen=True, slots=True)
class CommitteeMembership:
    committee_id: str
    bioguide_id: str
    party_side: str | None = None  # "majority" | "minority"
    rank: int | None = None
    title: str | None = None
