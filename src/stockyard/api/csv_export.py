"""CSV twins of the listings: the same rows as the JSON, one header line, UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fastapi.responses import Response
from pydantic import BaseModel

# For the OpenAPI description of a route that answers CSV instead of JSON.
CSV_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/csv": {}}, "description": "The rows as CSV, with a header line"}
}
# A CSV download is every matching row, not one page; this caps what one download may carry.
MAX_CSV_ROWS = 10_000


def csv_response(rows: Sequence[BaseModel], model: type[BaseModel], filename: str) -> Response:
    buffer = io.StringIO()
    fields = list(model.model_fields)
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.model_dump(mode="json"))
    return Response(
        content=buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
