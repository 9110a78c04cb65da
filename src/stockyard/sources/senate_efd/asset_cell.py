"""Read an eFD row's "Ticker" and "Asset Name" cells into name, ticker and description.

- Details such as "Rate/Coupon: 5% Matures: 06/01/2030" or an option's strike and expiry sit in
  ``<div class="text-muted">`` blocks under the name. They describe the asset rather than name it,
  so they go to ``description``.
- An exchange lists two assets, one per ``<br>`` line: "A (Exchanged)" / "B (Received)", with the
  tickers likewise ("--" / "RTN"). The exchanged asset is the row's asset (it is what left the
  portfolio); the received one is recorded in ``description`` as "Received: B (RTN)".

The Senate Stock Watcher keeps the same HTML in its ``ticker`` and ``asset_description`` strings,
so the same reading applies to fragments as well as to page nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

_LINE_BREAK = "\x1f"  # stands in for a <br> while the cell's text is flattened
_EMPTY = "--"
_EXCHANGED, _RECEIVED = "(Exchanged)", "(Received)"


@dataclass(frozen=True, slots=True)
class Asset:
    name: str
    ticker: str | None
    description: str | None


def clean_text(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to single spaces."""
    return " ".join(text.replace("\xa0", " ").split())


def _lines(node: LexborNode) -> list[str]:
    for br in node.css("br"):
        br.replace_with(_LINE_BREAK)
    parts = (clean_text(part) for part in node.text(deep=True).split(_LINE_BREAK))
    return [part for part in parts if part]


def _optional(text: str) -> str | None:
    return None if text in ("", _EMPTY) else text


def read_asset(name_cell: LexborNode, ticker_cell: LexborNode) -> Asset:
    """The asset of one row. Raises ``ValueError`` when the cells do not fit a known layout."""
    muted = name_cell.css("div.text-muted")
    details = [" ".join(_lines(div)) for div in muted]
    for div in muted:
        div.decompose()
    names, tickers = _lines(name_cell), _lines(ticker_cell)
    if not names:
        raise ValueError("asset name is empty")
    if len(names) == 2 and names[0].endswith(_EXCHANGED) and names[1].endswith(_RECEIVED):
        received = names[1].removesuffix(_RECEIVED).strip()
        received_ticker = _optional(tickers[1]) if len(tickers) > 1 else None
        details.insert(
            0, f"Received: {received}" + (f" ({received_ticker})" if received_ticker else "")
        )
        name = names[0].removesuffix(_EXCHANGED).strip()
    elif len(names) == 1 and len(tickers) <= 1:
        name = names[0]
    else:
        raise ValueError(f"unexpected multi-line asset {names!r} / tickers {tickers!r}")
    return Asset(
        name=name,
        ticker=_optional(tickers[0]) if tickers else None,
        description="; ".join(line for line in details if line) or None,
    )


def _fragment(html: str) -> LexborNode:
    node = LexborHTMLParser(f"<div>{html}</div>").css_first("body > div")
    if node is None:  # lexbor always wraps a fragment in html/body; this is a broken parser
        raise ValueError(f"cannot parse HTML fragment {html[:80]!r}")
    return node


def read_asset_html(name_html: str, ticker_html: str) -> Asset:
    """The same reading over HTML fragments (the Senate Stock Watcher's strings)."""
    return read_asset(_fragment(name_html), _fragment(ticker_html))
