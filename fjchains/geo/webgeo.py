"""The lean geometry the browser draws: TopoJSON, sent once and cached by the browser.

Counties are simplified as a coverage (shapely.coverage_simplify: shared borders are
simplified once, so neighbours still meet), prefectures are unions of the simplified
counties, and both go into one quantised TopoJSON, where every shared border is stored
once (~78 KB against ~250 KB of GeoJSON). The document is written under static/generated/
by content hash and fetched by the map, so reruns never resend geometry.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import shapely
import topojson

from fjchains.core import paths

TOLERANCE = 0.002  # degrees; borders move < 1 km (the province view shows ~1 km a pixel)
QUANTISATION = 1e5  # ~5 m steps over Fujian's extent
STATIC_URL = f"{paths.STATIC_URL}/generated"


def simplified(layer: gpd.GeoDataFrame, tolerance: float = TOLERANCE) -> gpd.GeoDataFrame:
    """adcode + prefecture_adcode + county geometry simplified together, topology kept."""
    geoms = shapely.coverage_simplify(layer.geometry.values, tolerance)
    return gpd.GeoDataFrame(
        {"adcode": layer["adcode"].values, "prefecture_adcode": layer["prefecture_adcode"].values},
        geometry=geoms, crs=layer.crs,
    )


def web_topojson(layer: gpd.GeoDataFrame, tolerance: float = TOLERANCE) -> str:
    """TopoJSON text with objects 'counties' (property adcode) and 'prefectures'."""
    counties = simplified(layer, tolerance)
    prefectures = counties.dissolve("prefecture_adcode").reset_index()[["prefecture_adcode", "geometry"]]
    topo = topojson.Topology(
        [counties[["adcode", "geometry"]], prefectures],
        object_name=["counties", "prefectures"],
        prequantize=QUANTISATION,
        topology=True,
    )
    return str(topo.to_json())


def publish(text: str, static_dir: Path | None = None) -> str:
    """Write text under static/generated/counties-<hash>.json once; return its URL."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = Path(static_dir or paths.STATIC_DIR) / "generated"
    target = folder / f"counties-{digest}.json"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    return f"{STATIC_URL}/{target.name}"
