"""Are an uploaded column's high values clustered in space? Global Moran's I and LISA (esda).

Counties without a value are left out; counties that then have no neighbour (islands of the
boundary file, or counties whose neighbours all lack a value) are left out too and labelled
"no neighbours", never significant: local Moran would give them p≈0.001 and a quadrant.
Permutations use a fixed seed (fjchains.core.limits), so the same file gives the same answer.

Values are scaled by a power of two before esda sees them (I does not depend on the unit):
esda's sums of squares overflowed at 1e200 and gave I = nan with p = 0.001 and every county
Low-Low. Values too small to keep their digits (subnormal), and any statistic that still
comes out non-finite, are refused with a SpatialError, never shown.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fjchains.core import limits
from fjchains.core.errors import UserInputError
from fjchains.geo.neighbours import Neighbours, subset

#: LISA labels, in legend order, with GeoDa's usual colours.
LABELS = ("HH", "LL", "HL", "LH", "ns", "island", "missing")
#: ColorBrewer RdYlBu's ends for the quadrants, greys for "not significant" and "no neighbours";
#: "no data" a light sand, clearly apart from every other label (white was all but the grey of
#: "not significant") for normal vision and the three colour-blindness types (tests/test_spatial.py).
LISA_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": "#eeeeee",
                "island": "#999999", "missing": "#e8d0b0"}
_QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's Moran_Local.q

#: esda seeds numpy's global random state (Moran draws from it, Moran_Local reseeds it):
#: two sessions computing at once would interleave their draws, so one at a time.
_RANDOM_STATE = threading.Lock()


class SpatialError(UserInputError):
    """A column that spatial statistics cannot use (too few counties, all values equal,
    values too small to compute with, a statistic that is not a finite number)."""


#: Below this spread the values are subnormal doubles with fewer than 26 bits (~8 digits)
#: between the lowest and the highest: whatever I came out, it would describe rounding.
_MIN_SPREAD = 2.0**26 * np.finfo(float).smallest_subnormal


def _unit_scale(y: np.ndarray) -> np.ndarray:
    """y times the power of two that brings its largest magnitude into [0.5, 1): exact for
    normal and subnormal doubles alike, so no sum or square downstream overflows or underflows."""
    _, exponent = np.frexp(np.abs(y).max())
    return np.ldexp(y, -int(exponent))


@dataclass(frozen=True)
class SpatialResult:
    """Moran's I of one column and each county's local statistic.

    `table` is indexed by adcode (every county of the layer): value, z (standardised),
    lag (mean z of the neighbours), local_i, p (permutation p), quadrant (HH/LH/LL/HL or
    ""), status ("ok", "island": no neighbour with a value, "missing": no value).
    """

    table: pd.DataFrame
    moran_i: float
    expected_i: float
    p_value: float
    z_score: float
    n: int
    islands: tuple[str, ...]
    missing: tuple[str, ...]


def moran_analysis(values: pd.Series, neighbours: Neighbours,
                   permutations: int = limits.SPATIAL_PERMUTATIONS,
                   seed: int = limits.SPATIAL_SEED) -> SpatialResult:
    """Global and local Moran's I of `values` (indexed by adcode) on Queen weights.

    Raises SpatialError when fewer than limits.SPATIAL_MIN_COUNTIES counties have a value
    and a neighbour, when those values are all equal, when they are too small to hold their
    digits (subnormal, spread under _MIN_SPREAD), or when a statistic is not a finite number.
    """
    from esda.moran import Moran, Moran_Local  # ~1 s to import: only when asked

    values = values.astype(float)
    present = [a for a in values.index if pd.notna(values[a]) and np.isfinite(values[a])]
    weights = subset(neighbours, present)
    islands = sorted(weights.islands)
    used = [a for a in present if a not in set(islands)]
    if len(used) < limits.SPATIAL_MIN_COUNTIES:
        raise SpatialError("spatial_too_few", n=len(used), minimum=limits.SPATIAL_MIN_COUNTIES)
    y = values[used].to_numpy()
    if np.ptp(_unit_scale(y)) == 0:  # scaled first: the spread of ±1e308 is inf
        raise SpatialError("spatial_constant")
    with np.errstate(over="ignore"):
        if np.ptp(y) < _MIN_SPREAD:
            raise SpatialError("spatial_too_small")
    y = _unit_scale(y)
    weights = subset(neighbours, used)
    weights.transform = "r"
    with _RANDOM_STATE, warnings.catch_warnings():
        # esda 2.9 announces a two-sided local p for its next major release; until then the
        # folded ("directed") p that GeoDa also reports, as documented in docs/UPGRADING.md
        warnings.simplefilter("ignore", DeprecationWarning)
        np.random.seed(seed)
        glob = Moran(y, weights, transformation="r", permutations=permutations)
        local = Moran_Local(y, weights, transformation="r", permutations=permutations, seed=seed,
                            keep_simulations=False, n_jobs=1)
    z = (y - y.mean()) / y.std()
    lag = np.asarray(weights.sparse @ z).ravel()
    statistics = [glob.I, glob.EI, glob.p_sim, glob.z_sim, local.Is, local.p_sim, z, lag]
    if not all(np.isfinite(s).all() for s in statistics):
        raise SpatialError("spatial_not_finite")
    table = pd.DataFrame(index=pd.Index(values.index, name="adcode"))
    table["value"] = values
    table.loc[used, "z"] = z
    table.loc[used, "lag"] = lag
    table.loc[used, "local_i"] = local.Is
    table.loc[used, "p"] = local.p_sim
    table["quadrant"] = ""
    table.loc[used, "quadrant"] = [_QUADRANTS[int(q)] for q in local.q]
    missing = [a for a in values.index if a not in set(present)]
    table["status"] = "ok"
    table.loc[islands, "status"] = "island"
    table.loc[missing, "status"] = "missing"
    return SpatialResult(table, float(glob.I), float(glob.EI), float(glob.p_sim), float(glob.z_sim), len(used),
                         tuple(islands), tuple(missing))


def significance_cutoff(result: SpatialResult, alpha: float, fdr: bool) -> float:
    """The p below which a county is significant: alpha, or the false-discovery-rate cut-off."""
    if not fdr:
        return alpha
    from esda import fdr as fdr_cutoff

    return float(fdr_cutoff(result.table["p"].dropna().to_numpy(), alpha))


def lisa_labels(result: SpatialResult, alpha: float = 0.05, fdr: bool = False) -> pd.Series:
    """Each county's LISA label (LABELS): its quadrant where p < the cut-off, else "ns";
    "island" and "missing" whatever their p (they have none). A county whose statistics are
    not finite numbers is never significant (its quadrant would be read from NaN)."""
    cutoff = significance_cutoff(result, alpha, fdr)
    table = result.table
    labels = pd.Series("ns", index=table.index)
    finite = np.isfinite(table[["z", "lag", "local_i", "p"]].to_numpy(dtype=float)).all(axis=1)
    significant = (table["status"] == "ok") & finite & (table["p"] <= cutoff)
    labels[significant] = table.loc[significant, "quadrant"]
    labels[table["status"] == "island"] = "island"
    labels[table["status"] == "missing"] = "missing"
    return labels


def global_reading(result: SpatialResult, alpha: float = 0.05) -> tuple[str, dict]:
    """A catalogue key and values for one plain sentence about the global I."""
    values = {"i": f"{result.moran_i:.3f}", "p": f"{result.p_value:.3f}", "n": result.n,
              "perms": limits.SPATIAL_PERMUTATIONS}
    if result.p_value >= alpha:
        return "moran_random", values
    return ("moran_clustered" if result.moran_i > result.expected_i else "moran_dispersed"), values
