"""One check for the settings tokens that guard the few writes the web side takes."""

from __future__ import annotations

import hmac

from fastapi import HTTPException
from pydantic import SecretStr

__all__ = ["TOKEN_HEADER", "check_token"]

TOKEN_HEADER = "X-Stockyard-Token"


def check_token(configured: SecretStr | None, given: str | None, *, setting: str) -> None:
    """403 when no token is configured (the write is off), 401 when the given one is wrong."""
    if configured is None or not configured.get_secret_value():
        raise HTTPException(403, f"changes are disabled: set {setting} and restart the server")
    if not given or not hmac.compare_digest(given, configured.get_secret_value()):
        raise HTTPException(401, f"wrong or missing token ({TOKEN_HEADER} header or form field)")
