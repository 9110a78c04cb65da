"""GET /api/members, /api/members.csv and /api/members/{bioguide_id}."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import (
    MemberProfileOut,
    MemberSeatOut,
    OversightOut,
    PerformanceOut,
)
from stockyard.api.params import MemberQuery
from stockyard.api.routes.overview import lag_out
from stockyard.api.schemas import MemberPage, MemberSummaryOut
from stockyard.warehouse.member_reads import get_member, list_members
from stockyard.warehouse.oversight_reads import member_oversight
from stockyard.warehouse.place_reads import member_committees
from stockyard.warehouse.stats_reads import lag_stats, member_performance, member_volume

router = APIRouter(prefix="/api", tags=["members"])

BioguideId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z]\d{6}$",
        description="Bioguide id: a letter and six digits, e.g. P000197",
    ),
]


@router.get("/members", response_model=MemberPage)
def get_members(query: Annotated[MemberQuery, Query()], con: WarehouseDep) -> MemberPage:
    """Members with their trade counts; those without trades only on request."""
    result = list_members(con, **query.to_arguments())
    return MemberPage(
        items=[MemberSummaryOut.model_validate(row) for row in result.items],
        page=result.page,
        page_size=result.page_size,
        total=result.total,
    )


@router.get("/members.csv", response_class=Response, responses=CSV_RESPONSES)
def get_members_csv(query: Annotated[MemberQuery, Query()], con: WarehouseDep) -> Response:
    arguments = query.to_arguments() | {"page": 1, "page_size": MAX_CSV_ROWS}
    rows = [MemberSummaryOut.model_validate(row) for row in list_members(con, **arguments).items]
    return csv_response(rows, MemberSummaryOut, "members.csv")


def member_profile(con: WarehouseDep, bioguide_id: str) -> MemberProfileOut | None:
    profile = get_member(con, bioguide_id)
    if profile is None:
        return None
    performance = member_performance(con, profile.bioguide_id)
    oversight = member_oversight(con, profile.bioguide_id)
    return MemberProfileOut.model_validate(
        asdict(profile)
        | {
            "trades_url": f"/api/trades?member={profile.bioguide_id}",
            "est_volume": member_volume(con, profile.bioguide_id),
            "committee_seats": [
                MemberSeatOut.model_validate(seat)
                for seat in member_committees(con, profile.bioguide_id)
            ],
            "lag": lag_out(lag_stats(con, profile.bioguide_id)),
            "performance": PerformanceOut.model_validate(performance) if performance else None,
            "oversight": OversightOut.model_validate(asdict(oversight)) if oversight else None,
        }
    )


@router.get(
    "/members/{bioguide_id}",
    response_model=MemberProfileOut,
    responses={404: {"description": "No member with this bioguide id"}},
)
def get_member_detail(bioguide_id: BioguideId, con: WarehouseDep) -> MemberProfileOut:
    """One member's profile, committee seats, disclosure lag, performance and trade summary."""
    profile = member_profile(con, bioguide_id)
    if profile is None:
        raise HTTPException(
            status_code=404,
            detail=f"no member with bioguide id {bioguide_id.upper()!r}; "
            "find ids at /api/members?include_without_trades=true",
        )
    return profile
