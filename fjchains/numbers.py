"""Numbers as analysts type them: '1,234.5', '１２３', '12.3亿', '4500万元', '5%', '-' for none."""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

MISSING_TOKENS = {"", "-", "--", "—", "——", "–", "na", "n/a", "nan", "null", "none", "无", "/"}
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_UNITS = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4))


def parse_number(text) -> float:
    """'1,234.5', '１２３', '12.3亿', '4500万元', '5%' -> float; placeholders and junk -> NaN.

    A comma is only a thousands separator in groups of three ('12,5' is NaN, not 125),
    so a European decimal comma is never silently read as a value ten times too big.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text) if math.isfinite(text) else math.nan
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"\s+", "", s)
    if s in MISSING_TOKENS:
        return math.nan
    s = s.removesuffix("%").removesuffix("元")
    factor = 1.0
    for unit, multiplier in _UNITS:
        if s.endswith(unit):
            s, factor = s[: -len(unit)], multiplier
            break
    if "," in s:
        if not _THOUSANDS_RE.match(s):
            return math.nan
        s = s.replace(",", "")
    if not _NUMBER_RE.match(s):
        return math.nan
    value = float(s) * factor
    return value if math.isfinite(value) else math.nan  # '1e309' is not a number anyone measured


def parse_numbers(series: pd.Series) -> pd.Series:
    """parse_number on every cell, keeping the index."""
    return series.map(parse_number).astype(float)


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
