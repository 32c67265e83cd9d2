"""Where the shipped files live; one place so scripts, tests and pages agree."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
GEO_DIR = ROOT / "geo"
STATIC_DIR = ROOT / "static"
COUNTIES_GEOJSON = GEO_DIR / "fujian_counties.geojson"
PREFECTURES_GEOJSON = GEO_DIR / "fujian_prefectures.geojson"

#: The static folder as the map sees it. Relative on purpose: the map runs inside its own
#: iframe (static/map-frame/), served at
#: <baseUrlPath>/component/fjchains.app.map_frame.county_map/index.html, so ../../app/static/
#: is the app's static route with or without `server.baseUrlPath` (behind the proxy at /fujian/, docs/DEPLOY.md).
STATIC_URL = "../../app/static"

#: Environment variable naming another county boundary file (GeoJSON with adcodes),
#: e.g. an officially approved map with a 审图号.
BOUNDARIES_ENV = "FJCHAINS_BOUNDARIES"


def boundaries_path() -> Path:
    """The county boundary file in use: the configured one, else the shipped one."""
    configured = os.environ.get(BOUNDARIES_ENV, "").strip()
    return Path(configured).expanduser() if configured else COUNTIES_GEOJSON
