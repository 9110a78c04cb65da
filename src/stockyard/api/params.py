"""Query-string models: parse and validate once, for the JSON routes and the HTML pages alike.

Empty strings count as "not given" because an HTML GET form submits every field, filled or not.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from stockyard.alerts.follows import FollowFilter
from stockyard.warehouse.member_reads import DEFAULT_MEMBER_SORT, MEMBER_SORTS
from stockyard.warehouse.queries import (
    DEFAULT_TRADE_SORT,
    TRADE_SORTS,
    TX_TYPES,
    TradeFilters,
    order_by,
    parse_party,
)

MAX_PAGE_SIZE = 500

Chamber = Literal["house", "senate"]
TxType = Literal["P", "S", "S (partial)", "E"]
Owner = Literal["self", "SP", "JT", "DC"]

_TX_TYPE_BY_UPPER = {value.upper(): value for value in TX_TYPES}


MAX_PAGE = 10_000_000


class PageParams(BaseModel):
    # Bounded so the row offset always fits a 64-bit integer (a page past the last is empty).
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="1-based page number")
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (1-500)")


class FormParams(PageParams):
    """A query an HTML GET form may send: blank values mean "not given"."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_to_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value != ""}
        return data


def check_sort(value: str, whitelist: dict[str, str], tiebreak: str) -> str:
    """Reject an unknown sort key with a message that lists the choices."""
    order_by(value, whitelist, tiebreak=tiebreak)
    return value


class PlaceParams(FormParams):
    """Filters members and trades share; blank values mean "not given"."""

    state: str | None = Field(default=None, description="Two-letter postal code, e.g. CA")
    party: str | None = Field(default=None, description="D, R, I or L (or the full party name)")
    chamber: Chamber | None = None

    @field_validator("state")
    @classmethod
    def _two_letter_state(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = value.strip().upper()
        if len(cleaned) != 2 or not cleaned.isalpha():
            raise ValueError(f"state must be a two-letter postal code like 'CA', not {value!r}")
        return cleaned

    @field_validator("party")
    @classmethod
    def _known_party(cls, value: str | None) -> str | None:
        return None if value is None else parse_party(value)

    @field_validator("chamber", mode="before")
    @classmethod
    def _lower_chamber(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class TradeQuery(PlaceParams):
    member: str | None = Field(
        default=None, max_length=100, description="Bioguide id (e.g. P000197) or part of a name"
    )
    ticker: str | None = Field(default=None, max_length=12, description="Exact ticker, e.g. NVDA")
    tx_type: TxType | None = Field(
        default=None, description="P purchase, S sale, 'S (partial)' partial sale, E exchange"
    )
    owner: Owner | None = Field(
        default=None, description="self (the filer), SP spouse, JT joint, DC dependent child"
    )
    date_from: date | None = Field(
        default=None, description="Earliest transaction date (YYYY-MM-DD)"
    )
    date_to: date | None = Field(default=None, description="Latest transaction date (YYYY-MM-DD)")
    include_superseded: bool = Field(
        default=False, description="Also return rows an amendment replaced"
    )
    committee: str | None = Field(
        default=None,
        max_length=12,
        pattern=r"^[A-Za-z0-9]+$",
        description="Committee id (e.g. SSFI): trades of the committee's members",
    )
    oversight: bool = Field(
        default=False,
        description="Only trades in an industry one of the member's committees oversees "
        "(see /api/members/{id} oversight)",
    )
    sort: str = Field(
        default=DEFAULT_TRADE_SORT,
        description=f"One of {', '.join(TRADE_SORTS)}; prefix '-' for descending",
    )

    @field_validator("member", "ticker")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    @field_validator("tx_type", mode="before")
    @classmethod
    def _canonical_tx_type(cls, value: Any) -> Any:
        return _TX_TYPE_BY_UPPER.get(value.upper(), value) if isinstance(value, str) else value

    @field_validator("owner", mode="before")
    @classmethod
    def _canonical_owner(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return "self" if value.lower() == "self" else value.upper()

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        order_by(value, TRADE_SORTS, tiebreak="trade_id")  # raises ValueError naming the choices
        return value

    @field_validator("date_to")
    @classmethod
    def _not_before_date_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        date_from = info.data.get("date_from")
        if value and date_from and date_from > value:
            raise ValueError(f"date_to ({value}) is before date_from ({date_from}); swap them")
        return value

    def to_filters(self) -> TradeFilters:
        return TradeFilters(
            member=self.member,
            state=self.state,
            party=self.party,
            chamber=self.chamber,
            ticker=self.ticker,
            tx_type=self.tx_type,
            owner=self.owner,
            date_from=self.date_from,
            date_to=self.date_to,
            include_superseded=self.include_superseded,
            committee=self.committee,
            oversight=self.oversight,
        )


class MemberQuery(PlaceParams):
    name: str | None = Field(default=None, max_length=100, description="Part of the member's name")
    include_without_trades: bool = Field(
        default=False, description="Also list members with no trades"
    )
    sort: str = Field(
        default=DEFAULT_MEMBER_SORT,
        description=f"One of {', '.join(MEMBER_SORTS)}; prefix '-' for descending",
    )

    @field_validator("sort")
    @classmethod
    def _known_sort(cls, value: str) -> str:
        order_by(value, MEMBER_SORTS, tiebreak="bioguide_id")
        return value

    def to_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `warehouse.queries.list_members` (page and JSON twin alike)."""
        return self.model_dump(
            include={
                "name",
                "state",
                "party",
                "chamber",
                "include_without_trades",
                "sort",
                "page",
                "page_size",
            }
        )


# The /api/trades filters a follow may keep (dates, pages and sorting make no sense for news).
FOLLOW_FILTERS = (
    "member",
    "state",
    "party",
    "chamber",
    "committee",
    "ticker",
    "tx_type",
    "owner",
    "oversight",
)


def follow_filter(values: dict[str, Any], min_amount: int | None = None) -> FollowFilter:
    """Validate a follow's filters exactly as /api/trades validates its query: ValueError (a
    pydantic ValidationError) naming what is wrong."""
    given = {k: v for k, v in values.items() if v not in (None, "", False)}
    unknown = sorted(set(given) - set(FOLLOW_FILTERS))
    if unknown:
        raise ValueError(
            f"a follow cannot filter on {', '.join(unknown)}; use {', '.join(FOLLOW_FILTERS)}"
        )
    if min_amount is not None and min_amount < 0:
        raise ValueError(f"min_amount must be 0 or more, not {min_amount}")
    query = TradeQuery.model_validate(given)
    return FollowFilter(
        member=query.member,
        state=query.state,
        party=query.party,
        chamber=query.chamber,
        committee=query.committee.upper() if query.committee else None,
        ticker=query.ticker.upper() if query.ticker else None,
        tx_type=query.tx_type,
        owner=query.owner,
        oversight=query.oversight,
        min_amount=min_amount,
    )
