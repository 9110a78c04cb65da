"""The Follow form's target: make the follow, then show it (and its webhook secret, once)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from stockyard.api.deps import SettingsDep, WarehouseDep
from stockyard.api.routes.follows import FollowIn, create_follow
from stockyard.web.page_kit import form_fields, render

router = APIRouter(include_in_schema=False)
_FIXED = ("member", "ticker", "state", "committee")


def _back(path: str) -> str:
    """Only back to a page of this site (never an open redirect)."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


@router.post("/follows", response_class=HTMLResponse)
async def follow_form(request: Request, con: WarehouseDep, settings: SettingsDep) -> Response:
    form = await form_fields(request)
    back = _back(form.get("back", "/"))
    try:
        amount = form.get("min_amount", "").replace(",", "").replace("$", "").strip()
        body = FollowIn(
            channel=form.get("channel", ""),  # type: ignore[arg-type]
            target=form.get("target", ""),
            digest=form.get("digest", "publish"),  # type: ignore[arg-type]
            filter={k: form[k] for k in _FIXED if form.get(k)},
            min_amount=int(amount) if amount else None,
        )
        if body.channel == "webhook":
            body.digest = "publish"  # the digest choice is for mail
        follow = create_follow(con, settings, body, form.get("token"))
    except HTTPException as exc:
        message = f"Not followed: {exc.detail}"
    except (ValueError, ValidationError) as exc:
        message = f"Not followed: {exc}"
    else:
        return render(request, "follow_created.html", {"follow": follow, "back": back})
    return RedirectResponse(f"{back}?follow_message={quote(message)}#follow", status_code=303)
