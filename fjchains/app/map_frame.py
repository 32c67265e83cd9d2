"""The county map as the app's own Streamlit component: a static page (static/map-frame/).

It replaced streamlit-folium (issue 10): that component boots its own script bundle and
builds the map from folium's HTML on every rerun before Leaflet starts; this frame loads
Leaflet and our map code straight away and takes only JSON from the page. Its protocol
side is static/map-frame/frame.js.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit.components.v1 as components

from fjchains.core import paths

_county_map = components.declare_component("county_map", path=str(paths.STATIC_DIR / "map-frame"))
#: Served at <base>/component/<this>/; the iframe's title (harness.server.MAP_IFRAME).
COMPONENT_NAME = _county_map.name


def county_map_frame(base: dict, payload: dict, key: str, height: int, on_click: Callable[[], None]) -> None:
    """Mount (or restyle) the map. The value under `key` is the last click:
    {"last_clicked": {"lat", "lng"}, "n": the frame's clicks so far, "frame": when it opened},
    so a repeated click is a change too, also in a frame reloaded since (static/map-frame/frame.js)."""
    _county_map(base=base, payload=payload, height=height, key=key, default=None, on_change=on_click)
