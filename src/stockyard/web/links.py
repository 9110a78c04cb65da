"""Links that keep the current filters: sortable headers, pagination, the JSON twin."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import QueryParams


def with_params(params: QueryParams, **changes: str | int | None) -> str:
    """The query string with ``changes`` applied (``None`` removes a key) and blanks dropped."""
    merged: dict[str, str] = {key: value for key, value in params.items() if value != ""}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return f"?{urlencode(merged)}" if merged else "?"


def sort_link(params: QueryParams, key: str, current: str, param: str = "sort") -> str:
    """Sort by ``key``, descending first; clicking the active descending column flips it.

    ``param`` names the table's sort parameter, for a page with a second sortable table."""
    target = key if current == f"-{key}" else f"-{key}"
    if param != "sort":
        return with_params(params, **{param: target})
    # A new order makes the old page number meaningless.
    return with_params(params, sort=target, page=None)


def aria_sort(key: str, current: str) -> str:
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


FEED_PATH = "/feeds/trades.atom"
# Parameters that shape a page, not which trades it lists: a feed has no pages or order.
_NOT_FILTERS = frozenset({"page", "page_size", "sort", "members_sort"})


def feed_link(params: QueryParams, **fixed: str) -> str:
    """The Atom feed of the trades a page lists: its filters, plus what the page itself is of
    (``member=``, ``ticker=``…)."""
    kept = {k: v for k, v in params.items() if v != "" and k not in _NOT_FILTERS}
    kept.update(fixed)
    return f"{FEED_PATH}?{urlencode(kept)}" if kept else FEED_PATH
