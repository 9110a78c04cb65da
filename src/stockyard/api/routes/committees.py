"""GET /api/committees, /api/committees.csv and /api/committees/{committee_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import (
    CommitteeDetailOut,
    CommitteeOut,
    CommitteeSeatOut,
    Paged,
)
from stockyard.api.listing_params import CommitteeQuery, CommitteeSeatsQuery
from stockyard.api.schemas import TickerCountOut
from stockyard.warehouse.place_reads import (
    DEFAULT_SEAT_SORT,
    CommitteeSummary,
    get_committee,
    list_committees,
)
from stockyard.warehouse.queries import Page

router = APIRouter(prefix="/api", tags=["committees"])

CommitteeId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9]{2,12}$",
        description="Committee id from congress-legislators, e.g. SSFI or HSBA (subcommittee HSBA16)",
    ),
]


def _list(
    con: WarehouseDep, query: CommitteeQuery, page: int, page_size: int
) -> Page[CommitteeSummary]:
    return list_committees(
        con,
        name=query.name,
        chamber=query.chamber,
        include_subcommittees=query.include_subcommittees,
        sort=query.sort,
        page=page,
        page_size=page_size,
    )


@router.get("/committees", response_model=Paged[CommitteeOut])
def get_committees(
    query: Annotated[CommitteeQuery, Query()], con: WarehouseDep
) -> Paged[CommitteeOut]:
    """Committees (subcommittees on request) with how much their members trade."""
    result = _list(con, query, query.page, query.page_size)
    items = [CommitteeOut.model_validate(row) for row in result.items]
    return Paged[CommitteeOut](
        items=items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/committees.csv", response_class=Response, responses=CSV_RESPONSES)
def get_committees_csv(query: Annotated[CommitteeQuery, Query()], con: WarehouseDep) -> Response:
    result = _list(con, query, 1, MAX_CSV_ROWS)
    rows = [CommitteeOut.model_validate(row) for row in result.items]
    return csv_response(rows, CommitteeOut, "committees.csv")


def committee_detail(
    con: WarehouseDep, committee_id: str, members_sort: str = DEFAULT_SEAT_SORT
) -> CommitteeDetailOut | None:
    detail = get_committee(con, committee_id, members_sort)
    if detail is None:
        return None
    return CommitteeDetailOut(
        summary=CommitteeOut.model_validate(detail.summary),
        jurisdiction=detail.jurisdiction,
        parent_name=detail.parent_name,
        subcommittees=[CommitteeOut.model_validate(row) for row in detail.subcommittees],
        seats=[CommitteeSeatOut.model_validate(row) for row in detail.seats],
        top_tickers=[TickerCountOut(ticker=t, trade_count=n) for t, n in detail.top_tickers],
        trades_url=f"/api/trades?committee={detail.summary.committee_id}",
    )


def _committee_or_404(
    con: WarehouseDep, committee_id: str, members_sort: str
) -> CommitteeDetailOut:
    detail = committee_detail(con, committee_id, members_sort)
    if detail is None:
        raise HTTPException(
            status_code=404,
            detail=f"no committee with id {committee_id.upper()!r}; list ids at /api/committees",
        )
    return detail


@router.get(
    "/committees/{committee_id}",
    response_model=CommitteeDetailOut,
    responses={404: {"description": "No committee with this id"}},
)
def get_committee_detail(
    committee_id: CommitteeId, query: Annotated[CommitteeSeatsQuery, Query()], con: WarehouseDep
) -> CommitteeDetailOut:
    """A committee's members (with titles) and what they traded."""
    return _committee_or_404(con, committee_id, query.members_sort)


@router.get(
    "/committees/{committee_id}/seats.csv",
    response_class=Response,
    responses={**CSV_RESPONSES, 404: {"description": "No committee with this id"}},
)
def get_committee_seats_csv(
    committee_id: CommitteeId, query: Annotated[CommitteeSeatsQuery, Query()], con: WarehouseDep
) -> Response:
    """The committee's seats (the roster of its page) as CSV, in the same order."""
    detail = _committee_or_404(con, committee_id, query.members_sort)
    key = detail.summary.committee_id
    return csv_response(detail.seats, CommitteeSeatOut, f"committee-{key}-seats.csv")
