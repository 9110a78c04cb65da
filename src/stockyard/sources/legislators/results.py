"""What every legislators parser returns: the records it accepted and the entries it could not."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import yaml

from stockyard.models import QuarantineRecord

SOURCE = "legislators"

T = TypeVar("T")

# The C loader parses the 1 MB current-members file about ten times faster than the pure one.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LegislatorsFormatError(ValueError):
    """A whole file is unreadable (not YAML/CSV, or not the expected top-level shape)."""


@dataclass(frozen=True, slots=True)
class ParseResult(Generic[T]):
    records: list[T]
    quarantined: list[QuarantineRecord]


def load_yaml(data: bytes | str, dataset: str, expected: type) -> Any:
    """Parse a whole YAML file, insisting on the top-level type the dataset is published as."""
    try:
        loaded = yaml.load(data, Loader=_YamlLoader)  # a safe loader, C or pure
    except yaml.YAMLError as exc:
        raise LegislatorsFormatError(f"{dataset}: not valid YAML ({exc})") from exc
    if not isinstance(loaded, expected):
        raise LegislatorsFormatError(
            f"{dataset}: expected a top-level {expected.__name__}, got {type(loaded).__name__}"
        )
    return loaded


def quarantine(dataset: str, reason: str, ref: str, payload: object) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=dataset,
        reason=reason,
        record_ref=ref,
        payload=json.dumps(payload, default=str, ensure_ascii=False)[:2000],
    )
