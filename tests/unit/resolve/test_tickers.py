"""Asset lines → asset class and ticker, on strings as the bundled filings print them."""

from __future__ import annotations

import pytest

from stockyard.resolve.tickers import (
    AssetClass,
    AssetLine,
    TickerResolver,
    classify,
    normalise_name,
    ticker_forms,
)

# Polygon reference names, as /v3/reference/tickers spells them.
REFERENCE = {
    "AAPL": ["Apple Inc."],
    "BRK.A": ["Berkshire Hathaway Inc. Class A"],
    "BRK.B": ["Berkshire Hathaway Inc. Class B"],
    "GOOGL": ["Alphabet Inc. Class A Common Stock"],
    "GOOG": ["Alphabet Inc. Class C Capital Stock"],
    "FB": ["Facebook, Inc. Class A Common Stock"],
    "META": ["Meta Platforms, Inc. Class A Common Stock"],
    "MDT": ["Medtronic plc. Ordinary Shares"],
    "INTU": ["Intuit Inc."],
    "RTX": ["Raytheon Technologies Corporation"],
    "BAC": ["Bank of America Corporation"],
    "SBUX": ["Starbucks Corporation"],
    "MSFT": ["Microsoft Corp"],
    "CR": ["Crane Co."],
}


@pytest.fixture(scope="module")
def resolver() -> TickerResolver:
    return TickerResolver(REFERENCE, priced=["CEF"])


def line(name: str | None, ticker: str | None = None, code: str | None = "ST",
         text: str | None = None) -> AssetLine:  # fmt: skip
    return AssetLine(name, ticker, code, text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Intuit Inc. - Common Stock", ("intuit", None)),
        ("Berkshire Hathaway Inc. New Common Stock", ("berkshire hathaway", None)),
        ("Alphabet Inc. - Class C Capital Stock", ("alphabet", "c")),
        ("Netflix, Inc. (NASDAQ)", ("netflix", None)),
        ("The Kroger Co.", ("kroger", None)),
        ("Eli Lilly and Company Common Stock", ("eli lilly", None)),
        ("Haleon plc American Depositary Shares", ("haleon", None)),
        ("Shin-Etsu Chemical Co Ltd Unsponsored ADR", ("shin etsu chemical", None)),
        ("Tesoro Logistics CMN", ("tesoro logistics", None)),
    ],
)
def test_names_lose_legal_forms_listings_and_share_classes(
    name: str, expected: tuple[str, str | None]
) -> None:
    company = normalise_name(name)
    assert (company.base, company.share_class) == expected


def test_ticker_forms_follow_polygon_share_class_spelling() -> None:
    assert ticker_forms("BRK-B") == ["BRK-B", "BRK.B", "BRKB"]
    assert ticker_forms(" brk/b ") == ["BRK/B", "BRK.B", "BRKB"]
    assert ticker_forms("AAPL") == ["AAPL"]
    assert ticker_forms("SPY160219P00180000") == []  # an OCC option symbol


@pytest.mark.parametrize(
    ("asset", "expected"),
    [
        (line("Intuit Inc. - Common Stock", "INTU"), AssetClass.EQUITY),
        (line("Microsoft Corporation (NASDAQ)", "MSFT", None), AssetClass.EQUITY),
        (line("Crane Co.", "CR", "OP", "Stock Option"), AssetClass.OPTION),
        (line("SPDR S&P 500", "SPY160219P00180000", None), AssetClass.OPTION),
        (line("Call Jul 22 CBT Corn", None, "FU", "Commodities/Futures Contract"), AssetClass.COMMODITY),
        (line("US TREASURY NOTE 4.25% DUE 12/31/25 (91282CJS1)", None, "GS"), AssetClass.BOND),
        (line("Gainesville GA WTR & SWR REV", None, None, "Municipal Security"), AssetClass.BOND),
        (line("Me Muni Bond Bk Rev 3% 09/01/2026", None, None), AssetClass.BOND),
        (line("JPM Contingent Autocall Tesoro Corp 10.75% due 5/21/2015", None, None), AssetClass.BOND),
        (line("UBS Contingent Autocall on SLB 90281C708", None, "CS", "Corporate Bond"), AssetClass.BOND),
        (line("SPDR S&P Biotech ETF", None, None), AssetClass.ETF),
        (line("Ishares MSCI Emerging Mkts ETF", None, None, "Other Securities"), AssetClass.ETF),
        (line("iShares 20+ Year Treasury Bond ETF", "TLT"), AssetClass.ETF),
        (line("Lord Abbett Ultra Short Bond Fund Class F", "LUBFX"), AssetClass.MUTUAL_FUND),
        (line("Abbey Capital Futures Strategy Fund Class I", "ABYIX", None, "Other Securities"), AssetClass.MUTUAL_FUND),
        (line("GBTC - Grayscale Bitcoin Trust", None, "CT", "Cryptocurrency"), AssetClass.CRYPTO),
        (line("Bitcoin", "BTC", "CT"), AssetClass.CRYPTO),
        (line("W.L. Gore & Associates Inc.", None, "PS", "Non-Public Stock"), AssetClass.PRIVATE),
        (line("HCEB Ballantyne, LLC", None, None, "Other Securities"), AssetClass.PRIVATE),
        (line("CareBridge", None, None, "Other Securities"), AssetClass.OTHER),
    ],
)  # fmt: skip
def test_classification(asset: AssetLine, expected: AssetClass) -> None:
    assert classify(asset)[0] is expected


@pytest.mark.parametrize(
    ("asset", "ticker", "method"),
    [
        (line("Intuit Inc. - Common Stock", "INTU"), "INTU", "reported_ticker"),
        (line("Berkshire Hathaway Inc.", "BRK-B"), "BRK.B", "reported_ticker_reformatted"),
        (line("Berkshire Hathaway Inc. Class B", None), "BRK.B", "asset_name_share_class"),
        (line("Alphabet Inc. - Class A", None), "GOOGL", "asset_name_share_class"),
        (line("Alphabet Inc. - Class C Capital Stock", None), "GOOG", "asset_name_share_class"),
        (line("Apple Inc", None), "AAPL", "asset_name"),
        # an old ticker the reference no longer has: the name finds the new one
        (line("Raytheon Technologies Corporation", "UTX"), "RTX", "asset_name"),
        (line("Meditronic Inc", None), "MDT", "asset_name_fuzzy"),
        (line("MSFT", None), "MSFT", "ticker_as_asset_name"),
        (line("SBUX-Starbucks Corporation", None), "SBUX", "ticker_in_asset_name"),
        # the filing kept the pre-rename ticker; the reference names FB otherwise
        (line("Meta Platforms, Inc. - Class A", "FB"), "META", "asset_name_over_reported"),
        # not in the reference, but priced: validated against the bars
        (line("Sprott Physical Gold & Silver Trust", "CEF", None, "Other Securities"), "CEF", "reported_ticker"),
    ],
)  # fmt: skip
def test_resolution_methods(
    resolver: TickerResolver, asset: AssetLine, ticker: str, method: str
) -> None:
    found = resolver.resolve(asset)
    assert (found.ticker, found.method) == (ticker, method), found.reason
    assert 0.6 <= found.confidence <= 1.0


def test_confidence_says_how_the_ticker_was_found(resolver: TickerResolver) -> None:
    assert resolver.resolve(line("Intuit Inc.", "INTU")).confidence == 1.0
    assert resolver.resolve(line("Sprott Physical Gold & Silver Trust", "CEF")).confidence == 0.9
    assert resolver.resolve(line("Apple Inc", None)).confidence == 0.95
    assert resolver.resolve(line("Meditronic Inc", None)).confidence < 0.85


def test_non_equities_keep_their_class_and_get_no_ticker(resolver: TickerResolver) -> None:
    option = resolver.resolve(line("Crane Co.", "CR", "OP", "Stock Option"))
    assert (option.ticker, option.method, option.asset_class) == (None, "not_equity", "option")
    bond = resolver.resolve(line("MAINE HEALTH & HIGH BOND", None, None, "Municipal Security"))
    assert (bond.ticker, bond.asset_class) == (None, AssetClass.BOND)
    assert "Municipal Security" in bond.reason


def test_unresolved_lines_say_why(resolver: TickerResolver) -> None:
    bare = resolver.resolve(line("ba", None))  # a real Senate eFD line
    assert (bare.ticker, bare.method, bare.confidence) == (None, "unresolved", 0.0)
    assert bare.reason == "no known ticker matches the name"
    unknown = resolver.resolve(line("Lions Gate Entertainment Corp.", "LGF-B"))
    assert unknown.ticker is None
    assert unknown.reason.startswith("reported 'LGF-B' unknown")


def test_a_similar_but_different_company_is_not_a_fuzzy_match(resolver: TickerResolver) -> None:
    assert resolver.resolve(line("Bank of Hawaii Corporation", None)).ticker is None
    assert resolver.resolve(line("Apple Hospitality REIT, Inc.", None)).ticker is None


def test_names_are_learned_from_filings_that_print_both() -> None:
    # No reference fetched: only priced tickers, and the filings' own (name, ticker) pairs.
    resolver = TickerResolver(
        {},
        priced=["AAPL", "GOOG", "GOOGL"],
        filed_pairs=[
            ("Apple Inc.", "AAPL"),
            ("Apple Inc. - Common Stock", "AAPL"),
            ("Alphabet Inc.", "GOOG"),  # the same name printed with two tickers: not learned
            ("Alphabet Inc.", "GOOGL"),
            ("Lions Gate Entertainment Corp.", "LGF-B"),  # ticker not priced: not learned
        ],
    )
    apple = resolver.resolve(line("Apple Inc", None))
    assert (apple.ticker, apple.method, apple.confidence) == ("AAPL", "learned_name", 0.85)
    assert resolver.resolve(line("Alphabet Inc.", None)).ticker is None
    assert resolver.resolve(line("Lions Gate Entertainment Corp.", None)).ticker is None
    priced = resolver.resolve(line("Apple Inc.", "AAPL"))
    assert (priced.method, priced.confidence) == ("reported_ticker", 0.9)


@pytest.mark.parametrize(
    ("name", "ticker", "method"),
    [
        # neither CB nor Chubb is known here: the filer's printed word, at the lowest confidence
        ("CHUBB CORPORATION - CB", "CB", "ticker_in_asset_name_unlisted"),
        ("Microsoft Corporation (MSFT)", "MSFT", "ticker_in_asset_name"),
        ("Starbucks - SBUX", "SBUX", "ticker_in_asset_name"),
        ("aapl", "AAPL", "ticker_as_asset_name"),
        ("Energy Transfer Equity (ETE)", "ETE", "ticker_in_asset_name_unlisted"),
        ("WFM", "WFM", "ticker_in_asset_name_unlisted"),
    ],
)
def test_tickers_printed_in_the_name(
    resolver: TickerResolver, name: str, ticker: str, method: str
) -> None:
    found = resolver.resolve(line(name, None))
    assert (found.ticker, found.method) == (ticker, method), found.reason
    assert found.confidence == 0.6 if method.endswith("_unlisted") else found.confidence >= 0.8


def test_a_known_ticker_in_the_name_outranks_an_unlisted_reading(
    resolver: TickerResolver,
) -> None:
    found = resolver.resolve(line("Intuit Inc. (INTU)", None))
    assert (found.ticker, found.confidence) == ("INTU", 0.9)
    lowercase = resolver.resolve(line("aapl", None))
    assert lowercase.confidence == 0.8  # typed in lowercase: a little less sure


@pytest.mark.parametrize(
    "name",
    [
        "ba",  # two lowercase letters: a typo as likely as a ticker
        "CASH",
        "Netflix Streaming (NASDAQ)",  # a listing, not a ticker
        "Some Holdings LLC",
        "Widget Partners - LP",
        "Unknown Company (abc)",  # lowercase in parentheses: not printed as a ticker
    ],
)
def test_words_that_are_not_tickers_stay_unresolved(resolver: TickerResolver, name: str) -> None:
    found = resolver.resolve(line(name, None))
    assert found.ticker is None, found.reason
    assert found.method == "unresolved"


def test_unlisted_tickers_are_learned_only_from_repeated_pairs() -> None:
    resolver = TickerResolver(
        {},
        priced=["AAPL"],
        filed_pairs=[
            ("Cabela's Inc.", "CAB"),  # delisted since: neither reference nor bars know it
            ("Cabela's Incorporated", "CAB"),
            ("Once Only Corp.", "OOC"),  # paired once: not enough to learn
            ("Two Minds Inc.", "TWM"),  # paired with two tickers: not learned
            ("Two Minds Inc.", "TWO"),
            ("Apple Inc.", "AAPL"),
        ],
    )
    cabelas = resolver.resolve(line("Cabela's Inc", None))
    assert (cabelas.ticker, cabelas.method, cabelas.confidence) == (
        "CAB",
        "learned_name_unlisted",
        0.7,
    )
    assert resolver.resolve(line("Once Only Corp", None)).ticker is None
    assert resolver.resolve(line("Two Minds Inc", None)).ticker is None
    # a line that reports a ticker we cannot validate keeps its own word, not a learned one
    reported = resolver.resolve(line("Cabela's Inc", "CABX"))
    assert (reported.ticker, reported.method) == (None, "unresolved")
    # a validated pair is still preferred over an unlisted one
    assert resolver.resolve(line("Apple Inc", None)).method == "learned_name"


def test_capitals_after_a_name_yield_to_the_company_the_name_names() -> None:
    resolver = TickerResolver(
        {"UNH": ["UnitedHealth Group Incorporated"], "DE": ["Deere & Company"]},
        priced=["A", "V"],
        filed_pairs=[("Visa Inc.", "V"), ("Visa Inc. Class A", "V")],
    )
    # "(DE)" is Delaware here, not Deere
    unh = resolver.resolve(line("UnitedHealth Group Incorporated Common Stock (DE)", None))
    assert (unh.ticker, unh.method) == ("UNH", "asset_name")
    assert resolver.resolve(line("Acme Widgets Inc (DE)", None)).ticker is None
    assert resolver.resolve(line("Deere & Company (DE)", None)).ticker == "DE"
    # "- A" is the share class, not Agilent
    assert resolver.resolve(line("VISA INC - A", None)).ticker is None
    assert resolver.resolve(line("M", None)).ticker is None  # one letter, unknown: anything
