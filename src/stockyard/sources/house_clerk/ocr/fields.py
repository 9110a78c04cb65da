"""Table cells read by OCR → field values, each with a confidence (0..1).

Validation repairs only what the rules of the form allow — a misread digit shape in a date, an
owner code read in the wrong case — and every repair lowers the field's confidence. A field the
engine could not read is left empty with a low confidence, never guessed.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import Levenshtein

from stockyard.sources.house_clerk.ocr.table import CellReading

__all__ = [
    "MARK_MIN",
    "Field",
    "MarkReading",
    "clean_text",
    "read_asset",
    "read_date",
    "read_marks",
    "read_owner",
]

# Ink above the row's baseline at which a box counts as marked (share of the cell's centre).
MARK_MIN = 0.06
# A mark this far above the baseline is certain.
_MARK_SURE = 0.12
# Text read with less mean confidence than this is not text we would publish: left empty.
_UNREADABLE = 0.45
# A repaired value is trusted this much less than a clean reading.
_REPAIR_PENALTY = 0.8
_EARLIEST = date(2008, 1, 1)
# A date set by a repair rule rather than read: kept, and always reviewed.
REPAIRED_DATE = 0.6


@dataclass(frozen=True, slots=True)
class Field:
    value: object
    conf: float
    raw: str = ""


def read_owner(cell: CellReading | None, ink: float) -> Field:
    text = cell.text if cell else ""
    if not text:
        # An empty owner cell is the filer's own asset — unless something is written there.
        return Field(None, 0.4 if ink >= MARK_MIN else 0.95)
    squeezed = re.sub(r"[^A-Za-z0-9$]", "", text).upper()
    variants = {
        "SP": ("SP", "5P", "$P", "SF", "S9"),
        "DC": ("DC", "OC", "0C", "DG", "DO", "BC"),
        "JT": ("JT", "IT", "JI", "J7", "LT"),
    }
    for code, spellings in variants.items():
        if squeezed == code:
            return Field(code, cell.mean_conf if cell else 0.0, text)
        if squeezed in spellings:
            return Field(code, (cell.mean_conf if cell else 0.0) * _REPAIR_PENALTY, text)
    return Field(None, 0.2, text)


_LEADING_JUNK = re.compile(r"^[\W_]+(?=[A-Za-z0-9(])")
_TRAILING_JUNK = re.compile(r"(?<=[\w).])[\s_—–\-~=|]+$")


# Broker sheets abbreviate with a period ("INC. CMN", "LTD. CMN"); a comma read there is the
# same mark at 200 dpi.
_ABBREVIATION_COMMA = re.compile(r"\b(INC|LTD|CORP|CO|PLC|CL)\,(?= [A-Z])")
# A lone lower-case letter inside an all-capitals name ("FIREEYE, iNC.") is a misread capital.
_LONE_LOWER = re.compile(r"\b([a-z])(?=[A-Z]{2})")


def _close_brackets(text: str) -> str:
    """ "(ASK Partners, LLC}" → "(ASK Partners, LLC)": the engine confuses the closing shapes."""
    if text.count("(") > text.count(")") and text.rstrip()[-1:] in ("}", "]", "|", "J"):
        return text.rstrip()[:-1] + ")"
    return text


# A year cut to two digits ("RA '94 Trust") is read with a double quote on bold type; a lone
# double quote before two digits, with no closing one, is that apostrophe.
_YEAR_APOSTROPHE = re.compile(r"(?<![\w\"])\"(?=\d{2}\b)(?![^\"]*\")")


def clean_text(text: str) -> tuple[str, bool]:
    """A cell's words as one string, with the repairs above; and whether anything was repaired."""
    text = " ".join(text.split())
    text = _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", text))
    repaired = _close_brackets(_repair_suffixes(_repair_capitals(text)))
    repaired = _YEAR_APOSTROPHE.sub("'", repaired)
    return repaired, repaired != text


# Company suffixes misread in mixed-case names: "inc." / "Ine." for "Inc.", a name ending "Inc,".
_SUFFIX_CASE = re.compile(r"\b(?:inc|Ine)(?=\.|\b)")
_SUFFIX_COMMA_AT_END = re.compile(r"\b(Inc|Corp|Co|Ltd|Plc),$")


def _repair_suffixes(text: str) -> str:
    if not re.search(r"[A-Z][a-z]", text):
        return text
    return _SUFFIX_COMMA_AT_END.sub(r"\1.", _SUFFIX_CASE.sub("Inc", text))


def _repair_capitals(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 0.85 * len(letters):
        text = _LONE_LOWER.sub(lambda m: m.group(1).upper(), text)
        text = _ABBREVIATION_COMMA.sub(r"\1.", text)
    return text


def read_asset(cell: CellReading | None) -> Field:
    if cell is None or not cell.words:
        return Field(None, 0.0)
    text, repaired = clean_text(cell.text)
    conf = cell.mean_conf * (0.9 if repaired else 1.0)
    if conf < _UNREADABLE or not re.search(r"[A-Za-z]{2}", text):
        return Field(None, conf, text)
    return Field(text, conf, text)


# Shapes the engine confuses with digits in a date cell.
_DIGIT_SHAPES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "Q": "0",
        "D": "0",
        "l": "1",
        "I": "1",
        "i": "1",
        "!": "1",
        "]": "1",
        "[": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "g": "9",
        "\\": "/",
        "|": "/",
    }
)
# A date as the form prints it (M/D/YY or M/D/YYYY); second_look re-reads cells that miss it.
DATE_SHAPE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def _parse(text: str) -> date | None:
    match = DATE_SHAPE.match(text)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(cell: CellReading | None, *, not_after: date) -> Field:
    if cell is None or not cell.words:
        return Field(None, 0.9)
    raw = "".join(cell.text.split())
    conf = cell.conf
    value = _parse(raw)
    if value is None:
        repaired = raw.translate(_DIGIT_SHAPES).strip(".,;:'\"-_")
        value = _parse(repaired)
        conf *= _REPAIR_PENALTY
    if value is None or not (_EARLIEST <= value <= not_after):
        return Field(None, min(conf, 0.3), raw)
    return Field(value, conf, raw)


def agree_with_column(fields: Sequence[Field]) -> list[Field]:
    """Fill a date the engine misread from the value most rows of the page agree on, when it is
    one character away from it (broker sheets give every row one notification date)."""
    values = [f.value for f in fields if f.value is not None]
    if len(values) < 3:
        return list(fields)
    common = statistics.mode(values)
    if values.count(common) < 0.6 * len(values):
        return list(fields)
    assert isinstance(common, date)
    shown = common.strftime("%m/%d/%y")
    out = []
    for f in fields:
        if f.value is None and f.raw and _one_apart(f.raw.translate(_DIGIT_SHAPES), shown):
            out.append(Field(common, REPAIRED_DATE, f.raw))
        elif (
            isinstance(f.value, date)
            and f.value != common
            and _one_apart(f.value.strftime("%m/%d/%y"), shown)
        ):
            # A lone outlier a single digit away ("03/32/17" read for "03/31/17" is caught above;
            # a valid but unlikely "04/06/27" would pass the date check) is the common value.
            out.append(Field(common, REPAIRED_DATE, f.raw))
        else:
            out.append(f)
    return out


def _one_apart(a: str, b: str) -> bool:
    """One character read wrong, dropped or doubled (bold print loses the "6" of "06/03/21")."""
    return Levenshtein.distance(a, b) == 1


def trade_year_repaired(tx_date: date, notified: date) -> date | None:
    """The trade date with the year of its notification, when the year read is a digit away from
    it and would put the trade more than a year before the notice ("05/11/11" notified
    "06/03/21"): a PTR reports a trade within weeks. None when no such repair applies."""
    if (notified - tx_date).days <= 366:
        return None
    for year in (notified.year, notified.year - 1):
        if not _one_apart(f"{tx_date.year % 100:02d}", f"{year % 100:02d}"):
            continue
        try:
            candidate = tx_date.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate <= notified:
            return candidate
    return None


@dataclass(frozen=True, slots=True)
class MarkReading:
    """Which box of a group is marked: the index, or None; how sure; whether others were too."""

    index: int | None
    conf: float
    also_marked: tuple[int, ...] = ()


def read_marks(inks: Sequence[float], baseline: float) -> MarkReading:
    if not inks:
        return MarkReading(None, 0.0)
    strengths = [ink - baseline for ink in inks]
    order = sorted(range(len(inks)), key=lambda i: strengths[i], reverse=True)
    best = order[0]
    top = strengths[best]
    if top < MARK_MIN:
        # No mark. Sure when nothing comes close; a faint smudge halfway there is worth a look.
        return MarkReading(None, 1.0 - max(0.0, top) / MARK_MIN * 0.5)
    others = tuple(i for i in order[1:] if strengths[i] >= MARK_MIN)
    conf = min(1.0, 0.5 + 0.5 * (top - MARK_MIN) / (_MARK_SURE - MARK_MIN))
    if others:
        conf = min(conf, 0.4)
    return MarkReading(best, conf, others)


def row_baseline(inks: Sequence[float]) -> float:
    """The ink of an unmarked box in this row: the median over the row's boxes (most are empty;
    forms that print a checkbox in every cell give them all the same ink)."""
    return statistics.median(inks) if inks else 0.0
