"""Issue 23.1: user text never reaches a template's source.

A file name, a header, a cell, a category value and a URL parameter each carry Jinja
payloads; every export (offline HTML, PNG/SVG, CSV, Excel, GeoJSON) and the page must show
them literally, and nothing may evaluate. Each payload computes a marker that appears in no
input ("Z" * 3 + "QQ" -> "ZZZQQ"), so a marker in any output means a template ran it.
"""

from __future__ import annotations

import ast
import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from fjchains.core import paths
from fjchains.geo import maps
from fjchains.geo.colouring import Filters
from fjchains.render import export
from fjchains.render.captions import map_title, upload_view
from fjchains.upload.userdata import load_user_file, with_user_columns

# one marker per channel: which one evaluated tells where
FILE_NAME = "{{'F'*3~'QQ'}}{%set o=1%}{{l}}img.csv"
HEADER = "{{'H'*3~'QQ'}} GDP {% if 1 %}x{% endif %}"
CELL = "{{'C'*3~'QQ'}}"
CATEGORY = "{%raw%}{{'K'*3~'QQ'}}"
MARKERS = ("FFFQQ", "HHHQQ", "CCCQQ", "KKKQQ", "UUUQQ")
TEMPLATE_CALLS = {"Element", "Template", "MacroElement", "Html", "Popup", "Tooltip", "IFrame",
                  "from_string", "JavascriptLink", "CssLink"}


def _hostile_csv(tables) -> bytes:
    lines = [f"区县,\"{HEADER}\",类别,说明"]
    for i, row in enumerate(tables.counties.itertuples()):
        lines.append(f"{row.name_zh},{100 + i},{CATEGORY if i % 2 else '锂电'},{CELL}")
    lines.append(f"\"{CELL}\",5,{CATEGORY},x")
    return "\n".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def hostile(tables, aliases):
    return load_user_file(FILE_NAME, _hostile_csv(tables), aliases, tables.counties)


def _evaluated(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def test_no_template_is_built_from_a_formatted_string():
    """Templates (branca, folium, Jinja) get literal sources only: f-strings, + and .format
    in their first argument are how user text became code (issue 23)."""
    found = []
    for path in sorted((paths.ROOT / "fjchains").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in TEMPLATE_CALLS and not isinstance(node.args[0], ast.Constant):
                found.append(f"{path.relative_to(paths.ROOT)}:{node.lineno} {name}(…)")
    assert found == []


def test_the_scan_finds_a_planted_template():
    planted = ast.parse("Element(f'<b>{title}</b>')")
    call = planted.body[0].value  # type: ignore[attr-defined]
    assert call.func.id in TEMPLATE_CALLS and not isinstance(call.args[0], ast.Constant)


def test_offline_map_shows_every_payload_literally(layer, tables, hostile):
    from tests.test_maps import _payload  # the map's payload as the page builds it

    settings = {"column": hostile.numeric_columns[0], "scheme": "quantiles", "k": 5, "breaks": None}
    title = map_title(tables.chains, Filters(), "en", upload_view(hostile, settings))
    payload = _payload(layer, tables, Filters())
    payload["legend"]["title"] = HEADER
    payload["tips"] = {"350582": [CELL, CATEGORY, "{{"]}
    html = maps.standalone_html('{"type":"Topology","objects":{},"arcs":[]}', payload, "en", title,
                                note="{{'U'*3~'QQ'}} {{", tips={"350102": [HEADER]})
    assert _evaluated(html) == []
    assert "{{&#x27;F&#x27;*3~&#x27;QQ&#x27;}}" in html  # the file name, escaped as text in the title bar
    assert "{%raw%}{{'K'*3~'QQ'}}" in html and "{{'C'*3~'QQ'}}" in html  # cells, as JSON data


def test_table_exports_keep_payloads_as_text(layer, tables, hostile):
    table = with_user_columns(export.county_records(layer, tables, "zh"), hostile)
    csv = export.to_csv_bytes(table).decode("utf-8-sig")
    geojson = export.to_geojson_bytes(layer, table).decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(table, notes=[FILE_NAME, HEADER])))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    for text in (csv, cells):
        assert _evaluated(text) == []
        assert CELL in text and CATEGORY in text and HEADER in text
    assert _evaluated(geojson) == []
    assert HEADER.replace('"', '\\"') in geojson


@pytest.mark.parametrize("fmt", ["svg"])
def test_pictures_draw_payloads_as_text(layer, tables, hostile, fmt):
    from fjchains.render import picture

    settings = {"column": hostile.numeric_columns[0], "scheme": "quantiles", "k": 5, "breaks": None,
                "palette": "YlGnBu"}
    svg = picture.upload_picture(layer, tables, hostile, settings, Filters(), "en", fmt, font_fallbacks=False)
    assert svg.startswith(b"<?xml")  # drawn, not refused (text is drawn as paths: nothing to read back)


def test_the_upload_page_and_its_downloads_survive_every_payload(hostile, monkeypatch):
    built: list[str] = []

    def recorded(*args, **kwargs) -> str:
        built.append(standalone_html(*args, **kwargs))
        return built[-1]

    standalone_html = maps.standalone_html
    monkeypatch.setattr(maps, "standalone_html", recorded)  # AppTest runs the page in this process
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["chain"] = "{{'U'*3~'QQ'}}"
    at.run()
    at.session_state["userdata"] = hostile
    at = at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "success", "warning", "error", "info")
                     for e in getattr(at, kind))
    assert _evaluated(shown) == []
    assert "Sorry" not in shown and "failed" not in shown.lower()
    assert "{{" in shown  # the payloads are on screen, as text
    assert built and all(_evaluated(html) == [] for html in built)  # the page's offline map
    assert any("{{&#x27;F&#x27;*3~&#x27;QQ&#x27;}}" in html for html in built)
