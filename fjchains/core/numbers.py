"""Numbers as analysts type them: '1,234.5', '１２３', '12.3亿', '4500万元', '5%', '-' for none."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Context, Decimal, DecimalException

import pandas as pd

MISSING_TOKENS = {"", "-", "--", "—", "——", "–", "na", "n/a", "nan", "null", "none", "无", "/"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: Magnitude suffixes a cell may carry, as powers of ten (an optional 元 after them).
_UNITS = (("万亿", 12), ("亿", 8), ("万", 4))
#: Units a header may name, as powers of ten: "GDP（亿元）", "产值(万元)", "收入/元", and in
#: English "GDP (100m yuan)", "output, 10,000 yuan", "GDP (billion yuan)" (lower case here).
_HEADER_UNITS = {"万亿元": 12, "万亿": 12, "亿元": 8, "亿": 8, "万元": 4, "万": 4, "元": 0}
_ENGLISH_MAGNITUDES = {"trillion": 12, "100m": 8, "100 m": 8, "100 mn": 8, "100 million": 8, "billion": 9, "bn": 9,
                       "million": 6, "mn": 6, "10k": 4, "10 k": 4, "10,000": 4, "10000": 4, "10 thousand": 4,
                       "ten thousand": 4, "": 0}
_HEADER_UNITS.update({f"{magnitude} {currency}".strip(): power for magnitude, power in _ENGLISH_MAGNITUDES.items()
                      for currency in ("yuan", "rmb", "cny", "rmb yuan")})
_HEADER_UNITS.update({f"{currency} {magnitude}".strip(): power for magnitude, power in _ENGLISH_MAGNITUDES.items()
                      for currency in ("rmb", "cny")})
_BRACKETED = re.compile(r"[(\[【]\s*(?:单位:?|unit:?|in)?\s*([^()\[\]【】]*?)\s*[)\]】]")
_UNIT_NAMES = "|".join(re.escape(u) for u in sorted(_HEADER_UNITS, key=len, reverse=True))  # longest first
_TRAILING = re.compile(r"[/_:,;\s-]\s*(?:单位:?|unit:?|in)?\s*(" + _UNIT_NAMES + r")$")
_EXACT = Context(prec=40)  # wider than any float, so 10**k scaling is exact


def _read(text) -> tuple[str, int | None] | None:
    """A cell as (digits, power of ten its suffix names), or None for placeholders and junk.

    The power is None when no unit is written, 0 for a bare 元, 4/8/12 for 万/亿/万亿, so a
    caller can tell a written magnitude from a plain number. A comma is only a thousands
    separator in groups of three ('12,5' is junk, not 125): a European decimal comma is
    never silently read as a value ten times too big.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return (repr(float(text)), None) if math.isfinite(text) else None
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"\s+", "", s)
    if s in MISSING_TOKENS:
        return None
    s = s.removesuffix("%")
    power = 0 if s.endswith("元") else None
    s = s.removesuffix("元")
    for unit, exponent in _UNITS:
        if s.endswith(unit):
            s, power = s[: -len(unit)], exponent
            break
    if "," in s:
        if not _THOUSANDS_RE.match(s):
            return None
        s = s.replace(",", "")
    return (s, power) if _NUMBER_RE.match(s) else None


def _scaled(digits: str, shift: int) -> float:
    """digits × 10**shift, scaled exactly in decimal and only then rounded to a float.

    NaN past a float's range: '1e309' is not a number anyone measured.
    """
    try:
        value = float(digits) if shift == 0 else float(Decimal(digits).scaleb(shift, context=_EXACT))
    except DecimalException:
        return math.nan
    return value if math.isfinite(value) else math.nan


def parse_number(text) -> float:
    """'1,234.5', '１２３', '12.3亿', '4500万元', '5%' -> float; placeholders and junk -> NaN.

    A suffix is read as a plain number (12.3亿 -> 1.23e9); parse_column converts into the
    unit a column's header names instead.
    """
    cell = _read(text)
    return math.nan if cell is None else _scaled(cell[0], cell[1] or 0)


def parse_numbers(series: pd.Series) -> pd.Series:
    """parse_number on every cell, keeping the index."""
    return series.map(parse_number).astype(float)


def header_unit(header) -> int | None:
    """The unit a header names as a power of ten ('GDP（亿元）' -> 8, '产值/万元' -> 4,
    'GDP (100m yuan)' -> 8, 'Output, 10k yuan' -> 4, 'GDP (billion yuan)' -> 9), else None.

    Only a bracketed unit or one after a separator counts, so '美元' or '万人' is no unit of
    ours, nor is 'USD' or '100m people'.
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(header))).strip().lower()
    found = {_HEADER_UNITS[u] for u in _BRACKETED.findall(text) if u in _HEADER_UNITS}
    trailing = _TRAILING.search(text)
    if trailing:
        found.add(_HEADER_UNITS[trailing.group(1)])
    return found.pop() if len(found) == 1 else None


def parse_column(series: pd.Series, header) -> tuple[pd.Series, int]:
    """A numeric column in one unit, and how many cells were left empty as ambiguous.

    Under a header naming a unit, 亿/万/元 cells are converted into it exactly (4500万 under
    亿元 -> 0.45). Without one, suffixed cells become plain numbers only if no cell is plain:
    next to '3,207.4' of unknown unit, '12.3亿' cannot be placed, so it is left empty (never
    guessed) and counted for the upload report.
    """
    cells = series.map(_read)
    unit = header_unit(header)
    powers = [cell[1] for cell in cells if cell is not None]
    ambiguous = unit is None and None in powers and any(powers)
    dropped = sum(1 for p in powers if p) if ambiguous else 0

    def value(cell: tuple[str, int | None] | None) -> float:
        if cell is None or (ambiguous and cell[1]):
            return math.nan
        digits, power = cell
        return _scaled(digits, 0 if power is None else power - (unit or 0))

    return cells.map(value).astype(float), dropped


def _filled(series: pd.Series) -> pd.Series:
    """Cells that hold something (placeholders like '-' or 'NA' count as empty)."""
    norm = series.fillna("").astype(str).map(lambda v: re.sub(r"\s+", "", unicodedata.normalize("NFKC", v)).lower())
    return series[~norm.isin(MISSING_TOKENS)]


def numeric_columns(df: pd.DataFrame, min_share: float = 0.5, exclude=()) -> list[str]:
    """Columns where at least min_share of the filled cells are numbers (exclude: the key)."""
    found = []
    for column in df.columns:
        if column in exclude:
            continue
        filled = _filled(df[column])
        if len(filled) and parse_numbers(filled).notna().mean() >= min_share:
            found.append(column)
    return found


# ---------------------------------------------------------------- numbers shown to readers

#: Large-number units by language, biggest first: Chinese counts in 万 (1e4) and 亿 (1e8),
#: English in millions and billions. Past the last unit a number is written 1.23e+16.
_SHOWN_UNITS = {
    "zh": ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")),
    "en": ((1e12, " trillion"), (1e9, " billion"), (1e6, " million")),
}
_SCIENTIFIC_FROM = 1e16


def format_number(x: float, lang: str = "zh", digits: int = 3) -> str:
    """A number as a reader of `lang` writes it: 12.3亿 / 4,500万 / 1,234 in Chinese,
    1.23 billion / 450 million / 12,345 in English; `digits` significant digits in a unit.

    One function for legends, tooltips, details and KPI cards, so both languages stay
    consistent. NaN and infinities come back as written by Python ('nan', 'inf').
    """
    if not math.isfinite(x):
        return str(x)
    a = abs(x)
    if a >= _SCIENTIFIC_FROM:
        return f"{x:.{digits}g}"
    for unit, suffix in _SHOWN_UNITS["en" if lang == "en" else "zh"]:
        if a >= unit:
            v = x / unit
            return f"{v:,.0f}{suffix}" if abs(v) >= 1000 else f"{v:.{digits}g}{suffix}"
    if a >= 100:
        return f"{x:,.0f}"
    if a >= 1 or x == 0:
        return f"{x:.1f}"
    return f"{x:.2g}"


def format_value(x: float, lang: str = "zh") -> str:
    """One county's value in a detail or tooltip: small numbers as given (12.345, 1,234.5),
    large ones in the language's units with four significant digits (13.7亿, 1.37 billion)."""
    if math.isfinite(x) and abs(x) < 1e4:
        return f"{x:,.6g}"
    return format_number(x, lang, digits=4)
