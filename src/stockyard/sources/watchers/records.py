"""What the watcher parsers return, and the JSON loading they share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from stockyard.models import ParsedDocument, QuarantineRecord


class WatcherFormatError(ValueError):
    """The whole file is unusable (truncated download, an HTML error page instead of JSON…)."""


@dataclass(slots=True)
class WatcherParse:
    documents: list[ParsedDocument] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)


def load_json_list(data: bytes, name: str) -> list[Any]:
    """The top-level JSON array of a watcher file, or a `WatcherFormatError` saying why not."""
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise WatcherFormatError(f"{name}: not valid JSON (truncated download?): {exc}") from None
    if not isinstance(body, list):
        raise WatcherFormatError(f"{name}: expected a JSON array, found {type(body).__name__}")
    return body


def text_field(record: dict[str, Any], key: str) -> str:
    """A required string field; ``ValueError`` names the field when it is missing or not text."""
    value = record.get(key)
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} missing or not text")
    return value
