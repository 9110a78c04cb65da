"""GET /api/filings/{filing_id}/pages/{page}.png: the scanned page an OCR-read row came from.

Rendered upright once, when the pipeline read the scan, and landed beside the PDF; a reader checks
a row against the paper in one click.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response

from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.routes.filings import FilingId
from stockyard.landing import (
    PAGE_IMAGES_DATASET,
    PAGE_IMAGES_SOURCE,
    LandingZone,
    page_image_name,
)
from stockyard.warehouse.filing_reads import scanned_page_location

router = APIRouter(prefix="/api", tags=["filings"])


@router.get(
    "/filings/{filing_id}/pages/{page}.png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The page, upright"},
        404: {"description": "No scanned page with this number for this filing"},
    },
)
def get_scanned_page(
    filing_id: FilingId,
    page: Annotated[int, Path(ge=1, le=2000)],
    con: WarehouseDep,
    settings: SettingsDep,
) -> Response:
    """The image of one page of a paper filing read by OCR."""
    location = scanned_page_location(con, filing_id, page)
    landing = LandingZone(settings.resolved_landing_url)
    landed = (
        landing.find(
            PAGE_IMAGES_SOURCE, PAGE_IMAGES_DATASET, location[0], page_image_name(location[1], page)
        )
        if location
        else None
    )
    if landed is None:
        raise HTTPException(
            status_code=404, detail=f"no scanned page {page} for filing {filing_id!r}"
        )
    return Response(
        landing.read(landed),
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=86400", "ETag": f'"{landed.sha256[:32]}"'},
    )
