"""Map building without a browser: offline assets, constant base, lean payloads, escaping."""

from __future__ import annotations

import json
import re

import pytest
import shapely

from fjchains.core import paths
from fjchains.geo import maps
from fjchains.geo.colouring import Filters, colour_counties
from fjchains.geo.webgeo import publish, web_topojson

# Budgets guarding the structural wins (sizes, not timings).
TOPOJSON_BUDGET = 100_000  # bytes of county + prefecture geometry, sent once
BASE_SCRIPT_BUDGET = 15_000  # the constant map script: no geometry inside
PAYLOAD_BUDGET = 25_000  # what a click or a filter change sends


@pytest.fixture(scope="module")
def topo(layer):
    return web_topojson(layer)


def _payload(layer, tables, filters, lang="zh"):
    return maps.style_payload(layer, tables.chains, colour_counties(layer, tables.chains, filters, lang), filters, lang)


def _map(*args, **kwargs):
    """maps.base_map and the slots its data go through."""
    slots = maps.DataSlots()
    return maps.base_map(slots, *args, **kwargs), slots


def _rendered_script(made) -> str:
    m, slots = made
    m.get_root().render()
    return slots.fill(m.get_root().script.render())


def test_topojson_is_lean_and_complete(topo):
    doc = json.loads(topo)
    assert len(topo.encode()) < TOPOJSON_BUDGET
    assert len(doc["objects"]["counties"]["geometries"]) == 84
    assert len(doc["objects"]["prefectures"]["geometries"]) == 9
    codes = {g["properties"]["adcode"] for g in doc["objects"]["counties"]["geometries"]}
    assert len(codes) == 84


def test_simplified_counties_still_tile(layer):
    from fjchains.geo.webgeo import simplified

    geoms = simplified(layer).to_crs(3857)
    assert geoms.is_valid.all()
    union = shapely.union_all(geoms.geometry.values)
    assert geoms.area.sum() == pytest.approx(union.area, rel=1e-6)  # neighbours meet, no overlaps


def test_base_map_loads_only_local_assets():
    m, slots = _map("/app/static/generated/counties-x.json")
    html = slots.fill(m.get_root().render())
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [maps.MAP_LIBS_JS, *maps.APP_JS]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [maps.LEAFLET_CSS, maps.GESTURE_CSS,
                                                                                 maps.MAP_CSS]
    for url in scripts + [maps.MAP_CSS]:  # every one is a file the static folder serves
        assert (paths.STATIC_DIR / url.removeprefix(f"{paths.STATIC_URL}/")).is_file(), url
    assert "cdn" not in html.lower()
    assert len(_rendered_script(_map("/app/static/generated/counties-x.json"))) < BASE_SCRIPT_BUDGET


def test_map_frame_loads_only_local_assets_in_the_order_the_map_code_needs():
    """static/map-frame/index.html: the frame's protocol first (it asks for the page's arguments
    while the rest loads), then Leaflet, then our map code."""
    frame = paths.STATIC_DIR / "map-frame"
    html = (frame / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["frame.js", maps.MAP_LIBS_JS, *maps.APP_JS]
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert styles == [maps.LEAFLET_CSS, maps.GESTURE_CSS, maps.MAP_CSS, "frame.css"]
    for url in scripts + styles:
        local = frame / url if "/" not in url else paths.STATIC_DIR / url.removeprefix(f"{paths.STATIC_URL}/")
        assert local.is_file(), url
    assert "http" not in html  # no CDN


def test_frame_base_has_texts_points_and_tiles_only_when_asked(layer, tables):
    tips = maps.tooltips(layer, tables.chains, "en")
    base = maps.frame_base("/x.json", "en", tips=tips, points=maps.inner_points(layer))
    assert base["url"] == "/x.json" and base["bounds"] == maps.FUJIAN_BOUNDS
    assert base["msgs"]["reset"] == "Back to the whole province" and len(base["points"]) == 84
    assert base["tips"]["350582"][0] == "Jinjiang City"
    assert "tiles" not in base
    assert maps.frame_base("/x.json", "en", basemap=True)["tiles"]["url"] == maps.OSM_TILES


def test_payload_is_small_and_changes_with_filter(layer, tables):
    a = _payload(layer, tables, Filters())
    b = _payload(layer, tables, Filters(chains=("integrated_circuits",), county="350582"))
    assert len(json.dumps(b, ensure_ascii=False).encode()) < PAYLOAD_BUDGET
    assert a["fill"] != b["fill"] and b["sel"] == "350582"
    assert {k for k, v in b["fill"].items() if v != "#e6e6e6"} == {"350205", "350206", "350213", "350582"}


def test_tooltips_are_text_lines(layer, tables):
    tips = maps.tooltips(layer, tables.chains, "zh")
    assert tips["350582"][:3] == ["晋江市", "泉州市", "现代纺织服装 · 集成电路 · 食品"]
    assert tips["350902"][-1] == "县域“金名片”：时代锂电池"
    assert "tips" not in _payload(layer, tables, Filters())  # they travel once, with the base map
    script = _rendered_script(_map("/x.json", tips=tips))
    assert '"350582":["晋江市","泉州市","现代纺织服装 · 集成电路 · 食品"]' in script
    # that they are drawn as text is a browser test: tests/e2e/test_upload.py (hostile names)


def test_payload_cannot_break_out_of_script(layer, tables):
    p = _payload(layer, tables, Filters())
    p["legend"]["title"] = "</script><script>alert(1)</script>"
    script = _rendered_script_of_payload(p)
    assert "</script>" not in script and "<script>" not in script
    tips = _rendered_script(_map("/x.json", tips={"350582": ["<img src=x onerror=alert(1)>"]}))
    assert "<img" not in tips


def _rendered_script_of_payload(payload: dict) -> str:
    """The script a downloaded map restyles with (maps.StylePayload)."""
    m, slots = _map("/x.json")
    m.add_child(maps.StylePayload(payload, slots))
    return _rendered_script((m, slots)).split("fjchains.apply(", 1)[-1]


def test_standalone_html_is_self_contained(layer, tables, topo):
    html = maps.standalone_html(topo, _payload(layer, tables, Filters(county="350582")), "zh", "t<i>tle")
    assert "<script src=" not in html and '<link rel="stylesheet" href=' not in html
    assert "Leaflet 1.9.4" in html
    assert "<title>t&lt;i&gt;tle</title>" in html and "<b>t&lt;i&gt;tle</b>" in html and "t<i>tle" not in html
    assert len(re.findall(r"https?://(?!leafletjs\.com|www\.w3\.org|github\.com|bugs\.|bugzilla\.)", html)) == 0


def test_publish_writes_once_by_content(tmp_path, topo):
    url = publish(topo, tmp_path)
    files = list((tmp_path / "generated").iterdir())
    assert url == f"{paths.STATIC_URL}/generated/{files[0].name}" and len(files) == 1
    assert publish(topo, tmp_path) == url
    assert json.loads(files[0].read_text())["type"] == "Topology"


def test_simplification_moves_borders_by_under_a_kilometre(layer):
    from fjchains.geo.webgeo import simplified

    simple = simplified(layer)
    for full, light in zip(layer.geometry, simple.geometry):
        assert full.hausdorff_distance(light) < 0.01  # degrees, ~1 km
