"""GET /api/members and /api/members/{bioguide_id}."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from stockyard.api.deps import WarehouseDep
from stockyard.api.params import MemberQuery
from stockyard.api.schemas import MemberDetail, MemberPage, MemberSummaryOut
from stockyard.warehouse.queries import get_member, list_members

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


@router.get(
    "/members/{bioguide_id}",
    response_model=MemberDetail,
    responses={404: {"description": "No member with this bioguide id"}},
)
def get_member_detail(bioguide_id: BioguideId, con: WarehouseDep) -> MemberDetail:
    """One member's profile and a summary of their current trades."""
    profile = get_member(con, bioguide_id)
    if profile is None:
        raise HTTPException(
            status_code=404,
            detail=f"no member with bioguide id {bioguide_id.upper()!r}; "
            "find ids at /api/members?include_without_trades=true",
        )
    trades_url = f"/api/trades?member={profile.bioguide_id}"
    return MemberDetail.model_validate(asdict(profile) | {"trades_url": trades_url})
