"""GET /api/filings, /api/filings.csv and /api/filings/{filing_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Query
from fastapi.responses import Response

from stockyard.api.csv_export import CSV_RESPONSES, MAX_CSV_ROWS, csv_response
from stockyard.api.deps import ReviewStoreDep, SettingsDep, WarehouseDep
from stockyard.api.explore_schemas import (
    CorrectionIn,
    CorrectionOut,
    FilingDetailOut,
    FilingOut,
    Paged,
    QuarantinedRowOut,
)
from stockyard.api.listing_params import FilingQuery
from stockyard.api.schemas import TradeOut
from stockyard.api.tokens import check_token
from stockyard.config import Settings
from stockyard.warehouse.filing_reads import get_filing, list_filings
from stockyard.warehouse.queries import TradeFilters, list_trades
from stockyard.warehouse.review import NoSuchRow, ReviewError, add_correction, list_corrections
from stockyard.warehouse.review_store import ReviewStore

router = APIRouter(prefix="/api", tags=["filings"])

FilingId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$",
        description="Chamber and document id, e.g. house-20024542",
    ),
]
FILING_TRADE_LIMIT = 500


@router.get("/filings", response_model=Paged[FilingOut])
def get_filings(query: Annotated[FilingQuery, Query()], con: WarehouseDep) -> Paged[FilingOut]:
    """Every disclosure document with its status and how many rows it gave."""
    result = list_filings(con, **query.to_arguments())
    items = [FilingOut.model_validate(row) for row in result.items]
    return Paged[FilingOut](
        items=items, page=result.page, page_size=result.page_size, total=result.total
    )


@router.get("/filings.csv", response_class=Response, responses=CSV_RESPONSES)
def get_filings_csv(query: Annotated[FilingQuery, Query()], con: WarehouseDep) -> Response:
    result = list_filings(con, **(query.to_arguments() | {"page": 1, "page_size": MAX_CSV_ROWS}))
    rows = [FilingOut.model_validate(row) for row in result.items]
    return csv_response(rows, FilingOut, "filings.csv")


def filing_detail(con: WarehouseDep, store: ReviewStore, filing_id: str) -> FilingDetailOut | None:
    detail = get_filing(con, filing_id)
    if detail is None:
        return None
    trades = _filing_trades(con, detail.filing.filing_id)
    return FilingDetailOut(
        filing=FilingOut.model_validate(detail.filing),
        quarantined=[QuarantinedRowOut.model_validate(row) for row in detail.quarantined],
        trades=trades,
        corrections=[
            CorrectionOut.model_validate(c)
            for c in list_corrections(con, store, detail.filing.filing_id)
        ],
    )


def _filing_trades(con: WarehouseDep, filing_id: str) -> list[TradeOut]:
    # A filing's rows include superseded ones: an amended filing still shows what it said.
    filters = TradeFilters(include_superseded=True, filing_id=filing_id)
    result = list_trades(con, filters, "tx_date", 1, FILING_TRADE_LIMIT)
    return [TradeOut.model_validate(row) for row in result.items]


@router.get(
    "/filings/{filing_id}",
    response_model=FilingDetailOut,
    responses={404: {"description": "No filing with this id"}},
)
def get_filing_detail(
    filing_id: FilingId, con: WarehouseDep, store: ReviewStoreDep
) -> FilingDetailOut:
    """One filing: its source document, status, parsed rows and any quarantined rows."""
    detail = filing_detail(con, store, filing_id)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"no filing with id {filing_id!r}")
    return detail


def record_correction(
    con: WarehouseDep,
    store: ReviewStore,
    settings: Settings,
    filing_id: str,
    correction: CorrectionIn,
    token: str | None,
) -> CorrectionOut:
    """Check the review token, then record the fix (shared by the API and the filing page's form)."""
    check_token(settings.review_token, token, setting="STOCKYARD_REVIEW_TOKEN")
    try:
        recorded = add_correction(
            con,
            store,
            filing_id=filing_id,
            row_position=correction.row_position,
            field=correction.field,
            value=correction.value,
            reviewer=correction.reviewer,
            note=correction.note,
        )
    except NoSuchRow as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    except ReviewError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    return CorrectionOut.model_validate(recorded)


@router.post(
    "/filings/{filing_id}/corrections",
    response_model=CorrectionOut,
    status_code=201,
    responses={
        401: {"description": "Wrong or missing X-Stockyard-Token"},
        403: {"description": "No review token is configured: corrections are off"},
        404: {"description": "No such row in this filing"},
        422: {"description": "Unknown field or a value the field cannot take"},
    },
)
def post_correction(
    filing_id: FilingId,
    correction: CorrectionIn,
    con: WarehouseDep,
    store: ReviewStoreDep,
    settings: SettingsDep,
    x_stockyard_token: Annotated[str | None, Header()] = None,
) -> CorrectionOut:
    """Fix one field of one row against the page image (needs the review token). The fix is kept
    with who, when, old → new; the marts show it from the next publish."""
    return record_correction(con, store, settings, filing_id, correction, x_stockyard_token)
