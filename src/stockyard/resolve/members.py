"""Filer names → bioguide ids, never guessing: one clear candidate or no answer with a reason.

How a name is matched:
1. normalise it (`stockyard.resolve.names`): accents folded, titles, suffixes and punctuation gone;
2. find members whose surname (whole, or one word of a compound surname) appears in it;
3. keep those with a term in the chamber, at the seat, around the date (terms get a grace period
   after they end, since reports are filed months after the trades and after leaving office);
4. weigh the remaining words against their given names (first, middle, nickname, official name,
   common nickname equivalents, initials). A contradicting given name rules a member out.

The geography is tried narrowest first: the district alone may settle a bare surname ("Pelosi",
CA12); a state needs a given name too; with no place at all (Senate filings) the given name must
match in full. Ties are broken only by stronger evidence (more of the given names explained, a
whole surname, a stated suffix, real term dates over an inferred window); several members still
left → unresolved, with every candidate named.

Former members come from legislators-historical.csv, which has only their last term and no term
dates (see `parse_historical_csv`): they are matched on that term's place within a window bounded
by their birthday, so a former member whose earlier seat differs from the last one is found only
by state (House → Senate moves are not found under the House at all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from stockyard.models import Legislator, Term
from stockyard.resolve.names import (
    LEGAL_GIVEN_NAMES,
    PARTICLES,
    ParsedName,
    given_forms,
    parse_name,
    parse_parts,
    tokens,
)

# Reports arrive after the term: annual reports in May, late PTRs, amendments years on.
GRACE_AFTER_TERM = timedelta(days=400)
# Members-elect sometimes file before they are sworn in.
GRACE_BEFORE_TERM = timedelta(days=62)
# Compound surnames never have more words than this ("Hernández Rivera", "De La Cruz").
MAX_SURNAME_WORDS = 3
CACHE_LIMIT = 200_000

# Evidence a filer's given names give for one member, strongest first.
NAME, INITIAL, NOTHING, CONFLICT = "first", "initial", "", "conflict"
_EVIDENCE_RANK = {NAME: 0, INITIAL: 1, NOTHING: 2}

_CONFIDENCE = {
    ("district", NAME): 0.99,
    ("district", INITIAL): 0.97,
    ("district", NOTHING): 0.95,
    ("state", NAME): 0.95,
    ("state", INITIAL): 0.85,
    ("", NAME): 0.9,
}
PARTIAL_SURNAME_PENALTY = 0.05
GRACE_PENALTY = 0.03

_SEAT = re.compile(r"^\s*([A-Za-z]{2})\s*-?\s*(\d{1,2}|AL)?\s*$")


@dataclass(frozen=True, slots=True)
class Resolution:
    bioguide_id: str | None
    method: str  # "district+surname+first", "state+surname+initial", … or "unresolved"
    confidence: float
    reason: str
    candidates: tuple[str, ...]

    @property
    def resolved(self) -> bool:
        return self.bioguide_id is not None


@dataclass(frozen=True, slots=True)
class _Member:
    legislator: Legislator
    given: frozenset[str]  # given names and their nickname equivalents
    initials: frozenset[str]
    suffix: str | None
    # False for a former member known only from legislators-historical.csv: one term, no dates.
    dated: bool


@dataclass(frozen=True, slots=True)
class _Match:
    member: _Member
    evidence: str
    support: int  # how many of the filer's given-name words this member accounts for
    partial_surname: bool
    in_grace_only: bool


@dataclass(frozen=True, slots=True)
class _Place:
    chamber: str | None
    state: str | None
    district: int | None

    def describe(self) -> str:
        if self.state and self.district is not None:
            return f"{self.state}{self.district:02d}"
        if self.state:
            return self.state
        return f"the {self.chamber.title()}" if self.chamber else "Congress"


def parse_seat(state_district: str | None, state: str | None) -> tuple[str | None, int | None]:
    """ "gA12" → ("GA", 12); "AK00"/"AKAL" → ("AK", 0); a state alone → (state, None)."""
    if state_district:
        found = _SEAT.match(state_district)
        if not found:
            raise ValueError(f"not a state+district like 'NC05': {state_district!r}")
        number = found.group(2)
        if number is None:
            return found.group(1).upper(), None
        return found.group(1).upper(), 0 if number.upper() == "AL" else int(number)
    return (state.strip().upper() or None) if state else None, None


def _member(legislator: Legislator) -> _Member:
    surname_words = set(tokens(legislator.last_name))
    given_words: set[str] = set()
    for text in (legislator.first_name, legislator.middle_name, legislator.nickname):
        given_words.update(tokens(text or ""))
    # The official name carries the form members go by ("Scott Franklin" for "C. Scott").
    given_words.update(w for w in tokens(legislator.full_name) if w not in surname_words)
    given_words.update(LEGAL_GIVEN_NAMES.get(legislator.bioguide_id, ()))
    given_words -= {"jr", "sr", "ii", "iii", "iv"}
    initials = {w[0] for w in tokens(legislator.first_name)}
    initials.update(w[0] for w in tokens(legislator.middle_name or ""))
    initials.update(w[0] for w in tokens(legislator.nickname or ""))
    full_given = {w for w in given_words if len(w) > 1}
    expanded = set().union(*(given_forms(w) for w in full_given)) if full_given else set()
    suffix_words = tokens(legislator.suffix or "")
    return _Member(
        legislator=legislator,
        given=frozenset(expanded),
        initials=frozenset(initials),
        suffix=suffix_words[0] if suffix_words else None,
        dated=_has_term_dates(legislator),
    )


def _has_term_dates(legislator: Legislator) -> bool:
    """Whether the terms are real dates, not the window `parse_historical_csv` infers.

    The model has no flag for it, so this leans on what the CSV yields: a former member with a
    single term. A former member who really served one term counts as undated too, which only
    costs them a tie-break against a dated member (see `_narrow`).
    """
    return legislator.is_current or len(legislator.terms) > 1


def _surname_keys(last_name: str) -> list[tuple[tuple[str, ...], bool]]:
    """The word sequences a surname may appear as: whole, and each word of a compound one."""
    words = tokens(last_name)
    keys = [(words, False)]
    if len(words) > 1:
        keys += [((w,), True) for w in words if w not in PARTICLES and len(w) > 1]
    return keys


def _evidence(member: _Member, given_words: list[str]) -> tuple[str, int]:
    """How the filer's given-name words bear on one member, and how many of them it explains."""
    if not given_words:
        return NOTHING, 0
    # One hop only: "ted" matches Edward and Theodore, but Edward never matches Theodore.
    names = {w for w in given_words if len(w) > 1 and w in member.given}
    initials = {w for w in given_words if len(w) == 1 and w in member.initials}
    if names:
        return NAME, len(names) + len(initials)
    if initials:
        return INITIAL, len(initials)
    return CONFLICT, 0


class MemberResolver:
    """Resolves filer names to bioguide ids. Build once (indexes all members), resolve many."""

    def __init__(self, legislators: Iterable[Legislator]) -> None:
        self._by_surname: dict[tuple[str, ...], list[tuple[_Member, bool]]] = {}
        self._cache: dict[tuple[object, ...], Resolution] = {}
        seen: set[str] = set()
        for legislator in legislators:
            if legislator.bioguide_id in seen:
                # One id, one person: a duplicate would make that person "ambiguous" with itself.
                raise ValueError(f"legislator {legislator.bioguide_id} given twice")
            seen.add(legislator.bioguide_id)
            member = _member(legislator)
            for key, partial in _surname_keys(legislator.last_name):
                self._by_surname.setdefault(key, []).append((member, partial))

    def resolve(
        self,
        name: str,
        *,
        chamber: str | None,
        state_district: str | None = None,
        state: str | None = None,
        on: date | None = None,
    ) -> Resolution:
        """A name written in one piece ("Hon. C. Scott Franklin", "Ron L Wyden")."""
        return self._resolve(parse_name(name), name, chamber, state_district, state, on)

    def resolve_parts(
        self,
        last: str,
        first: str,
        *,
        suffix: str | None = None,
        chamber: str | None,
        state_district: str | None = None,
        state: str | None = None,
        on: date | None = None,
    ) -> Resolution:
        """A name a source splits (House FD index ``Last``/``First``/``Suffix``): the surname is
        looked for in ``last`` only, which avoids reading a given name as a surname."""
        shown = f"{first} {last}".strip()
        return self._resolve(
            parse_parts(last, first, suffix), shown, chamber, state_district, state, on
        )

    def _resolve(
        self,
        parsed: ParsedName,
        shown: str,
        chamber: str | None,
        state_district: str | None,
        state: str | None,
        on: date | None,
    ) -> Resolution:
        if chamber is not None and chamber not in ("house", "senate"):
            raise ValueError(f"chamber must be 'house', 'senate' or None, not {chamber!r}")
        seat_state, district = parse_seat(state_district, state)
        place = _Place(chamber, seat_state, district)
        key = (parsed, place, on)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[key] = self._decide(parsed, shown, place, on)
        return cached

    def _decide(self, parsed: ParsedName, shown: str, place: _Place, on: date | None) -> Resolution:
        when = f" on {on.isoformat()}" if on else ""
        if parsed.is_empty:
            return _unresolved(f"no name to resolve in {shown!r}")
        tiers: list[tuple[str, _Place, frozenset[str]]] = []
        if place.state and place.district is not None:
            tiers.append(("district", place, frozenset((NAME, INITIAL, NOTHING))))
        if place.state:
            state_only = _Place(place.chamber, place.state, None)
            tiers.append(("state", state_only, frozenset((NAME, INITIAL))))
        else:
            # No place at all (Senate reports): the method is plain "surname+first".
            tiers.append(("", place, frozenset((NAME,))))
        too_vague: set[str] = set()
        for scope, tier_place, accepted in tiers:
            found = self._matches(parsed, tier_place, on)
            matches = [m for m in found if m.evidence in accepted]
            if matches:
                return _decide_among(_narrow(matches, parsed.suffix), scope)
            too_vague.update(m.member.legislator.bioguide_id for m in found)
        where = f"{place.describe()}{when}"
        if too_vague:
            # Members of that surname serve there, but nothing in the name picks one of them.
            ids = tuple(sorted(too_vague))
            reason = f"too little to choose in {where}: {shown!r} could be {', '.join(ids)}"
            return Resolution(None, "unresolved", 0.0, reason, ids)
        return _unresolved(f"no member named {shown!r} in {where}")

    def _matches(self, parsed: ParsedName, place: _Place, on: date | None) -> list[_Match]:
        words = parsed.words
        low, high = parsed.surname_zone
        found: dict[str, _Match] = {}
        for size in range(1, MAX_SURNAME_WORDS + 1):
            for begin in range(low, high - size + 1):
                span = words[begin : begin + size]
                for member, partial in self._by_surname.get(span, ()):
                    served = _serves(member.legislator.terms, place, on)
                    if served is None:
                        continue
                    given = list(words[:begin] + words[begin + size :])
                    evidence, support = _evidence(member, given)
                    match = _Match(member, evidence, support, partial, served)
                    if match.evidence == CONFLICT:
                        continue
                    best = found.get(member.legislator.bioguide_id)
                    if best is None or _strength(match) < _strength(best):
                        found[member.legislator.bioguide_id] = match
        return list(found.values())


def _serves(terms: tuple[Term, ...], place: _Place, on: date | None) -> bool | None:
    """None if no term fits the place and date; else whether only the grace period makes it fit."""
    only_grace: bool | None = None
    for term in terms:
        if place.chamber and term.chamber != place.chamber:
            continue
        if place.state and term.state != place.state:
            continue
        if place.district is not None and term.district != place.district:
            continue
        if on is None or term.covers(on):
            return False
        if term.start - GRACE_BEFORE_TERM <= on <= term.end + GRACE_AFTER_TERM:
            only_grace = True
    return only_grace


def _strength(match: _Match) -> tuple[int, int, bool, bool]:
    """Lower is stronger: how one member matched, when a name matches it in several ways."""
    return (
        _EVIDENCE_RANK[match.evidence],
        -match.support,
        match.partial_surname,
        match.in_grace_only,
    )


def _keep_if_any(matches: list[_Match], better: Callable[[_Match], bool]) -> list[_Match]:
    preferred = [m for m in matches if better(m)]
    return preferred or matches


def _narrow(matches: list[_Match], suffix: str | None) -> list[_Match]:
    """Several candidates: drop those the name supports less well, one rule at a time.

    Each rule only ever prefers stronger evidence; what is still tied after them stays ambiguous.
    """
    best = min((_EVIDENCE_RANK[m.evidence], -m.support) for m in matches)
    matches = [m for m in matches if (_EVIDENCE_RANK[m.evidence], -m.support) == best]
    # A whole-surname match beats a member found through one word of a compound surname.
    matches = _keep_if_any(matches, lambda m: not m.partial_surname)
    if suffix:
        matches = _keep_if_any(matches, lambda m: m.member.suffix == suffix)
    # A term that really covers the date beats a window inferred from a birthday (the CSV has no
    # term dates): "John N Kennedy" in 2017 is the sitting senator, not John F. Kennedy.
    return _keep_if_any(matches, lambda m: m.member.dated)


def _decide_among(matches: list[_Match], scope: str) -> Resolution:
    ids = tuple(sorted(m.member.legislator.bioguide_id for m in matches))
    if len(matches) > 1:
        return Resolution(None, "unresolved", 0.0, f"ambiguous: {', '.join(ids)}", ids)
    match = matches[0]
    confidence = _CONFIDENCE[(scope, match.evidence)]
    notes = []
    if match.partial_surname:
        confidence -= PARTIAL_SURNAME_PENALTY
        notes.append("one word of a compound surname")
    if match.in_grace_only:
        confidence -= GRACE_PENALTY
        notes.append("date falls in the grace period after a term")
    method = "+".join(part for part in (scope, "surname", match.evidence) if part)
    legislator = match.member.legislator
    reason = f"{legislator.full_name} ({method})" + (f"; {'; '.join(notes)}" if notes else "")
    return Resolution(legislator.bioguide_id, method, round(confidence, 2), reason, ids)


def _unresolved(reason: str) -> Resolution:
    return Resolution(None, "unresolved", 0.0, reason, ())
