"""Query models for the states, committees, tickers and filings listings (pages and JSON alike)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from stockyard.api.params import Chamber, FormParams, check_sort
from stockyard.warehouse.filing_reads import DEFAULT_FILING_SORT, FILING_SORTS, FILING_STATUSES
from stockyard.warehouse.member_reads import MEMBER_SORTS
from stockyard.warehouse.place_reads import (
    COMMITTEE_SORTS,
    DEFAULT_COMMITTEE_SORT,
    DEFAULT_SEAT_SORT,
    DEFAULT_STATE_SORT,
    SEAT_SORTS,
    STATE_SORTS,
)
from stockyard.warehouse.queries import parse_party
from stockyard.warehouse.ticker_reads import DEFAULT_TICKER_SORT, TICKER_SORTS

FilingStatus = Literal["parsed", "needs_ocr", "not_fetched", "not_ptr", "quarantined", "amended"]
assert set(FILING_STATUSES) == set(get_args(FilingStatus))  # one vocabulary, two spellings
Source = Literal["house_clerk", "senate_efd", "house_watcher", "senate_watcher", "benzinga"]


def _sort_help(whitelist: dict[str, str]) -> str:
    return f"One of {', '.join(whitelist)}; prefix '-' for descending"


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class StateListQuery(FormParams):
    page_size: int = Field(default=100, ge=1, le=500, description="Rows per page (1-500)")
    chamber: Chamber | None = Field(default=None, description="Count only this chamber's trades")
    sort: str = Field(default=DEFAULT_STATE_SORT, description=_sort_help(STATE_SORTS))

    @field_validator("chamber", mode="before")
    @classmethod
    def _lower_chamber(cls, value: Any) -> Any:
        return _lower(value)

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, STATE_SORTS, "state")


class _RosterQuery(BaseModel):
    """How a detail page orders its roster; ``members_sort`` keeps it apart from the page's
    trades table (``sort``)."""

    model_config = ConfigDict(extra="ignore")


class StateMembersQuery(_RosterQuery):
    members_sort: str = Field(default="-trade_count", description=_sort_help(MEMBER_SORTS))

    @field_validator("members_sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, MEMBER_SORTS, "bioguide_id")


class CommitteeSeatsQuery(_RosterQuery):
    members_sort: str = Field(default=DEFAULT_SEAT_SORT, description=_sort_help(SEAT_SORTS))

    @field_validator("members_sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, SEAT_SORTS, "bioguide_id")


class CommitteeQuery(FormParams):
    name: str | None = Field(default=None, max_length=100, description="Part of the name")
    chamber: Chamber | None = None
    include_subcommittees: bool = Field(default=False, description="List subcommittees too")
    sort: str = Field(default=DEFAULT_COMMITTEE_SORT, description=_sort_help(COMMITTEE_SORTS))

    @field_validator("chamber", mode="before")
    @classmethod
    def _lower_chamber(cls, value: Any) -> Any:
        return _lower(value)

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, COMMITTEE_SORTS, "committee_id")


class TickerQuery(FormParams):
    q: str | None = Field(
        default=None, max_length=60, description="Start of a ticker or part of the asset name"
    )
    chamber: Chamber | None = None
    party: str | None = Field(default=None, description="D, R, I or L (or the full party name)")
    sort: str = Field(default=DEFAULT_TICKER_SORT, description=_sort_help(TICKER_SORTS))

    @field_validator("chamber", mode="before")
    @classmethod
    def _lower_chamber(cls, value: Any) -> Any:
        return _lower(value)

    @field_validator("party")
    @classmethod
    def _known_party(cls, value: str | None) -> str | None:
        return None if value is None else parse_party(value)

    @field_validator("q")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, TICKER_SORTS, "ticker")


class FilingQuery(FormParams):
    member: str | None = Field(
        default=None, max_length=100, description="Bioguide id or part of the filer's name"
    )
    source: Source | None = None
    chamber: Chamber | None = None
    status: FilingStatus | None = Field(
        default=None, description="Shown status: amended and quarantined override the parse status"
    )
    date_from: date | None = Field(default=None, description="Earliest filed date (YYYY-MM-DD)")
    date_to: date | None = Field(default=None, description="Latest filed date (YYYY-MM-DD)")
    sort: str = Field(default=DEFAULT_FILING_SORT, description=_sort_help(FILING_SORTS))

    @field_validator("chamber", mode="before")
    @classmethod
    def _lower_chamber(cls, value: Any) -> Any:
        return _lower(value)

    @field_validator("member")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @field_validator("date_to")
    @classmethod
    def _not_before_date_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        date_from = info.data.get("date_from")
        if value and date_from and date_from > value:
            raise ValueError(f"date_to ({value}) is before date_from ({date_from}); swap them")
        return value

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        return check_sort(value, FILING_SORTS, "filing_id")

    def to_arguments(self) -> dict[str, Any]:
        return self.model_dump(exclude={"page", "page_size", "sort"}) | {
            "sort": self.sort,
            "page": self.page,
            "page_size": self.page_size,
        }
