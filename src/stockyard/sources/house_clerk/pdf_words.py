"""Words with positions from one PDF page, extracted once, with the House font's letter case repaired.

Why not ``page.extract_words()``: pdfplumber first turns every layout object (the eagle logo's
curves, the row shading, every glyph) into a dict with ~20 resolved attributes, which costs about a
quarter of the page time. We walk pdfplumber's own pdfminer layout (``page.layout``) once, keep
only the glyphs and the five attributes word grouping needs, and hand them to pdfplumber's
`WordExtractor` — same words, same positions, fewer passes.

Why the case repair: the Georgia subset embedded in 2016-2022 Clerk PDFs maps the capital glyphs of
A, B, D, G, L, O and U to lower-case letters in its text layer (the page shows "UBS Group AG", the
text layer says "uBS group ag"; tickers come out as "(aMZN)"). The glyph advance widths are still
the capitals', so a "lower-case" letter as wide as its capital is a capital.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTImage, LTItem
from pdfplumber.page import Page
from pdfplumber.utils.text import WordExtractor

__all__ = ["Word", "page_has_image", "page_words"]

# Advance width / font size above which the letter is the capital glyph. Each threshold sits halfway
# between Georgia's lower-case and capital widths (e.g. "a" 0.50 em, "A" 0.67 em).
_CAPITAL_WIDTH: dict[str, float] = {
    "a": 0.585,
    "b": 0.605,
    "d": 0.66,
    "g": 0.62,
    "l": 0.445,
    "o": 0.64,
    "u": 0.67,
}

_EXTRACTOR = WordExtractor(x_tolerance=3, y_tolerance=3)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _glyphs(items: Iterable[LTItem]) -> Iterator[LTChar]:
    for item in items:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):
            yield from _glyphs(item)


def _text_of(glyph: LTChar) -> str:
    text: str = glyph.get_text()
    threshold = _CAPITAL_WIDTH.get(text)
    if (
        threshold is not None
        and glyph.size > 0
        and glyph.width / glyph.size > threshold
        # The thresholds are the regular face's; bold letters are wider and only label headings.
        and "bold" not in glyph.fontname.lower()
    ):
        return text.upper()
    return text


def page_words(page: Page) -> list[Word]:
    """Every word on the page in reading order (top to bottom, left to right)."""
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[dict[str, Any]] = []
    for glyph in _glyphs(page.layout):
        top = height - glyph.y1 + mb_top
        chars.append(
            {
                "text": _text_of(glyph),
                "x0": glyph.x0 + mb_x0,
                "x1": glyph.x1 + mb_x0,
                "top": top,
                "doctop": top,
                "bottom": height - glyph.y0 + mb_top,
                "upright": glyph.upright,
                "size": glyph.size,
            }
        )
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"])
        for w in _EXTRACTOR.extract_words(chars)
    ]


def _has_image(items: Iterable[LTItem]) -> bool:
    return any(
        isinstance(item, LTImage) or (isinstance(item, LTContainer) and _has_image(item))
        for item in items
    )


def page_has_image(page: Page) -> bool:
    """Whether the page paints a raster image (a scan), as opposed to being blank or damaged."""
    return _has_image(page.layout)
