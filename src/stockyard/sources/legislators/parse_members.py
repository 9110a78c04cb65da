"""Members of Congress from congress-legislators files → `Legislator` records (pure, no I/O)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from stockyard.models import Legislator, QuarantineRecord, Term
from stockyard.sources.legislators.results import (
    LegislatorsFormatError,
    ParseResult,
    load_yaml,
    quarantine,
)

CURRENT_DATASET = "legislators-current"
HISTORICAL_DATASET = "legislators-historical"

CHAMBERS = {"rep": "house", "sen": "senate"}
# Constitutional minimum ages (Art. I §2 and §3): nobody sat before them.
MIN_AGE = {"house": 25, "senate": 30}
# Nobody has served past 100 (Strom Thurmond left at 100); bounds an undated historical term.
MAX_SERVICE_AGE = 101
FIRST_CONGRESS = date(1789, 3, 4)


def _as_date(value: object, what: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{what} is not an ISO date: {value!r}")


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _district(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ValueError(f"district is not a number: {value!r}") from None


def _chamber(kind: object) -> str:
    chamber = CHAMBERS.get(str(kind))
    if chamber is None:
        raise ValueError(f"term type {kind!r} is neither 'rep' nor 'sen'")
    return chamber


def _state(value: object) -> str:
    state = _text(value)
    if state is None or len(state) != 2 or not state.isalpha():
        raise ValueError(f"state is not a two-letter code: {value!r}")
    return state.upper()


def _compose_full_name(first: str, middle: str | None, last: str, suffix: str | None) -> str:
    name = " ".join(part for part in (first, middle, last) if part)
    return f"{name}, {suffix}" if suffix else name


def _current_term(raw: Mapping[str, Any]) -> Term:
    chamber = _chamber(raw.get("type"))
    start = _as_date(raw.get("start"), "term start")
    end = _as_date(raw.get("end"), "term end")
    if end < start:
        raise ValueError(f"term ends ({end}) before it starts ({start})")
    return Term(
        chamber=chamber,
        state=_state(raw.get("state")),
        start=start,
        end=end,
        district=_district(raw.get("district")) if chamber == "house" else None,
        party=_text(raw.get("party")),
    )


def _current_legislator(raw: Mapping[str, Any]) -> Legislator:
    ids, name = raw.get("id") or {}, raw.get("name") or {}
    bioguide = _text(ids.get("bioguide"))
    first, last = _text(name.get("first")), _text(name.get("last"))
    if not bioguide or not first or not last:
        raise ValueError("missing id.bioguide, name.first or name.last")
    terms = raw.get("terms")
    if not isinstance(terms, list) or not terms:
        raise ValueError("no terms")
    middle, suffix = _text(name.get("middle")), _text(name.get("suffix"))
    return Legislator(
        bioguide_id=bioguide,
        first_name=first,
        last_name=last,
        full_name=_text(name.get("official_full"))
        or _compose_full_name(first, middle, last, suffix),
        middle_name=middle,
        nickname=_text(name.get("nickname")),
        suffix=suffix,
        terms=tuple(sorted((_current_term(t) for t in terms), key=lambda t: t.start)),
        is_current=True,
    )


def parse_current_yaml(data: bytes | str) -> ParseResult[Legislator]:
    """``legislators-current.yaml``: every sitting member with their whole term history."""
    entries = load_yaml(data, CURRENT_DATASET, list)
    records: list[Legislator] = []
    quarantined: list[QuarantineRecord] = []
    for index, raw in enumerate(entries):
        ref = f"entry {index}"
        try:
            if not isinstance(raw, dict):
                raise ValueError(f"entry is a {type(raw).__name__}, not a mapping")
            ref = f"entry {index} ({(raw.get('id') or {}).get('bioguide', '?')})"
            records.append(_current_legislator(raw))
        except (ValueError, TypeError, AttributeError) as exc:
            quarantined.append(quarantine(CURRENT_DATASET, str(exc), ref, raw))
    return ParseResult(records, quarantined)


def _undated_term_window(chamber: str, birthday: date | None, as_of: date) -> tuple[date, date]:
    """The span a historical member's last term must lie in, since the CSV gives no term dates.

    It opens when they reached the chamber's minimum age and closes at ``as_of`` (they had left by
    the time the file was published) or at 101, whichever is first. Without a birthday (542 people
    in the 2026 file, early members whose records lack one) the only bound is the first Congress.
    """
    if birthday is None:
        return FIRST_CONGRESS, as_of
    start = max(FIRST_CONGRESS, birthday + relativedelta(years=MIN_AGE[chamber]))
    end = min(as_of, birthday + relativedelta(years=MAX_SERVICE_AGE))
    if end < start:
        raise ValueError(f"born {birthday}: too young to have served by {as_of}")
    return start, end


def _historical_legislator(row: Mapping[str, str], as_of: date) -> Legislator:
    bioguide, first, last = (_text(row.get(k)) for k in ("bioguide_id", "first_name", "last_name"))
    if not bioguide or not first or not last:
        raise ValueError("missing bioguide_id, first_name or last_name")
    chamber = _chamber(row.get("type"))
    birthday_text = _text(row.get("birthday"))
    birthday = _as_date(birthday_text, "birthday") if birthday_text else None
    start, end = _undated_term_window(chamber, birthday, as_of)
    term = Term(
        chamber=chamber,
        state=_state(row.get("state")),
        start=start,
        end=end,
        district=_district(row.get("district")) if chamber == "house" else None,
        party=_text(row.get("party")),
    )
    middle, suffix = _text(row.get("middle_name")), _text(row.get("suffix"))
    return Legislator(
        bioguide_id=bioguide,
        first_name=first,
        last_name=last,
        full_name=_text(row.get("full_name")) or _compose_full_name(first, middle, last, suffix),
        middle_name=middle,
        nickname=_text(row.get("nickname")),
        suffix=suffix,
        terms=(term,),
        is_current=False,
    )


def parse_historical_csv(
    data: bytes | str, *, as_of: date | None = None
) -> ParseResult[Legislator]:
    """``legislators-historical.csv``: every former member, with ONE term built from the CSV.

    The CSV flattens each person to their LAST term (type, state, district, party) and carries no
    term dates; the full histories live in legislators-historical.yaml, which we cannot bundle.
    So the single `Term` is approximate: its start/end are the window the last term must lie in
    (see `_undated_term_window`), not the real term dates, and earlier terms (say, House years
    before a Senate seat) are missing. ``as_of`` is when the file was published or fetched
    (default: today); every person in it had left Congress by then.
    """
    as_of = as_of or date.today()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text))
    missing = {"bioguide_id", "last_name", "first_name", "type", "state"} - set(
        reader.fieldnames or ()
    )
    if missing:
        raise LegislatorsFormatError(f"{HISTORICAL_DATASET}: missing columns {sorted(missing)}")
    records: list[Legislator] = []
    quarantined: list[QuarantineRecord] = []
    for line, row in enumerate(reader, start=2):
        try:
            records.append(_historical_legislator(row, as_of))
        except (ValueError, TypeError) as exc:
            quarantined.append(quarantine(HISTORICAL_DATASET, str(exc), f"line {line}", row))
    return ParseResult(records, quarantined)
