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


# ---------------------------------------------------------------- issue 27: titles wrap, two sizes, outline a choice

LONG_TITLE_CSV = ("county,2023 GDP (100m yuan)\n" + "\n".join(
    f"{n},{1000 + 37 * i}" for i, n in enumerate(["Jinjiang", "Fuqing", "Nan'an", "Longhai", "Changle", "Shishi",
                                                 "Hui'an", "Quangang", "Xiapu", "Shouning"]))).encode()
FOUR_CHAINS = Filters(chains=("textile_apparel", "food", "lithium_battery", "integrated_circuits"), county=JINJIANG)


@pytest.fixture(scope="module")
def long_title_upload(aliases, tables):
    return load_user_file("fujian_gdp_2023.csv", LONG_TITLE_CSV, aliases, tables.counties)


def _long_title_figure(layer, tables, data, lang, size):
    """The figure render_map saves for the long title of issue 27 (drawn, not saved)."""
    from fjchains.upload.userdata import choropleth

    settings = {**SETTINGS, "column": "2023 GDP (100m yuan)", "scheme": "natural_breaks"}
    colouring, result, faded = choropleth(layer, tables.chains, data, settings["column"], FOUR_CHAINS, lang,
                                          "natural_breaks", 5)
    title = map_title(tables.chains, FOUR_CHAINS, lang, picture.upload_view(data, settings, result))
    family = fonts.register()[:1]
    with picture._drawing(family):
        fig = picture._map_figure(layer, colouring, title=title, lang=lang, family=family, faded=faded,
                                  notes=picture._notes(tables, FOUR_CHAINS.chains, lang, None, today=TODAY),
                                  subtitle="x", selected=JINJIANG, size=picture.SIZES[size])
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in [*fig.texts, *ax.texts] if t.get_text()]
        boxes.append(("legend", ax.get_legend().get_window_extent(renderer)))
        frame = fig.bbox
        fig.clear()
    return title, boxes, frame


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_long_title_wraps_and_no_text_leaves_the_picture(layer, tables, long_title_upload, lang, size):
    title, boxes, frame = _long_title_figure(layer, tables, long_title_upload, lang, size)
    assert "2023 GDP (100m yuan)" in title and len(title) > 80
    drawn_title = next(text for text, _ in boxes if text.replace("\n", "").replace(" ", "") == title.replace(" ", ""))
    assert "\n" in drawn_title  # wrapped, never cut
    outside = [(text[:40], box) for text, box in boxes
               if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5 or box.y0 < frame.y0 - 0.5
               or box.y1 > frame.y1 + 0.5]
    assert outside == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["portrait", "landscape"])
def test_long_title_png_keeps_its_margin_clear(layer, tables, long_title_upload, lang, size):
    """Before issue 27 the English title ran off the right edge of the 2500 px PNG."""
    settings = {**SETTINGS, "column": "2023 GDP (100m yuan)", "scheme": "natural_breaks"}
    png = picture.upload_picture(layer, tables, long_title_upload, settings, FOUR_CHAINS, lang, "png", size=size,
                                 today=TODAY, font_fallbacks=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"picture_long_title_{lang}_{size}.png").write_bytes(png)
    image = Image.open(io.BytesIO(png))
    assert image.size == ((2500, 2900) if size == "portrait" else (1920, 1080))
    grey = np.asarray(image.convert("L"))
    margin = round(0.25 * picture.SIZES[size].dpi)  # the page's text margin is 0.4 in
    assert (grey[:, -margin:] > 250).all() and (grey[:, :margin] > 250).all()


def test_landscape_svg_is_16_by_9(layer, tables):
    root = ET.fromstring(picture.chain_picture(layer, tables, FOOD, "en", "svg", size="landscape", today=TODAY))
    width, height = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert abs(width / height - 16 / 9) < 1e-6 and width == pytest.approx(12.8 * 72)


def test_outline_is_a_choice(layer, tables):
    def grey(filters, **kwargs):
        return np.asarray(Image.open(io.BytesIO(picture.chain_picture(layer, tables, filters, "zh", today=TODAY,
                                                                      **kwargs))).convert("L"))

    plain = grey(FOOD)
    assert (grey(Filters(chains=("food",), county=JINJIANG), outline=False) == plain).all()
    assert (grey(Filters(chains=("food",), county=JINJIANG)) < 30).sum() > (plain < 30).sum() + 2000


def test_size_and_outline_are_part_of_the_picture_key(layer, tables, uploaded):
    selected = Filters(chains=("food",), county=JINJIANG)
    keys = {picture.chain_order(layer, tables, selected, "zh", size=size, outline=outline, today=TODAY).key
            for size in picture.SIZES for outline in (True, False)}
    assert len(keys) == 4
    keys = {picture.upload_order(layer, tables, uploaded, SETTINGS, selected, "zh", size=size, outline=outline,
                                 today=TODAY).key for size in picture.SIZES for outline in (True, False)}
    assert len(keys) == 4
    with pytest.raises(ValueError):
        picture.chain_order(layer, tables, FOOD, "zh", size="square")


def test_picture_file_names_tell_the_sizes_apart():
    assert picture_filename(FOOD, "png", size="landscape") == "fujian_chains_food_2024_16x9.png"
    assert picture_filename(FOOD, "png", size="portrait") == "fujian_chains_food_2024.png"


def test_wrap_text_measures_and_keeps_punctuation_with_its_word():
    from fjchains.render.captions import wrap_text

    assert wrap_text("Fujian counties · 2023 GDP (100m yuan)", 15) == ["Fujian counties", "· 2023 GDP", "(100m yuan)"]
    lines = wrap_text("福建县域 · 地区生产总值（县域数据.csv）· 自然断点，5级", 20)
    assert all(not line.startswith(("，", "）", "·")) for line in lines)
    assert "".join(lines).replace(" ", "") == "福建县域·地区生产总值（县域数据.csv）·自然断点，5级"
    assert wrap_text("a" * 30, 10) == ["a" * 30]  # one word wider than the line: never cut
    assert wrap_text("ab cd", 3, measure=lambda s: 10 * len(s)) == ["ab", "cd"]


def test_no_data_is_white_with_hatching_apart_from_every_class(layer, tables, uploaded):
    """Issue 27: "no data" was a solid grey, near the light greys of other meanings; in a
    picture it is white with grey hatching (counties and legend swatch)."""
    from fjchains.upload.classify import MISSING_COLOR

    png = picture.upload_picture(layer, tables, uploaded, SETTINGS, Filters(), "en", today=TODAY)
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    grey = tuple(int(MISSING_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    assert int((rgb == grey).all(axis=2).sum()) < 5_000  # 74 counties of it before: over a million pixels
    assert picture.NO_DATA_LINES in colours_in(Image.open(io.BytesIO(png)))
