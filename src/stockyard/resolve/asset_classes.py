"""What kind of asset a disclosed line is: equity, ETF, fund, option, bond, commodity, crypto,
private holding or other. Pure: the filing's type code and words, then the asset name.

Specific type codes (OP, GS, CS, FU, CT, PS…) are believed; a generic one (ST, "Other
Securities", none at all) yields to a name that plainly says what the asset is ("Call", "4.25%
due", "ETF", "Fund", "Bitcoin"), so no option or bond is ever forced onto a stock ticker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stockyard.resolve.names import fold


class AssetClass(StrEnum):
    EQUITY = "equity"
    ETF = "etf"
    MUTUAL_FUND = "mutual_fund"
    OPTION = "option"
    BOND = "bond"
    COMMODITY = "commodity"
    CRYPTO = "crypto"
    PRIVATE = "private"
    OTHER = "other"


# Classes a price series exists for; the rest are classified, never given a ticker.
TRADABLE = frozenset({AssetClass.EQUITY, AssetClass.ETF, AssetClass.MUTUAL_FUND})

# House PTR asset-type codes (Senate eFD pages map to the same codes).
_CODE_CLASS = {
    "ST": AssetClass.EQUITY,
    "OP": AssetClass.OPTION,
    "CS": AssetClass.BOND,  # corporate securities: bonds and structured notes
    "GS": AssetClass.BOND,  # government securities
    "AB": AssetClass.BOND,  # asset-backed securities
    "FU": AssetClass.COMMODITY,
    "CT": AssetClass.CRYPTO,
    "PS": AssetClass.PRIVATE,  # non-public stock
    "EF": AssetClass.ETF,
    "MF": AssetClass.MUTUAL_FUND,
}
_TEXT_CLASS = {
    "stock": AssetClass.EQUITY,
    "stock option": AssetClass.OPTION,
    "corporate bond": AssetClass.BOND,
    "municipal security": AssetClass.BOND,
    "government security": AssetClass.BOND,
    "commodities futures contract": AssetClass.COMMODITY,
    "cryptocurrency": AssetClass.CRYPTO,
    "non public stock": AssetClass.PRIVATE,
}
# Asset-name words that say what a line is whatever its type code says (folded, whole words).
_OPTION = re.compile(r"\b(calls?|puts?|options?|strike)\b")
_BOND = re.compile(
    r"\b(bonds?|bds|notes?|nts|treasury|treasu|tbill|bill due|municipal|muni|debentures?|"
    r"autocall|go ref|general obligation|revenue|rev|wtr swr|due \d)\b"
)
_COUPON = re.compile(r"\d+(\.\d+)?\s?%")  # "4.25%", "3 %": a bond's rate (on the unfolded name)
_CRYPTO = re.compile(r"\b(bitcoin|ethereum|crypto|cryptocurrency|btc|eth)\b")
_ETF = re.compile(r"\b(etf|etn|ishares|spdr|proshares|invesco qqq|vaneck)\b")
_FUND = re.compile(r"\b(fund|funds|portfolio|admiral shares|investor shares)\b")
_PRIVATE = re.compile(r"\b(llc|l l c|lp|l p|partners|partnership)\b")
# OCC option symbols (SPY160219P00180000) and mutual-fund tickers (five letters ending in X).
OCC_SYMBOL = re.compile(r"^[A-Z]{1,6}\d{6}[CP]\d{8}$")
_FUND_TICKER = re.compile(r"^[A-Z]{4}X$")


@dataclass(frozen=True, slots=True)
class AssetLine:
    asset_name: str | None
    reported_ticker: str | None
    asset_type: str | None = None  # the filing's code (ST, OP, …)
    asset_type_text: str | None = None  # the filing's words (Stock, Municipal Security, …)


def classify(line: AssetLine) -> tuple[AssetClass, str]:
    """The asset class and why. Specific type codes win; a name then overrides a generic code
    (stock, other, none) when it plainly says option, bond, crypto, ETF or fund."""
    code = (line.asset_type or "").strip().upper()
    text = fold(line.asset_type_text or "")
    ticker = (line.reported_ticker or "").strip().upper()
    stated = _CODE_CLASS.get(code) or _TEXT_CLASS.get(text)
    if stated is not None and stated not in (AssetClass.EQUITY,):
        return stated, f"type {code or line.asset_type_text!r}"
    name = fold(line.asset_name or "")
    if OCC_SYMBOL.match(ticker):
        return AssetClass.OPTION, f"ticker {ticker} is an option symbol"
    # Wrappers first: a "Treasury Bond ETF" or a "Bond Fund" trades under its own ticker.
    for pattern, asset_class in (
        (_OPTION, AssetClass.OPTION),
        (_ETF, AssetClass.ETF),
        (_FUND, AssetClass.MUTUAL_FUND),
        (_CRYPTO, AssetClass.CRYPTO),
    ):
        found = pattern.search(name)
        if found:
            return asset_class, f"asset name says {found.group(0).strip()!r}"
    coupon = _COUPON.search(line.asset_name or "")
    if coupon:
        return AssetClass.BOND, f"asset name states a rate {coupon.group(0)!r}"
    found = _BOND.search(name)
    if found:
        return AssetClass.BOND, f"asset name says {found.group(0).strip()!r}"
    if _FUND_TICKER.match(ticker):
        return AssetClass.MUTUAL_FUND, f"ticker {ticker} has the mutual-fund form"
    if stated is AssetClass.EQUITY:
        return AssetClass.EQUITY, f"type {code or line.asset_type_text!r}"
    if not ticker and _PRIVATE.search(name):
        return AssetClass.PRIVATE, "an LLC or partnership without a ticker"
    if code or text:
        return AssetClass.OTHER, f"type {code or line.asset_type_text!r}"
    return AssetClass.EQUITY, "no type stated; treated as a listed equity"
