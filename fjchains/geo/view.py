"""The map's view in a link, ``?z=9&ll=25.1,118.6``: which zooms and centres are accepted.

Declared once here. The browser writes the view into the address (static/js/map-access.js)
and the server only keeps it (`parse_view`, fjchains.app.session.sync_url). The map's frame
receives the same limits in its options (fjchains.geo.maps.layer_options) and
static/js/map-logic.js ``viewFromQuery`` accepts a view by the same rules, so the browser never
restores a view the server would drop (tests/fixtures/view_cases.json: the cases both sides
are tested on).
"""

from __future__ import annotations

import re

VIEW_ZOOM = (6.0, 13.0)  # the map's zoom limits
VIEW_BOX = ((20.0, 31.0), (113.0, 124.0))  # the centre's lat, lng: Fujian and a margin
#: A number as the address may carry it: plain decimal, optional sign and exponent; no
#: spaces, ``_``, ``inf`` or ``nan`` (Python's float() takes those, JavaScript's Number() not all).
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def limits() -> dict[str, list]:
    """The limits as the frame's options carry them: {"zoom": [lo, hi], "box": [[lat lo, hi], [lng lo, hi]]}."""
    return {"zoom": list(VIEW_ZOOM), "box": [list(VIEW_BOX[0]), list(VIEW_BOX[1])]}


def parse_view(z: str | None, ll: str | None) -> dict[str, str]:
    """{"z": ..., "ll": ...} when both are numbers (`NUMBER`) in range, else {} (a bad link is dropped)."""
    parts = (ll or "").split(",")
    if len(parts) != 2 or not all(NUMBER.fullmatch(v) for v in (z or "", *parts)):
        return {}
    zoom, lat, lng = float(z or ""), float(parts[0]), float(parts[1])
    (lat_lo, lat_hi), (lng_lo, lng_hi) = VIEW_BOX
    if not (VIEW_ZOOM[0] <= zoom <= VIEW_ZOOM[1] and lat_lo <= lat <= lat_hi and lng_lo <= lng <= lng_hi):
        return {}
    return {"z": f"{zoom:g}", "ll": f"{lat:.3f},{lng:.3f}"}
