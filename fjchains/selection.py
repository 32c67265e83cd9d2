"""Which county a map click means: a pure function of the click and the layer."""

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


def new_click(returned: dict | None, last_seen: tuple | None) -> tuple[float, float] | None:
    """The click in st_folium's return value, if it is one we have not handled yet.

    st_folium keeps returning the last click on every rerun, so a click is acted on once:
    only when it differs from the one handled before.
    """
    clicked = (returned or {}).get("last_clicked")
    if not clicked or clicked.get("lat") is None:
        return None
    point = (round(float(clicked["lat"]), 6), round(float(clicked["lng"]), 6))
    return None if point == last_seen else point
