"""POST/GET/DELETE /api/follows: manage follows over HTTP, guarded by STOCKYARD_ALERTS__TOKEN."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Header, HTTPException, Path, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stockyard.alerts.follows import Follow, FollowError
from stockyard.alerts.service import add_follow, store_for
from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.params import FOLLOW_FILTERS, follow_filter
from stockyard.api.tokens import check_token
from stockyard.config import Settings

router = APIRouter(prefix="/api", tags=["follows"])
TOKEN_SETTING = "STOCKYARD_ALERTS__TOKEN"


class FollowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=100)
    channel: Literal["webhook", "email"]
    target: str = Field(max_length=500, description="The webhook URL or the mail address")
    digest: Literal["publish", "daily"] = Field(
        default="publish", description="email only: a mail per publish, or one a day"
    )
    filter: dict[str, str | bool] = Field(
        default_factory=dict,
        description=f"Any of {', '.join(FOLLOW_FILTERS)}, as /api/trades takes them",
    )
    min_amount: int | None = Field(default=None, ge=0, description="Band floor, in dollars")


class FollowOut(BaseModel):
    follow_id: str
    name: str
    channel: str
    target: str
    digest: str
    filter: dict[str, Any]
    created_at: datetime
    secret: str | None = Field(
        default=None, description="Signs webhook bodies; returned once, when the follow is made"
    )


def _out(follow: Follow, *, with_secret: bool = False) -> FollowOut:
    return FollowOut(
        **follow.public(), secret=follow.secret if with_secret and follow.secret else None
    )


def create_follow(
    con: duckdb.DuckDBPyConnection, settings: Settings, body: FollowIn, token: str | None
) -> Follow:
    """Check the token, validate the follow against the published data, save it (shared by the
    API and the pages' Follow form). 422 says what to change."""
    check_token(settings.alerts.token, token, setting=TOKEN_SETTING)
    try:
        wanted = follow_filter(dict(body.filter), body.min_amount)
        return add_follow(
            store_for(settings),
            con,
            name=body.name,
            channel=body.channel,
            target=body.target,
            wanted=wanted,
            digest=body.digest,
        )
    except ValidationError as exc:
        raise HTTPException(422, detail=f"bad filter: {exc.errors()[0]['msg']}") from exc
    except (FollowError, ValueError) as exc:
        raise HTTPException(422, detail=str(exc)) from exc


@router.post("/follows", response_model=FollowOut, status_code=201)
def post_follow(
    body: FollowIn,
    con: WarehouseDep,
    settings: SettingsDep,
    x_stockyard_token: Annotated[str | None, Header()] = None,
) -> FollowOut:
    """Follow the trades matching a filter; the answer carries the webhook secret, once."""
    return _out(create_follow(con, settings, body, x_stockyard_token), with_secret=True)


@router.get("/follows", response_model=list[FollowOut])
def get_follows(
    settings: SettingsDep, x_stockyard_token: Annotated[str | None, Header()] = None
) -> list[FollowOut]:
    """Every active follow (without secrets)."""
    check_token(settings.alerts.token, x_stockyard_token, setting=TOKEN_SETTING)
    return [_out(f) for f in store_for(settings).follows()]


@router.delete("/follows/{follow_id}", status_code=204)
def delete_follow(
    follow_id: Annotated[str, Path(max_length=40)],
    settings: SettingsDep,
    x_stockyard_token: Annotated[str | None, Header()] = None,
) -> Response:
    """Stop a follow; what it was already owed is still delivered."""
    check_token(settings.alerts.token, x_stockyard_token, setting=TOKEN_SETTING)
    if not store_for(settings).remove_follow(follow_id):
        raise HTTPException(404, detail=f"no follow {follow_id!r}")
    return Response(status_code=204)
