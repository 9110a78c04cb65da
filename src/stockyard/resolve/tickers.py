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


# A ticker written before the name: "CB-Chubb Limited", "GBTC - Grayscale Bitcoin Trust".
_TICKER_PREFIX = re.compile(r"^\s*([A-Z]{1,5})\s*-\s*\S")
_BARE_TICKER = re.compile(r"^[A-Z]{1,5}$")  # an asset name that is only a ticker ("MSFT")
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
        self._learned = self._learn(filed_pairs)
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
    ) -> dict[tuple[str, str | None], str]:
        seen: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
        for name, reported in pairs:
            if not name:
                continue
            valid = self._validate(reported)
            company = normalise_name(name)
            if valid and company.base:
                seen[(company.base, company.share_class)][valid[0]] += 1
        learned: dict[tuple[str, str | None], str] = {}
        for key, counts in seen.items():
            ticker, count = counts.most_common(1)[0]
            if count / sum(counts.values()) >= LEARNED_MIN_SHARE:
                learned[key] = ticker
        return learned

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

    def _match_name(self, line: AssetLine) -> tuple[str, float, str, str] | None:
        """(ticker, confidence, method, reason) from the asset name alone."""
        name = line.asset_name or ""
        bare = name.strip().upper()
        if _BARE_TICKER.match(name.strip()) and self.known(bare):
            return bare, 0.9, "ticker_as_asset_name", f"the asset name is the ticker {bare}"
        prefixed = _TICKER_PREFIX.match(name)
        if prefixed and self.known(prefixed.group(1)):
            ticker = prefixed.group(1)
            return ticker, 0.9, "ticker_in_asset_name", f"{ticker} written before the name"
        company = normalise_name(name)
        if not company.base:
            return None
        exact = self._by_reference_name(company)
        if exact:
            ticker, method = exact
            return (
                ticker,
                0.95 if method == "asset_name" else 0.93,
                method,
                f"name {company.base!r}",
            )
        learned = self._learned.get((company.base, company.share_class))
        if learned:
            reason = f"filings pair {company.base!r} with {learned}"
            return learned, 0.85, "learned_name", reason
        fuzzy = self._by_fuzzy_name(company)
        if fuzzy:
            ticker, score = fuzzy
            reason = f"name {company.base!r} ~ {ticker} ({score:.0f})"
            return (
                ticker,
                round(0.6 + 0.25 * (score - FUZZY_THRESHOLD) / (100 - FUZZY_THRESHOLD), 3),
                ("asset_name_fuzzy"),
                reason,
            )
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
        by_name = self._match_name(line)
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
