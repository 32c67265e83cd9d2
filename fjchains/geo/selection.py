"""Which county a map click means: a pure function of the clicked point and the layer."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point


def county_at(layer: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """Adcode of the county containing the point, or None (sea, outside Fujian)."""
    point = Point(lng, lat)
    hits = layer.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return layer.iloc[sorted(hits)[0]]["adcode"]

