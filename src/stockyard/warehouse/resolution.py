"""Who filed what: run the member resolver over every filer in the raw layer.

Writes ``raw.member_resolutions`` (one row per source document, resolved or not) as a whole in
one transaction, so re-running gives the same rows. Unresolved filers are kept with the
resolver's reason and counted; the marts then carry a null bioguide id rather than a guess.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from stockyard.models import Legislator, Term
from stockyard.resolve.members import MemberResolver
from stockyard.warehouse.bulk import Lineage, delete_partition, insert_rows
from stockyard.warehouse.db import transaction

_LINEAGE_KEY = ("stockyard", "member_resolutions", "all")


@dataclass(frozen=True, slots=True)
class ResolutionSummary:
    resolved: int
    unresolved: int
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.resolved + self.unresolved


@dataclass(frozen=True, slots=True)
class _Filer:
    source: str
    doc_id: str
    name: str | None
    chamber: str | None
    state_district: str | None
    filed: date | None
    stated_bioguide_id: str | None
    # House index rows name the filer in parts (last, first, suffix); resolve those as parts.
    parts: tuple[str, str, str | None] | None = None


def read_legislators(con: duckdb.DuckDBPyConnection) -> list[Legislator]:
    """Rebuild the typed legislators (with their terms, in order) from the raw tables."""
    terms: dict[str, list[Term]] = {}
    for bioguide_id, chamber, state, district, party, start, end in con.execute(
        """SELECT bioguide_id, chamber, state, district, party, start_date, end_date
           FROM raw.legislator_terms ORDER BY bioguide_id, term_index"""
    ).fetchall():
        terms.setdefault(bioguide_id, []).append(
            Term(chamber=chamber, state=state, start=start, end=end, district=district, party=party)
        )
    return [
        Legislator(
            bioguide_id=row[0],
            first_name=row[1] or "",
            last_name=row[2] or "",
            full_name=row[3] or "",
            middle_name=row[4],
            nickname=row[5],
            suffix=row[6],
            terms=tuple(terms.get(row[0], ())),
            is_current=bool(row[7]),
        )
        for row in con.execute(
            """SELECT bioguide_id, first_name, last_name, full_name, middle_name, nickname, suffix,
                      is_current
               FROM raw.legislators ORDER BY bioguide_id"""
        ).fetchall()
    ]


def _filers(con: duckdb.DuckDBPyConnection) -> list[_Filer]:
    # House index rows stand in for PTRs we have not fetched, so they need a member too.
    rows = con.execute(
        """
        WITH house_index AS (
            SELECT * FROM raw.fd_index WHERE filing_type = 'P'
            QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY _loaded_at DESC, "year" DESC) = 1
        )
        -- A scan whose header OCR could not read still has its filer in the Clerk's index.
        SELECT d.source, d.doc_id,
               coalesce(d.filer_name, concat_ws(' ', nullif(trim(i.first_name), ''),
                        nullif(trim(i.last_name), ''), nullif(trim(i.suffix), ''))),
               d.chamber, coalesce(d.state_district, i.state_district),
               coalesce(d.filed_date, i.filing_date), d.bioguide_id,
               CASE WHEN d.filer_name IS NULL THEN i.last_name END,
               CASE WHEN d.filer_name IS NULL THEN i.first_name END,
               CASE WHEN d.filer_name IS NULL THEN nullif(trim(i.suffix), '') END
        FROM raw.documents AS d
        LEFT JOIN house_index AS i ON d.source = 'house_clerk' AND i.doc_id = d.doc_id
        UNION ALL
        SELECT 'house_clerk', i.doc_id,
               concat_ws(' ', nullif(trim(i.first_name), ''), nullif(trim(i.last_name), ''),
                         nullif(trim(i.suffix), '')),
               'house', i.state_district, i.filing_date, NULL,
               i.last_name, i.first_name, nullif(trim(i.suffix), '')
        FROM raw.fd_index AS i
        WHERE i.filing_type = 'P'
          AND NOT EXISTS (
              SELECT 1 FROM raw.documents AS d
              WHERE d.source = 'house_clerk' AND d.doc_id = i.doc_id)
        ORDER BY 1, 2
        """
    ).fetchall()
    seen: set[tuple[str, str]] = set()
    filers: list[_Filer] = []
    for source, doc_id, name, chamber, district, filed, stated, last, first, suffix in rows:
        # One index can list a DocID twice (re-published years); the first row is enough.
        if (source, doc_id) in seen:
            continue
        seen.add((source, doc_id))
        parts = (last, first, suffix) if last and first else None
        filers.append(_Filer(source, doc_id, name, chamber, district, filed, stated, parts))
    return filers


def _resolve_one(
    resolver: MemberResolver, known_ids: set[str], filer: _Filer
) -> tuple[str | None, str, float, str, list[str]]:
    """(bioguide_id, method, confidence, reason, candidates) for one filer."""
    vendor_note = ""
    if filer.stated_bioguide_id:
        if filer.stated_bioguide_id in known_ids:
            return (
                filer.stated_bioguide_id,
                "source_stated",
                1.0,
                "bioguide id stated by source",
                [],
            )
        # A vendor id we cannot find is not trusted; fall back to the name and say why.
        vendor_note = f"source-stated bioguide id {filer.stated_bioguide_id} not in legislators; "
    if not filer.name or filer.chamber not in ("house", "senate"):
        reason = "no filer name" if not filer.name else f"unknown chamber {filer.chamber!r}"
        return None, "none", 0.0, vendor_note + reason, []
    if filer.parts is not None:
        last, first, suffix = filer.parts
        result = resolver.resolve_parts(
            last,
            first,
            suffix=suffix,
            chamber="house",
            state_district=filer.state_district,
            on=filer.filed,
        )
    elif filer.chamber == "house":
        result = resolver.resolve(
            filer.name, chamber="house", state_district=filer.state_district, on=filer.filed
        )
    else:
        result = resolver.resolve(filer.name, chamber="senate", on=filer.filed)
    candidates = [str(c) for c in (result.candidates or ())]
    return (
        result.bioguide_id,
        str(result.method),
        float(result.confidence),
        vendor_note + (result.reason or ""),
        candidates,
    )


def resolve_members(con: duckdb.DuckDBPyConnection) -> ResolutionSummary:
    """Resolve every filer in raw.documents and the House index; rewrite raw.member_resolutions."""
    legislators = read_legislators(con)
    resolver = MemberResolver(legislators)
    known_ids = {p.bioguide_id for p in legislators}
    cache: dict[tuple[Any, ...], tuple[str | None, str, float, str, list[str]]] = {}
    rows: list[tuple[Any, ...]] = []
    for filer in _filers(con):
        key = (
            filer.name,
            filer.parts,
            filer.chamber,
            filer.state_district,
            filer.filed,
            filer.stated_bioguide_id,
        )
        if key not in cache:
            cache[key] = _resolve_one(resolver, known_ids, filer)
        bioguide_id, method, confidence, reason, candidates = cache[key]
        rows.append(
            (
                filer.source,
                filer.doc_id,
                filer.name,
                bioguide_id,
                method,
                confidence,
                reason,
                candidates,
            )
        )
    lineage = Lineage(*_LINEAGE_KEY, loaded_at=datetime.now(UTC))
    with transaction(con):
        delete_partition(con, "member_resolutions", lineage)
        insert_rows(con, "member_resolutions", rows, lineage=lineage, landing_paths=None)
    methods = Counter(row[4] for row in rows)
    resolved = sum(1 for row in rows if row[3] is not None)
    return ResolutionSummary(
        resolved=resolved, unresolved=len(rows) - resolved, by_method=dict(methods)
    )
