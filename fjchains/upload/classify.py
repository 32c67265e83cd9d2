"""Bin county values into colour classes for a choropleth, with a legend that tells the truth.

mapclassify computes the breaks; this module guards the edge cases real uploads hit (all
missing, fewer distinct values than classes, one value, bad user breaks), drops empty
quantile classes, and gives missing counties their own grey legend entry so "no data" is
never mistaken for "low".
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from fjchains.core import limits
from fjchains.core.errors import ClassifyError
from fjchains.core.numbers import format_number

SCHEMES = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,  # deterministic (NaturalBreaks is k-means, random)
    "equal_interval": mapclassify.EqualInterval,
    "user_defined": mapclassify.UserDefined,
}
MIN_K, MAX_K = 3, 7
MISSING_COLOR = "#d9d9d9"  # grey, and named in the legend
MISSING_LABEL = "No data / 无数据"

# ColorBrewer 2.0 sequential schemes marked colour-blind safe, exactly as ColorBrewer lists
# them for each class count; read through branca's public color_brewer (a pinned dependency).
PALETTE_NAMES = ("YlGnBu", "Blues", "Greens", "Oranges", "PuRd")


def _colorbrewer() -> dict[str, dict[int, list[str]]]:
    # branca's public color_brewer returns ColorBrewer's own k-class scheme for 3 <= k <= 9
    return {name: {k: color_brewer(name, k) for k in range(MIN_K, MAX_K + 1)} for name in PALETTE_NAMES}


PALETTES = _colorbrewer()


@dataclass
class Classification:
    """Colours per county plus the legend that explains them."""

    scheme: str
    colors: dict[str, str]  # adcode -> hex, MISSING_COLOR for no data
    bins: list[float]  # upper bound of each class, lowest first
    legend: list[tuple[str, str]]  # (label, hex), lowest class first, then no data if any
    counts: list[int]  # counties per class
    missing: int  # counties with no value


def palette_colors(palette: str, k: int) -> list[str]:
    """k colours of a palette; 1 or 2 classes borrow from the 3-class scheme."""
    if palette not in PALETTES:
        raise ClassifyError("classify_palette", palette=str(palette)[:30], choices=list(PALETTES))
    if k >= MIN_K:
        return list(PALETTES[palette][k])
    three = PALETTES[palette][3]
    return [three[1]] if k == 1 else [three[0], three[2]]


def class_label(lo: float, hi: float, lang: str) -> str:
    """A legend class: '12.3亿 – 45.6亿' / '1.23 billion – 4.56 billion', one number if lo == hi."""
    return format_number(hi, lang) if lo == hi else f"{format_number(lo, lang)} – {format_number(hi, lang)}"


def parse_breaks(text: str) -> list[str]:
    """'10, 50，100' (half- or full-width commas) -> ['10', '50', '100']; checked by classify().

    Text longer than limits.MAX_BREAKS_CHARS is refused before it is split, and more than
    MAX_K breaks before any number is read: a pasted million breaks (6.9 MB) cost 12 s of
    server time per rerun in mapclassify before the class limit was checked.
    """
    if len(text) > limits.MAX_BREAKS_CHARS:
        raise ClassifyError("classify_breaks_too_long", n=f"{len(text):,}", limit=limits.MAX_BREAKS_CHARS)
    breaks = [b.strip() for b in text.replace("，", ",").split(",") if b.strip()]
    _check_break_count(breaks)
    return breaks


def _check_break_count(breaks: Sequence) -> None:
    """At most MAX_K breaks: each closes a class and values above the last one get a class of
    their own (mapclassify.UserDefined), so more than MAX_K always make more than MAX_K classes."""
    if len(breaks) > MAX_K:
        raise ClassifyError("classify_too_many_breaks", max_k=MAX_K, n=f"{len(breaks):,}")


def _check_breaks(breaks) -> list[float]:
    if not breaks:
        raise ClassifyError("classify_no_breaks")
    _check_break_count(breaks)  # before any number is read
    try:
        values = [float(b) for b in breaks]
    except (TypeError, ValueError):
        shown = ", ".join(str(b) for b in breaks)
        raise ClassifyError("classify_breaks_not_numbers", breaks=shown[:80]) from None
    if not all(math.isfinite(b) for b in values):
        raise ClassifyError("classify_breaks_not_finite", breaks=", ".join(map(str, breaks))[:80])
    if any(b >= c for b, c in zip(values, values[1:])):
        fixed = ", ".join(f"{b:g}" for b in sorted(set(values)))
        raise ClassifyError("classify_breaks_order", example=fixed[:80])
    return values


def _scheme_bins(scheme: str, y: np.ndarray, k: int) -> list[float]:
    """mapclassify's upper bounds; values so far apart that the arithmetic overflows
    (1e308 and -1e308) get a message, not a crash."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # mapclassify warns when it reduces k itself
            bins = [float(b) for b in SCHEMES[scheme](y, k=k).bins]
    except (ValueError, OverflowError, FloatingPointError, ZeroDivisionError):
        bins = []
    if not bins or not all(math.isfinite(b) for b in bins):
        raise ClassifyError("classify_too_wide")
    return bins


def classify(values: pd.Series, scheme: str, k: int = 5, breaks: Sequence[float | str] | None = None,
             palette: str = "YlGnBu", lang: str = "en") -> Classification:
    """Classify values (index adcode, float, NaN = missing) with one of SCHEMES.

    k is reduced when there are fewer distinct values; user_defined uses `breaks` (upper
    bounds, increasing; a class is added above the last break if values exceed it).
    Legend numbers are written for `lang` (fjchains.core.numbers.format_number).
    """
    if scheme not in SCHEMES:
        raise ClassifyError("classify_scheme", scheme=str(scheme)[:30], choices=list(SCHEMES))
    palette_colors(palette, MIN_K)  # validate the name early
    numbers = pd.to_numeric(values, errors="coerce").astype(float).replace([np.inf, -np.inf], np.nan)
    present = numbers.dropna()
    if present.empty:
        raise ClassifyError("classify_no_values")
    y = present.to_numpy()
    distinct = np.unique(y)
    if scheme == "user_defined":
        bins = [float(b) for b in SCHEMES[scheme](y, bins=_check_breaks(breaks)).bins]  # adds max if above
        if len(bins) > MAX_K:
            raise ClassifyError("classify_too_many_classes", max_k=MAX_K, n=len(bins))
    else:
        if not MIN_K <= k <= MAX_K:
            raise ClassifyError("classify_k_range", min_k=MIN_K, max_k=MAX_K, k=k)
        k = min(k, len(distinct))
        if k == 1:
            bins = [float(distinct[0])]
        else:
            bins = _scheme_bins(scheme, y, k)
    classes = np.minimum(np.searchsorted(bins, y, side="left"), len(bins) - 1)  # class i: (bins[i-1], bins[i]]
    counts = np.bincount(classes, minlength=len(bins))
    if scheme == "quantiles" and (counts == 0).any():  # tied values leave empty quantile classes: merge them
        bins = [b for b, n in zip(bins, counts) if n]
        classes = np.minimum(np.searchsorted(bins, y, side="left"), len(bins) - 1)
        counts = np.bincount(classes, minlength=len(bins))
    colors_k = palette_colors(palette, len(bins))
    lows = [min(float(y.min()), bins[0])] + bins[:-1]
    legend = [(class_label(lo, hi, lang), color) for lo, hi, color in zip(lows, bins, colors_k)]
    colors = {code: MISSING_COLOR for code in numbers.index}
    colors.update({code: colors_k[c] for code, c in zip(present.index, classes)})
    missing = int(numbers.isna().sum())
    if missing:
        legend.append((MISSING_LABEL, MISSING_COLOR))
    return Classification(scheme=scheme, colors=colors, bins=bins, legend=legend,
                          counts=[int(n) for n in counts], missing=missing)
