"""Do the counties named for a chain differ from the others on an uploaded indicator?

Medians, a permutation test of their difference and Cliff's delta as the effect size. The
opinion's lists end with 等: "the rest" holds counties not named, which is not the same as
counties without the industry; the page says so next to the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fjchains.analysis.spatial import SpatialError
from fjchains.core import limits


@dataclass(frozen=True)
class GroupComparison:
    """Chain counties vs the rest on one indicator (counties without a value left out)."""

    named: pd.Series  # adcode -> value
    rest: pd.Series
    median_named: float
    median_rest: float
    p_value: float  # two-sided permutation p of the difference in medians
    cliffs_delta: float  # P(named > rest) - P(named < rest), in [-1, 1]


def _median_difference(a, b, axis=-1):
    return np.median(a, axis=axis) - np.median(b, axis=axis)


def cliffs_delta(a: np.ndarray, b: np.ndarray) -> float:
    """P(a > b) - P(a < b) over all pairs: 0 = same, ±1 = no overlap."""
    from scipy.stats import mannwhitneyu

    u = mannwhitneyu(a, b, alternative="two-sided").statistic
    return float(2 * u / (len(a) * len(b)) - 1)


def compare_groups(values: pd.Series, named: list[str], permutations: int = limits.SPATIAL_PERMUTATIONS,
                   seed: int = limits.SPATIAL_SEED) -> GroupComparison:
    """`values` (by adcode) of the `named` counties against all others.

    Raises SpatialError when either group has fewer than limits.SPATIAL_MIN_GROUP values.
    """
    from scipy.stats import permutation_test

    present = values.astype(float).dropna()
    present = present[np.isfinite(present)]
    in_named = present.index.isin(named)
    a, b = present[in_named], present[~in_named]
    if min(len(a), len(b)) < limits.SPATIAL_MIN_GROUP:
        raise SpatialError("compare_too_few", named=len(a), rest=len(b), minimum=limits.SPATIAL_MIN_GROUP)
    test = permutation_test((a.to_numpy(), b.to_numpy()), _median_difference, permutation_type="independent",
                            vectorized=True, n_resamples=permutations, alternative="two-sided",
                            rng=np.random.default_rng(seed))
    return GroupComparison(a, b, float(a.median()), float(b.median()), float(test.pvalue),
                           cliffs_delta(a.to_numpy(), b.to_numpy()))


def effect_words(delta: float) -> str:
    """Catalogue key for the size of Cliff's delta (Romano et al. 2006 thresholds)."""
    size = abs(delta)
    return ("effect_negligible" if size < 0.147 else "effect_small" if size < 0.33
            else "effect_medium" if size < 0.474 else "effect_large")
