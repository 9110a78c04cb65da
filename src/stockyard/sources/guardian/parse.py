"""Parse one Guardian ``/search`` answer: ``{"response": {status, currentPage, pages, results}}``.

A result without an id, title, URL or a readable ``webPublicationDate`` becomes a reject with the
reason; an answer that is not a search response at all raises `GuardianFormatError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from typing import Any

from stockyard.models import QuarantineRecord
from stockyard.models.news import Article

SOURCE = "guardian"
DATASET = "search"
PARSER_VERSION = "guardian.search/1"
_TAGS = re.compile(r"<[^>]+>")


class GuardianFormatError(ValueError):
    """The answer is not a Guardian search response (truncated, an error page, a bad key…)."""


@dataclass(slots=True)
class GuardianPage:
    articles: list[Article]
    page: int
    pages: int
    total: int = 0
    rejects: list[QuarantineRecord] = field(default_factory=list)


def parse_time(value: Any) -> datetime:
    """``2023-04-02T14:03:14Z`` → an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"webPublicationDate missing or not text: {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"unreadable webPublicationDate {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"webPublicationDate {value!r} has no time zone")
    return parsed.astimezone(UTC)


def _text(result: dict[str, Any], key: str) -> str:
    value = result.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} missing or empty")
    return value.strip()


def _trail(result: dict[str, Any]) -> str | None:
    fields = result.get("fields")
    value = fields.get("trailText") if isinstance(fields, dict) else None
    if not isinstance(value, str):
        return None
    # Trail text is an HTML fragment ("<strong>…</strong>"); pages and the mart want plain text.
    return " ".join(unescape(_TAGS.sub("", value)).split()) or None


def _article(result: dict[str, Any]) -> Article:
    section = result.get("sectionId")
    return Article(
        id=_text(result, "id"),
        web_url=_text(result, "webUrl"),
        title=_text(result, "webTitle"),
        section=section if isinstance(section, str) and section else None,
        published_at=parse_time(result.get("webPublicationDate")),
        trail_text=_trail(result),
        source=SOURCE,
        publisher="The Guardian",
    )


def _int(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if not isinstance(value, int) or value < 0:
        raise GuardianFormatError(f"guardian search: {key!r} is not a count: {value!r}")
    return value


def parse_search_page(content: bytes) -> GuardianPage:
    """One ``/search`` page → its articles, page number, page count and rejects."""
    try:
        body = json.loads(content)
    except ValueError as exc:
        raise GuardianFormatError(f"guardian search: not valid JSON (truncated?): {exc}") from None
    response = body.get("response") if isinstance(body, dict) else None
    if not isinstance(response, dict):
        raise GuardianFormatError("guardian search: answer has no 'response' object")
    if response.get("status") != "ok":
        message = response.get("message") or response.get("status")
        raise GuardianFormatError(
            f"guardian search: status {message!r}; check the API key (STOCKYARD_GUARDIAN__API_KEY)"
        )
    results = response.get("results")
    if not isinstance(results, list):
        raise GuardianFormatError("guardian search: answer has no 'results' list")
    page = GuardianPage(
        articles=[],
        page=_int(response, "currentPage"),
        pages=_int(response, "pages"),
        total=_int(response, "total"),
    )
    for index, result in enumerate(results):
        try:
            if not isinstance(result, dict):
                raise ValueError("result is not an object")
            page.articles.append(_article(result))
        except ValueError as exc:
            page.rejects.append(
                QuarantineRecord(
                    source=SOURCE,
                    dataset=DATASET,
                    reason=str(exc),
                    record_ref=f"page {page.page} result {index}",
                    payload=json.dumps(result, sort_keys=True)[:2000],
                )
            )
    return page
