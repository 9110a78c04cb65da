"""The filer block of the official form's first page: "NAME: …", "State: … District: …"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stockyard.models.places import STATE_CODE_BY_NAME, STATE_CODES
from stockyard.sources.house_clerk.ocr.engine import OcrWord
from stockyard.sources.house_clerk.ocr.scan import PageScan

__all__ = ["filer_name", "state_district"]

_CONFIDENT = 0.6


def _line_after(words: Sequence[OcrWord], label: OcrWord, stop: re.Pattern[str]) -> list[OcrWord]:
    height = label.bottom - label.top
    same_line = sorted(
        (w for w in words if abs(w.cy - label.cy) < 1.2 * height and w.left > label.left),
        key=lambda w: w.left,
    )
    out: list[OcrWord] = []
    previous = label
    for word in same_line:
        if stop.match(word.text) or word.left - previous.right > 12 * height:
            break
        out.append(word)
        previous = word
    return out


def filer_name(scans: Sequence[PageScan]) -> str | None:
    """The name written after "NAME:" (same line), or on the line under it (2012-2015 form)."""
    stop = re.compile(r"^(OFFICE|Page|TELEPHONE)", re.I)
    for scan in scans[:1]:
        for label in (w for w in scan.words if re.match(r"^NAME:", w.text)):
            inline = label.text.partition(":")[2]
            after = _line_after(scan.words, label, stop)
            if not after and not inline:
                height = label.bottom - label.top
                below = [
                    w
                    for w in scan.words
                    if 0.5 * height < w.top - label.bottom < 3 * height
                    and abs(w.left - label.left) < 4 * height
                ]
                after = [below[0], *_line_after(scan.words, below[0], stop)] if below else []
            names = [inline] if inline else []
            names += [
                w.text.strip(":_")
                for w in after
                if w.conf >= _CONFIDENT and re.search(r"[A-Za-z]", w.text)
            ]
            if names:
                return " ".join(names).strip() or None
    return None


def state_district(scans: Sequence[PageScan]) -> str | None:
    for scan in scans[:1]:
        state = district = None
        for label in scan.words:
            text = label.text.rstrip(":").upper()
            if text == "STATE" or label.text.upper().startswith("STATE:"):
                after = _line_after(scan.words, label, re.compile(r"^District", re.I))
                value = " ".join(w.text for w in after if w.conf >= _CONFIDENT).strip(" _:").upper()
                inline = label.text.partition(":")[2].upper()
                value = value or inline
                state = value if value in STATE_CODES else STATE_CODE_BY_NAME.get(value)
            elif text.startswith("DISTRICT"):
                after = _line_after(scan.words, label, re.compile(r"^(File|Employing)", re.I))
                digits = "".join(
                    c for w in after[:1] if w.conf >= _CONFIDENT for c in w.text if c.isdigit()
                )
                inline = "".join(c for c in label.text if c.isdigit())
                district = (digits or inline) or None
        if state and district and len(district) <= 2:
            return f"{state}{int(district):02d}"
    return None
