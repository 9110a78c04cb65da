"""What a disclosed asset line is, and which ticker it trades under, never forcing one.

A PTR line names an asset ("Intuit Inc. - Common Stock", "US TREASURY NOTE 4.25% DUE 12/31/25",
"Call Jul 22 CBT Corn") and sometimes a ticker, which may be missing, mistyped or written in
another convention ("BRK-B"). For every line we decide:

1. the asset class (`stockyard.resolve.asset_classes`). Only equities, ETFs and funds with a
   valid reported ticker get a ticker; the others keep their class and a reason;
2. the ticker, by the first of these methods that answers (the method is reported as is):
   - ``reported_ticker``: the filed ticker is a known ticker (reference data, else priced);
     ``reported_ticker_reformatted`` when only its separator differed (BRK-B → BRK.B);
   - ``ticker_as_asset_name``: the name is itself a known ticker ("MSFT");
   - ``ticker_in_asset_name``: a known ticker prefixed to the name ("GBTC - Grayscale …");
   - ``asset_name``: the normalised name equals one reference name (a share-class hint such as
     "Class B" picks BRK.B over BRK.A: ``asset_name_share_class``);
   - ``learned_name``: the normalised name co-occurs, in the filings themselves, with one
     validated ticker (most lines name both; this resolves the ones that name only the asset);
   - ``asset_name_fuzzy``: one reference or learned name within a high similarity threshold;
   - ``learned_name_unlisted``: the filings pair the name, again and again, with one well-formed
     ticker that neither the reference nor the bars know (delisted since, like Cabela's CAB);
   - ``ticker_in_asset_name_unlisted``: the line prints a ticker in its name ("Energy Transfer
     Equity (ETE)", "WFM") that neither the reference nor the bars know: kept as printed, with a
     low confidence, so the trade is counted under its ticker but never priced by a guess;
   a reported ticker whose reference name plainly disagrees with the line's name yields to a
   name match (``asset_name_over_reported``); otherwise it is kept with a lower confidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from stockyard.models.places import STATE_CODES
from stockyard.resolve.asset_classes import (
    OCC_SYMBOL,
    TRADABLE,
    AssetClass,
    AssetLine,
    classify,
)
from stockyard.resolve.names import fold

FUZZY_THRESHOLD = 93.0  # fuzz.ratio on normalised names; below this, look-alikes creep in
FUZZY_MARGIN = 3.0  # the best name must beat the next-best other ticker by this much
FUZZY_MIN_LENGTH = 6  # short names ("ba", "ge") are too easy to match by accident
FUZZY_BLOCK = 2  # fuzzy candidates share this many leading letters with the name
NAME_AGREEMENT = 80.0  # token_set_ratio at which a reported ticker's reference name "agrees"
LEARNED_MIN_SHARE = 0.8  # a learned name must point to one ticker this often


LEARNED_UNLISTED_MIN_ROWS = 2  # an unlisted ticker is learned only from repeated pairs

# A ticker written before the name: "CB-Chubb Limited", "GBTC - Grayscale Bitcoin Trust".
_TICKER_PREFIX = re.compile(r"^\s*([A-Z]{1,5})\s*-\s*\S")
# An asset name that is only a ticker ("MSFT"; "aapl" only when it is a known ticker).
_BARE_TICKER = re.compile(r"^[A-Za-z]{1,5}$")
# A ticker written after the name: "Energy Transfer Equity (ETE)", "CHUBB CORPORATION - CB".
# One letter there is a share class ("VISA INC - A"), not a ticker.
_TICKER_SUFFIX = re.compile(r"(?:\(\s*([A-Z]{2,5})\s*\)|\s-\s*([A-Z]{2,5}))\s*$")
_WELL_FORMED = re.compile(r"^[A-Z]{1,5}(?:\.[A-Z])?$")
# Capitals a line prints that are not tickers: listings, legal forms, kinds of asset.
_NOT_TICKERS = frozenset(
    [
        "NYSE",
        "NASDAQ",
        "AMEX",
        "OTC",
        "ADR",
        "ADS",
        "REIT",
        "ETF",
        "ETN",
        "LP",
        "LLC",
        "INC",
        "CORP",
        "CO",
        "PLC",
        "LTD",
        "SA",
        "NV",
        "AG",
        "CMN",
        "CASH",
        "GOLD",
        "BOND",
        "BONDS",
        "FUND",
        "STOCK",
        "IRA",
        "NOTE",
        "NOTES",
        "TRUST",
        "UNITS",
        "MLP",
        "USD",
    ]
)
_SEPARATORS = re.compile(r"[-/ .]")
_PARENTHESES = re.compile(r"\([^)]*\)?")
_SHARE_CLASS = re.compile(r"\b(?:class|cl|series)\s+([a-z])\b")
# Words a name may end with that do not tell companies apart; stripped from the end repeatedly
# (longest first, so "common stock" goes before "stock").
_TRAILING_PHRASES = sorted(
    {
        "american depositary shares",
        "american depositary receipts",
        "american depositary receipt",
        "sponsored adr",
        "unsponsored adr",
        "common stock",
        "common shares",
        "ordinary shares",
        "capital stock",
        "depositary shares",
        "shares",
        "stock",
        "adr",
        "ads",
        "units",
        "incorporated",
        "inc",
        "corporation",
        "corp",
        "company",
        "co",
        "limited",
        "ltd",
        "plc",
        "llc",
        "lp",
        "l p",
        "sa",
        "s a",
        "nv",
        "n v",
        "ag",
        "se",
        "cmn",
        "com",
        "new",
        "and",
    },
    key=len,
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class TickerResolution:
    ticker: str | None
    confidence: float
    method: str
    asset_class: AssetClass
    reason: str

    @property
    def resolved(self) -> bool:
        return self.ticker is not None


@dataclass(frozen=True, slots=True)
class CompanyName:
    base: str  # folded, without parentheticals, share class or legal-form words
    share_class: str | None  # "b" for "Class B"


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> CompanyName:
    """ "Berkshire Hathaway Inc. Class B" → ("berkshire hathaway", "b"); "The Kroger Co." →
    ("kroger", None); "Netflix, Inc. (NASDAQ)" → ("netflix", None)."""
    text = fold(_PARENTHESES.sub(" ", name))
    found = _SHARE_CLASS.search(text)
    share_class = found.group(1) if found else None
    if found:
        text = (text[: found.start()] + " " + text[found.end() :]).strip()
    text = " ".join(text.split())
    text = text.removeprefix("the ")
    changed = True
    while changed and text:
        changed = False
        for phrase in _TRAILING_PHRASES:
            if text == phrase:
                break
            if text.endswith(" " + phrase):
                text = text[: -len(phrase) - 1].rstrip()
                changed = True
                break
    return CompanyName(base=text, share_class=share_class)


def ticker_forms(ticker: str) -> list[str]:
    """The reported ticker as written, then in Polygon's share-class form (BRK-B, BRK/B → BRK.B)
    and without a separator; an OCC option symbol or a leading '$' is not a stock ticker."""
    written = ticker.strip().upper().lstrip("$")
    if not written or OCC_SYMBOL.match(written):
        return []
    forms = [written]
    parts = [p for p in _SEPARATORS.split(written) if p]
    if len(parts) == 2 and len(parts[1]) == 1:
        forms += [f"{parts[0]}.{parts[1]}", f"{parts[0]}{parts[1]}"]
    return list(dict.fromkeys(forms))


def ticker_share_class(ticker: str) -> str | None:
    parts = ticker.split(".")
    return parts[1].lower() if len(parts) == 2 and len(parts[1]) == 1 else None


class TickerResolver:
    """Resolves asset lines against what we know trades: reference names and priced tickers.

    ``reference`` maps each reference ticker to the names it has carried; ``priced`` are tickers
    with daily bars (used to validate when no reference was fetched); ``filed_pairs`` are
    (asset name, reported ticker) pairs from the filings, learned from when the ticker validates.
    """

    def __init__(
        self,
        reference: Mapping[str, Iterable[str | None]],
        priced: Iterable[str] = (),
        filed_pairs: Iterable[tuple[str | None, str | None]] = (),
    ) -> None:
        self._reference = {t: [n for n in names if n] for t, names in reference.items()}
        self._priced = frozenset(priced)
        self._tickers_by_base: dict[str, set[str]] = defaultdict(set)
        self._reference_bases: dict[str, list[CompanyName]] = {}
        for ticker, names in self._reference.items():
            bases = [normalise_name(n) for n in names]
            self._reference_bases[ticker] = bases
            for company in bases:
                if company.base:
                    self._tickers_by_base[company.base].add(ticker)
        self._learned, self._learned_unlisted = self._learn(filed_pairs)
        # Fuzzy candidates: every reference base name and every learned one, with its ticker(s).
        self._fuzzy_choices: dict[str, set[str]] = defaultdict(set)
        for base, tickers in self._tickers_by_base.items():
            self._fuzzy_choices[base] |= tickers
        for (base, _), ticker in self._learned.items():
            self._fuzzy_choices[base].add(ticker)
        # Blocked by the first two letters: a typo rarely hits them, and comparing each line
        # with every one of tens of thousands of reference names would take minutes.
        self._fuzzy_blocks: dict[str, list[str]] = defaultdict(list)
        for base in self._fuzzy_choices:
            if len(base) >= FUZZY_MIN_LENGTH:
                self._fuzzy_blocks[base[:FUZZY_BLOCK]].append(base)

    # -- what counts as known ------------------------------------------------------------------
    def known(self, ticker: str) -> str | None:
        """'reference' or 'priced' when the ticker is known, else None."""
        if ticker in self._reference:
            return "reference"
        if ticker in self._priced:
            return "priced"
        return None

    def _validate(self, reported: str | None) -> tuple[str, str, bool] | None:
        """(ticker, where known, reformatted?) for the first known form of a reported ticker."""
        for i, form in enumerate(ticker_forms(reported or "")):
            where = self.known(form)
            if where:
                return form, where, i > 0
        return None

    def _learn(
        self, pairs: Iterable[tuple[str | None, str | None]]
    ) -> tuple[dict[tuple[str, str | None], str], dict[tuple[str, str | None], str]]:
        """Names the filings pair with one validated ticker, and (apart) names they pair,
        repeatedly, with one well-formed ticker we cannot validate."""
        seen: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
        unlisted: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
        for name, reported in pairs:
            if not name:
                continue
            company = normalise_name(name)
            if not company.base:
                continue
            key = (company.base, company.share_class)
            valid = self._validate(reported)
            if valid:
                seen[key][valid[0]] += 1
            else:
                written = (reported or "").strip().upper()
                if _WELL_FORMED.match(written) and written not in _NOT_TICKERS:
                    unlisted[key][written] += 1
        learned: dict[tuple[str, str | None], str] = {}
        for key, counts in seen.items():
            ticker, count = counts.most_common(1)[0]
            if count / sum(counts.values()) >= LEARNED_MIN_SHARE:
                learned[key] = ticker
        learned_unlisted: dict[tuple[str, str | None], str] = {}
        for key, counts in unlisted.items():
            ticker, count = counts.most_common(1)[0]
            total = sum(counts.values()) + sum(seen.get(key, Counter()).values())
            if count >= LEARNED_UNLISTED_MIN_ROWS and count / total >= LEARNED_MIN_SHARE:
                learned_unlisted[key] = ticker
        return learned, learned_unlisted

    @staticmethod
    def _printed_ticker(name: str) -> str | None:
        """A ticker the line prints in its asset name, before it, after it or alone."""
        text = name.strip()
        found: str | None = None
        if _BARE_TICKER.match(text):
            found = text
        elif suffix := _TICKER_SUFFIX.search(text):
            found = suffix.group(1) or suffix.group(2)
            if found in STATE_CODES:
                # "... Inc (DE)" is more often the state of incorporation than Deere: the name
                # then has to find the company by itself.
                return None
        elif prefix := _TICKER_PREFIX.match(text):
            found = prefix.group(1)
        if found is None or found.upper() in _NOT_TICKERS:
            return None
        return found

    # -- name matching -------------------------------------------------------------------------
    def _by_reference_name(self, company: CompanyName) -> tuple[str, str] | None:
        tickers = self._tickers_by_base.get(company.base, set())
        if len(tickers) == 1:
            return next(iter(tickers)), "asset_name"
        if len(tickers) > 1 and company.share_class:
            same_class = [
                t
                for t in tickers
                if ticker_share_class(t) == company.share_class
                or any(
                    c.share_class == company.share_class and c.base == company.base
                    for c in self._reference_bases.get(t, [])
                )
            ]
            if len(same_class) == 1:
                return same_class[0], "asset_name_share_class"
        return None

    def _by_fuzzy_name(self, company: CompanyName) -> tuple[str, float] | None:
        candidates = self._fuzzy_blocks.get(company.base[:FUZZY_BLOCK])
        if len(company.base) < FUZZY_MIN_LENGTH or not candidates:
            return None
        # Names scoring under threshold - margin can neither match nor spoil a match: the
        # cutoff lets rapidfuzz skip them (tens of thousands of reference names).
        best = process.extract(
            company.base,
            candidates,
            scorer=fuzz.ratio,
            limit=5,
            score_cutoff=FUZZY_THRESHOLD - FUZZY_MARGIN,
        )
        if not best or best[0][1] < FUZZY_THRESHOLD:
            return None
        tickers = self._fuzzy_choices[best[0][0]]
        if len(tickers) != 1:
            return None
        ticker = next(iter(tickers))
        rivals = [s for name, s, _ in best[1:] if self._fuzzy_choices[name] != {ticker}]
        if rivals and best[0][1] - max(rivals) < FUZZY_MARGIN:
            return None
        return ticker, float(best[0][1])

    def _match_company(self, company: CompanyName) -> tuple[str, float, str, str] | None:
        """(ticker, confidence, method, reason) from the company name: reference, learned, fuzzy."""
        if not company.base:
            return None
        exact = self._by_reference_name(company)
        if exact:
            ticker, method = exact
            confidence = 0.95 if method == "asset_name" else 0.93
            return ticker, confidence, method, f"name {company.base!r}"
        learned = self._learned.get((company.base, company.share_class))
        if learned:
            return learned, 0.85, "learned_name", f"filings pair {company.base!r} with {learned}"
        fuzzy = self._by_fuzzy_name(company)
        if fuzzy:
            ticker, score = fuzzy
            confidence = round(0.6 + 0.25 * (score - FUZZY_THRESHOLD) / (100 - FUZZY_THRESHOLD), 3)
            return (
                ticker,
                confidence,
                "asset_name_fuzzy",
                f"name {company.base!r} ~ {ticker} ({score:.0f})",
            )
        return None

    def _match_name(
        self, line: AssetLine, *, unlisted: bool = False
    ) -> tuple[str, float, str, str] | None:
        """(ticker, confidence, method, reason) from the asset name alone; ``unlisted`` also
        accepts tickers nobody can validate (only for lines that report none: a reported ticker
        is already the filer's word, and a second unvalidated one would only replace it)."""
        name = line.asset_name or ""
        written = name.strip()
        bare = written.upper()
        # "aapl" is a ticker typed in lowercase; "ba" or "t" may be anything.
        typed = written == bare or len(written) >= 3
        if _BARE_TICKER.match(written) and typed and self.known(bare):
            confidence = 0.9 if written == bare else 0.8
            reason = f"the asset name is the ticker {bare}"
            return bare, confidence, "ticker_as_asset_name", reason
        printed = self._printed_ticker(name)
        company = normalise_name(name)
        by_name = self._match_company(company)
        if printed and self.known(printed):
            # Capitals printed in a name may be an abbreviation or a slip, not its ticker: a name
            # that plainly names another company wins over them.
            if by_name and by_name[0] != printed and by_name[2] != "asset_name_fuzzy":
                ticker, confidence, method, reason = by_name
                return ticker, confidence, method, f"{reason}; {printed} in the name is not it"
            return printed, 0.9, "ticker_in_asset_name", f"{printed} printed in the name"
        if by_name:
            return by_name
        if not unlisted:
            return None
        learned = self._learned_unlisted.get((company.base, company.share_class))
        if learned:
            reason = f"filings pair {company.base!r} with {learned} (not in reference or bars)"
            return learned, 0.7, "learned_name_unlisted", reason
        # Printed but unknown: uppercase and two letters at least ("M" or "ba" may be anything).
        if printed and printed == printed.upper() and len(printed) >= 2:
            reason = f"{printed} printed in the name; not in the reference or the bars"
            return printed, 0.6, "ticker_in_asset_name_unlisted", reason
        return None

    def _agrees(self, ticker: str, name: str | None) -> bool | None:
        """Whether the line's name agrees with the ticker's reference names (None: cannot tell)."""
        bases = [c.base for c in self._reference_bases.get(ticker, []) if c.base]
        company = normalise_name(name or "")
        if not bases or not company.base:
            return None
        return any(fuzz.token_set_ratio(company.base, b) >= NAME_AGREEMENT for b in bases)

    # -- the decision --------------------------------------------------------------------------
    def resolve(self, line: AssetLine) -> TickerResolution:
        asset_class, why = classify(line)
        valid = self._validate(line.reported_ticker)
        if asset_class is AssetClass.OTHER and valid:
            asset_class, why = AssetClass.EQUITY, f"{why}, but its ticker is listed"
        if asset_class not in TRADABLE:
            return TickerResolution(None, 0.0, "not_equity", asset_class, f"{asset_class}: {why}")
        if valid:
            ticker, where, reformatted = valid
            method = "reported_ticker_reformatted" if reformatted else "reported_ticker"
            agrees = self._agrees(ticker, line.asset_name)
            if agrees is False:
                by_name = (
                    self._match_name(line) if asset_class is not AssetClass.MUTUAL_FUND else None
                )
                if by_name and by_name[0] != ticker and by_name[2] != "asset_name_fuzzy":
                    alt, _, name_method, reason = by_name
                    return TickerResolution(
                        alt,
                        0.9,
                        "asset_name_over_reported",
                        asset_class,
                        f"reported {ticker} is named otherwise; {name_method}: {reason}",
                    )
                reason = f"reported {ticker} in {where}, but its reference name differs"
                return TickerResolution(ticker, 0.8, method, asset_class, reason)
            confidence = 1.0 if where == "reference" else 0.9
            if reformatted:
                confidence -= 0.05
            return TickerResolution(ticker, confidence, method, asset_class, f"known in {where}")
        reported = (line.reported_ticker or "").strip()
        note = f"reported {reported!r} unknown; " if reported else ""
        if asset_class is AssetClass.MUTUAL_FUND:
            return TickerResolution(
                None, 0.0, "unresolved", asset_class, note + "fund without a known ticker"
            )
        by_name = self._match_name(line, unlisted=not reported)
        if by_name:
            ticker, confidence, method, reason = by_name
            return TickerResolution(ticker, confidence, method, asset_class, note + reason)
        return TickerResolution(
            None, 0.0, "unresolved", asset_class, note + "no known ticker matches the name"
        )


__all__ = [
    "AssetClass",
    "AssetLine",
    "CompanyName",
    "TickerResolution",
    "TickerResolver",
    "classify",
    "normalise_name",
    "ticker_forms",
]
