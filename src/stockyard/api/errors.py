"""JSON error responses: 503 until the warehouse is built, 422 naming the bad parameter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from stockyard.warehouse.queries import WarehouseBusy, WarehouseNotReady

# Where FastAPI puts a value in `loc`; the parameter's name is what follows.
_LOCATIONS = {"query", "path", "body", "header", "cookie"}


class ParamError(BaseModel):
    param: str
    msg: str
    type: str
    loc: list[str | int]


def describe_errors(errors: Sequence[Any]) -> list[ParamError]:
    """Pydantic/FastAPI error dicts as `param: message` pairs a person can act on."""
    described: list[ParamError] = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str | int)]
        names = [str(part) for part in loc if part not in _LOCATIONS]
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        described.append(
            ParamError(
                param=".".join(names) or "query",
                msg=message,
                type=str(error.get("type", "value_error")),
                loc=loc,
            )
        )
    return described


def summary(errors: Sequence[ParamError]) -> str:
    return "; ".join(f"{error.param}: {error.msg}" for error in errors)


async def validation_error_response(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = describe_errors(exc.errors())
    return JSONResponse(
        status_code=422,
        content={
            "message": f"invalid parameters: {summary(errors)}",
            "detail": [error.model_dump() for error in errors],
        },
    )


async def warehouse_not_ready_response(request: Request, exc: Exception) -> JSONResponse:
    headers = {"Retry-After": "5"} if isinstance(exc, WarehouseBusy) else None
    return JSONResponse(status_code=503, content={"detail": str(exc)}, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.add_exception_handler(WarehouseNotReady, warehouse_not_ready_response)
