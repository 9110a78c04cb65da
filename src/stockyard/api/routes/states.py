"""GET /api/states, /api/states.csv and /api/states/{state}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import WarehouseDep
from stockyard.api.explore_schemas import Paged, StateDetail, StateOut
from stockyard.api.listing_params import StateListQuery, StateMembersQuery
from stockyard.api.schemas import MemberSummaryOut
from stockyard.warehouse.member_reads import list_members
from stockyard.warehouse.place_reads import get_state, list_states

router = APIRouter(prefix="/api", tags=["states"])

StateCode = Annotated[
    str, Path(pattern=r"^[A-Za-z]{2}$", description="Two-letter postal code, e.g. CA")
]


@router.get("/states", response_model=Paged[StateOut])
def get_states(query: Annotated[StateListQuery, Query()], con: WarehouseDep) -> Paged[StateOut]:
    """Each state's members and their trading totals."""
    result = list_states(
        con, chamber=query.chamber, sort=query.sort, page=query.page, page_size=query.page_size
    )
    items = [StateOut.model_validate(row) for row in result.items]
    return Paged[StateOut](
        items=items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/states.csv", response_class=Response, responses=CSV_RESPONSES)
def get_states_csv(query: Annotated[StateListQuery, Query()], con: WarehouseDep) -> Response:
    result = list_states(con, chamber=query.chamber, sort=query.sort, page_size=MAX_CSV_ROWS)
    rows = [StateOut.model_validate(row) for row in result.items]
    return csv_response(rows, StateOut, "states.csv")


def state_detail(
    con: WarehouseDep, state: str, members_sort: str = "-trade_count"
) -> StateDetail | None:
    summary = get_state(con, state)
    if summary is None:
        return None
    members = list_members(
        con, state=summary.state, include_without_trades=True, sort=members_sort, page_size=500
    )
    # Current members and anyone who traded; not every former member the state ever sent.
    roster = [row for row in members.items if row.is_current or row.trade_count]
    return StateDetail(
        summary=StateOut.model_validate(summary),
        members=[MemberSummaryOut.model_validate(row) for row in roster],
        trades_url=f"/api/trades?state={summary.state}",
    )


def _state_or_404(con: WarehouseDep, state: str, members_sort: str) -> StateDetail:
    detail = state_detail(con, state, members_sort)
    if detail is None:
        raise HTTPException(
            status_code=404, detail=f"no members or trades for state {state.upper()!r}"
        )
    return detail


@router.get(
    "/states/{state}",
    response_model=StateDetail,
    responses={404: {"description": "No members or trades for this state"}},
)
def get_state_detail(
    state: StateCode, query: Annotated[StateMembersQuery, Query()], con: WarehouseDep
) -> StateDetail:
    """A state's totals and its members (current members and anyone who traded)."""
    return _state_or_404(con, state, query.members_sort)


@router.get(
    "/states/{state}/members.csv",
    response_class=Response,
    responses={**CSV_RESPONSES, 404: {"description": "No members or trades for this state"}},
)
def get_state_members_csv(
    state: StateCode, query: Annotated[StateMembersQuery, Query()], con: WarehouseDep
) -> Response:
    """The state's members (the roster of its page) as CSV, in the same order."""
    detail = _state_or_404(con, state, query.members_sort)
    code = detail.summary.state
    return csv_response(detail.members, MemberSummaryOut, f"state-{code}-members.csv")
