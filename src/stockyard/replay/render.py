"""Rendered routes: answers a provider computes from bundled data instead of one file per URL.

A recorded file per URL does not scale to "every US stock for every day of three years": the
replay server would need ~1,800 files for one provider. A `RenderedRoute` answers every request
whose path (below ``/<provider>``) matches its pattern by calling a renderer with the match and the
request's query fields. Files and ``_routes.json`` still win: a recorded answer shadows a rendered
one, so tests can pin an exact real response for one URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rendered:
    """One computed answer."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"


# (path match, query and body fields) → an answer, or None to fall through to "not recorded".
Renderer = Callable[[re.Match[str], dict[str, str]], Rendered | None]


@dataclass(frozen=True, slots=True)
class RenderedRoute:
    provider: str
    pattern: re.Pattern[str]  # full match against the path below /<provider>, e.g. "/v1/x/AAPL"
    render: Renderer
    method: str = "GET"
    # Frees what the renderer holds (an in-memory database) when the server stops.
    close: Callable[[], None] | None = None

    def answer(self, method: str, sub_path: str, fields: dict[str, str]) -> Rendered | None:
        if method != self.method:
            return None
        match = self.pattern.fullmatch(sub_path)
        return None if match is None else self.render(match, fields)
