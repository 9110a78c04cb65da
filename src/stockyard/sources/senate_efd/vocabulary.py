"""The Senate eFD's words for owners, transaction types and asset types, mapped to our codes.

The Senate Stock Watcher aggregate copies these words verbatim, so it reads them through here too.
Lookups are case-insensitive; an unknown word raises ``KeyError`` so the row can be quarantined.
"""

from __future__ import annotations

OWNERS: dict[str, str | None] = {
    "self": None,
    "spouse": "SP",
    "joint": "JT",
    "child": "DC",
    "dependent child": "DC",
}

TX_TYPES: dict[str, str] = {
    "purchase": "P",
    "sale (full)": "S",
    # The House aggregate says only "Sale"; the Senate always qualifies it.
    "sale": "S",
    "sale (partial)": "S (partial)",
    "exchange": "E",
}

# Only where a House two-letter code plainly covers the Senate category. "Other Securities"
# (funds, partnerships, ETFs mixed together) and "Municipal Security" (no House code of its own)
# stay None; the Senate wording is kept in `asset_type_text` either way.
ASSET_TYPES: dict[str, str] = {
    "stock": "ST",
    "stock option": "OP",
    "corporate bond": "CS",
    "cryptocurrency": "CT",
    "commodities/futures contract": "FU",
    "non-public stock": "PS",
}


def owner_code(word: str) -> str | None:
    key = " ".join(word.split()).lower()
    if key not in OWNERS:
        raise KeyError(f"unknown owner {word!r}")
    return OWNERS[key]


def tx_type_code(word: str) -> str:
    key = " ".join(word.split()).lower()
    if key not in TX_TYPES:
        raise KeyError(f"unknown transaction type {word!r}")
    return TX_TYPES[key]


def asset_type_code(word: str | None) -> str | None:
    if not word:
        return None
    return ASSET_TYPES.get(" ".join(word.split()).lower())
