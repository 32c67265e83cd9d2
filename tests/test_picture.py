"""Map pictures: they open, are big enough, show the web map's colours, name what they show,
and every character is drawn from the shipped font (no missing glyph)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fjchains.core import paths
from fjchains.core.i18n import CATALOGUES
from fjchains.geo.colouring import CHAIN_COLOURS, COUNT_COLOURS, Filters, colour_counties
from fjchains.render import fonts, picture
from fjchains.render.captions import UploadView, class_legend, map_title, picture_filename, source_text
from fjchains.upload.userdata import load_user_file

ARTIFACTS = Path(__file__).parent / "artifacts"
TODAY = dt.date(2026, 11, 28)
FOOD = Filters(chains=("food",))
JINJIANG = "350582"
UPLOAD_CSV = """区县,GDP（元）,企业数
晋江市,3207.4亿,2345
福清市,1626亿,1200
南安市,1530亿,980
龙海区,1235亿,860
长乐区,1300亿,1024
石狮市,1055亿,700
惠安县,1398亿,650
泉港区,706亿,300
霞浦县,407亿,210
寿宁县,4500万,35
""".encode()
SETTINGS = {"column": "GDP（元）", "scheme": "quantiles", "k": 5, "breaks": None, "palette": "YlGnBu"}


@pytest.fixture(scope="module")
def uploaded(aliases, tables):
    return load_user_file("县域GDP.csv", UPLOAD_CSV, aliases, tables.counties)


def drawn(render):
    """Run a render and return (bytes, missing-glyph messages, font-manager complaints)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.INFO)
    logger = logging.getLogger("matplotlib.font_manager")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = render()
    finally:
        logger.removeHandler(handler)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    complaints = [r.getMessage() for r in records if "findfont" in r.getMessage() or "not found" in r.getMessage()]
    return data, missing, complaints


def render_view(view, lang, fmt, layer, tables, uploaded):
    if view == "upload":
        return picture.upload_picture(layer, tables, uploaded, SETTINGS, Filters(county=JINJIANG), lang, fmt,
                                      today=TODAY, font_fallbacks=False)
    filters = FOOD if view == "food" else Filters()
    return picture.chain_picture(layer, tables, filters, lang, fmt, today=TODAY, font_fallbacks=False)


def colours_in(image: Image.Image) -> set[str]:
    rgb = np.asarray(image.convert("RGB")).reshape(-1, 3).astype(np.uint32)
    packed = np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2])
    return {f"#{int(p):06x}" for p in packed}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["all", "food", "upload"])
def test_png_opens_is_large_and_has_every_glyph(view, lang, layer, tables, uploaded):
    data, missing, complaints = drawn(lambda: render_view(view, lang, "png", layer, tables, uploaded))
    assert missing == [], missing
    assert complaints == [], complaints
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"picture_{view}_{lang}.png").write_bytes(data)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    assert image.width >= 2400 and image.height >= 2400
    present = colours_in(image)
    if view == "all":  # the web map's count colours are in the picture
        assert set(COUNT_COLOURS[1:]) <= present
    elif view == "food":
        food = CHAIN_COLOURS[list(tables.chains["chain_id"]).index("food")].lower()
        assert food in present
        assert not set(COUNT_COLOURS[2:]) & present  # no count colours on a chain map
    else:
        assert "#253494" in present  # YlGnBu's darkest class: 晋江's value


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["all", "food", "upload"])
def test_svg_parses_with_text_as_paths(view, lang, layer, tables, uploaded):
    data, missing, _ = drawn(lambda: render_view(view, lang, "svg", layer, tables, uploaded))
    assert missing == [], missing
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"picture_{view}_{lang}.svg").write_bytes(data)
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert float(root.get("width").removesuffix("pt")) >= 700  # 10 in
    assert b"<text" not in data  # glyphs are paths: the SVG needs no font to show Chinese
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 84


def test_missing_glyph_check_can_fail(layer, tables):
    colouring = colour_counties(layer, tables.chains, Filters(), "zh")
    rare = "\U0002A6A5"  # a CJK Extension B character, outside the subset
    assert fonts.missing(rare) == [rare]
    _, missing, _ = drawn(lambda: picture.render_map(layer, colouring, title=f"测试{rare}", lang="zh", notes=[],
                                                     font_fallbacks=False))
    assert missing and "173733" in missing[0]


def test_font_covers_all_data_and_interface_text():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(paths.DATA_DIR.glob("*.csv")))
    text += "".join(value for catalogue in CATALOGUES.values() for value in catalogue.values())
    assert fonts.missing(text) == [], "run `make font` after adding text (scripts/vendor_font.sh)"


def test_font_is_shipped_small_with_its_licence():
    assert fonts.FONT_PATH.stat().st_size < 2 * 1024 * 1024
    licence = (fonts.FONT_PATH.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert fonts.register()[0] == fonts.FAMILY


def test_selected_county_is_outlined(layer, tables):
    def dark(filters):
        image = Image.open(io.BytesIO(picture.chain_picture(layer, tables, filters, "zh", today=TODAY)))
        return int((np.asarray(image.convert("L")) < 30).sum())

    assert dark(Filters(chains=("food",), county=JINJIANG)) > dark(FOOD) + 2000


def test_scale_is_true_in_the_picture_projection():
    from pyproj import Geod, Transformer

    to_map = Transformer.from_crs("EPSG:4326", picture.PICTURE_CRS, always_xy=True)
    fuzhou, xiamen = (119.30, 26.08), (118.09, 24.48)
    (x1, y1), (x2, y2) = to_map.transform(*fuzhou), to_map.transform(*xiamen)
    on_map = float(np.hypot(x2 - x1, y2 - y1))
    true = Geod(ellps="WGS84").inv(*fuzhou, *xiamen)[2]
    assert abs(on_map / true - 1) < 0.005


@pytest.mark.parametrize(("filters", "upload", "lang", "expected"), [
    (Filters(), None, None, "fujian_chains_all_2024.png"),
    (FOOD, None, None, "fujian_chains_food_2024.png"),
    (Filters(chains=("food", "lithium_battery")), None, "en", "fujian_chains_food-lithium_battery_2024_en.png"),
    (Filters(categories=("emerging",)), None, None, "fujian_chains_cat-emerging_2024.png"),
    (Filters(), UploadView("x.csv", "GDP（亿元）", "quantiles", 5), None, "fujian_GDP_亿元_quantiles5.png"),
    (FOOD, UploadView("x.csv", "GDP", "natural_breaks", 4), None, "fujian_GDP_natural_breaks4_food.png"),
])
def test_picture_filename_says_what_is_shown(filters, upload, lang, expected):
    assert picture_filename(filters, "png", upload, lang) == expected


def test_picture_filename_of_a_hostile_column_is_safe():
    name = picture_filename(Filters(), "svg", UploadView("a", "../../etc/passwd\x00<script>" + "x" * 200, "quantiles", 3))
    assert re.fullmatch(r"fujian_[\w-]+\.svg", name) and "/" not in name and ".." not in name
    assert len(name) < 80


def test_map_title_names_the_filter(tables):
    chains = tables.chains
    assert "点名的产业链数" in map_title(chains, Filters(), "zh")
    assert map_title(chains, FOOD, "zh") == "福建县域重点产业链 · 食品（2024年）"
    assert map_title(chains, FOOD, "en") == "Fujian county key industry chains · Food (2024)"
    both = map_title(chains, Filters(chains=("food", "lithium_battery")), "zh")
    assert "食品、锂电新能源" in both
    assert "新兴产业" in map_title(chains, Filters(categories=("emerging",)), "zh")
    assert "Emerging" in map_title(chains, Filters(categories=("emerging",)), "en")
    upload = UploadView("县域GDP.csv", "GDP（元）", "natural_breaks", 4)
    title = map_title(chains, FOOD, "zh", upload)
    assert "GDP（元）" in title and "县域GDP.csv" in title and "自然断点" in title and "4级" in title and "食品" in title
    assert "Natural breaks, 4 classes" in map_title(chains, Filters(), "en", upload)


def test_offline_html_title_is_the_map_title(layer, tables):
    from fjchains.geo import maps
    from fjchains.geo.webgeo import web_topojson

    title = map_title(tables.chains, FOOD, "zh")
    colouring = colour_counties(layer, tables.chains, FOOD, "zh")
    payload = maps.style_payload(layer, tables.chains, colouring, FOOD, "zh")
    html = maps.standalone_html(web_topojson(layer), payload, "zh", title)
    assert f"<title>{title}</title>" in html


def test_choropleth_legend_uses_chinese_units(layer, tables, uploaded):
    from fjchains.upload.userdata import choropleth

    colouring, result, _ = choropleth(layer, tables.chains, uploaded, SETTINGS["column"], Filters(), "zh")
    legend = class_legend(uploaded.column(SETTINGS["column"], layer["adcode"]), result.bins,
                                  colouring.legend, "zh")
    labels = [label for label, _ in legend]
    assert any("亿" in label for label in labels) and not any(re.search(r"\d[BMk]\b", label) for label in labels)
    assert [c for _, c in legend] == [c for _, c in colouring.legend]


def test_picture_zip_has_one_named_picture_per_chain(layer, tables):
    archive = zipfile.ZipFile(io.BytesIO(picture.picture_zip(layer, tables, "en", today=TODAY)))
    names = archive.namelist()
    assert names == [f"fujian_chains_{c}_2024.png" for c in tables.chains["chain_id"]]
    for name in names[:2]:
        assert Image.open(io.BytesIO(archive.read(name))).width >= 2400


def test_source_line_cites_the_sources_of_the_chains_shown(tables):
    zh = source_text(tables, ["food"], "zh", today=TODAY)
    assert zh.startswith("来源：《我省出台意见推进县域重点产业链高质量发展》（2024-07-29）") and "2026-11-28" in zh
    assert "闽政办" not in zh  # food's counties come from the portal article only
    en = source_text(tables, ["new_display"], "en", UploadView("f.csv", "c", "quantiles", 5), TODAY)
    assert source_text(tables, [], "zh", UploadView("f.csv", "c", "quantiles", 5), TODAY).startswith(
        "数据：用户上传的文件“f.csv”。")
    assert "Min Zheng Ban [2024] No. 25" in en and "http://kyfz.org.cn/show-36009.html" in en and "f.csv" in en


def test_hostile_column_and_file_names_are_drawn_as_text(layer, tables, aliases):
    column = "GDP $\\frac{1}{0$ <b>x</b>\u202e" + "长" * 80
    content = f"区县,{column}\n晋江市,1\n福清市,2\n南安市,3\n".encode()
    data = load_user_file("$evil$\n../x.csv", content, aliases, tables.counties)
    settings = {**SETTINGS, "column": data.numeric_columns[0]}
    png, missing, _ = drawn(lambda: picture.upload_picture(layer, tables, data, settings, Filters(), "zh", "png",
                                                           today=TODAY, font_fallbacks=False))
    assert Image.open(io.BytesIO(png)).width >= 2400
    assert missing == [], missing
    title = map_title(tables.chains, Filters(), "zh", picture.upload_view(data, settings))
    assert "\u202e" not in title and "\n" not in title and len(title) < 140


def test_custom_boundaries_draw_their_own_prefectures_and_note(layer, tables):
    svg = picture.chain_picture(layer, tables, FOOD, "en", "svg", custom_boundaries=True,
                                boundary_note="Boundaries: custom file approved.geojson", today=TODAY)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert len(picture._prefectures(layer, True)) == 9  # the union of the counties, per prefecture
