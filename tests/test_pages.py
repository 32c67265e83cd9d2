"""Every page through streamlit.testing.v1.AppTest: renders, filters apply, KPIs present."""

from __future__ import annotations

import html
import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from fjchains.app import session
from fjchains.core import paths
from fjchains.geo import maps
from tests.appmap import first_map, payload_text

PAGES = ["pages/overview.py", "pages/explorer.py", "pages/chains.py", "pages/sources.py"]


def _app(first_paint: bool = False, **params) -> AppTest:
    """The dashboard's first run with these URL parameters. Unless `first_paint`, as for a
    session whose map has drawn: a session's first run of a map page otherwise sends only the
    map (fjchains/app/deferred.py)."""
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if not first_paint:  # the map has drawn and the charts have come
        at.session_state[session.MAP_DRAWN] = at.session_state[session.CHARTS_SHOWN] = True
    return at.run()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_without_exception(page, lang):
    at = _app(lang=lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_kpis_with_sources():
    at = _app()
    values = {m.label: m.value for m in at.metric}
    assert "第 3 位" in values.values()
    assert "11 个" in values.values()
    assert "680亿元" in values.values()
    assert "25 条" in values.values()
    assert values["产业链数"] == "8"
    assert values["点名县区"] == "35 / 84"
    assert all("福建省政府网" in m.help for m in at.metric[:4])


def _flatten(at) -> str:
    return "\n".join(str(e.value) for e in list(at.markdown) + list(at.caption) + list(at.text) + list(at.success) if e.value)


def test_explorer_filter_by_chain_lists_its_counties():
    at = _app(chain="integrated_circuits")
    at.switch_page("pages/explorer.py").run()
    text = _flatten(at)
    assert "符合条件的县（市、区）：4 个" in text
    listing = at.button_group(key="w_pick_county_explorer").options  # each name a button (issue 27)
    assert sorted(listing) == sorted(["海沧区", "湖里区", "翔安区", "晋江市"])


def test_category_filter_narrows_chains():
    at = _app(cat="emerging")
    at.switch_page("pages/explorer.py").run()
    # lithium battery (9) ∪ stainless steel (5), 福安 in both: 13 counties
    assert "符合条件的县（市、区）：13 个" in _flatten(at)


def test_sidebar_multiselect_applies_filter():
    at = _app()
    at.switch_page("pages/explorer.py").run()
    at.multiselect(key="w_chains").set_value(["stainless_steel"]).run()
    assert "符合条件的县（市、区）：5 个" in _flatten(at)
    assert at.query_params["chain"] == "stainless_steel"


def test_county_link_shows_detail_and_golden_card():
    at = _app(county="350902")
    text = _flatten(at)
    assert "### 蕉城区" in text
    assert "时代锂电池" in text
    assert "锂电新能源" in text


def test_unknown_link_values_warn_not_crash():
    at = _app(county="999999", chain="nonsense")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "999999" in warnings and "nonsense" in warnings


def test_search_resolves_old_name():
    at = _app()
    at.switch_page("pages/explorer.py").run()
    at.text_input(key="w_search").input("龙海市").run()
    assert "### 龙海区" in _flatten(at)
    assert at.query_params["county"] == "350604"


def test_search_unknown_and_ambiguous():
    at = _app(lang="en")
    at.text_input(key="w_search").input("Atlantis").run()
    assert any("Atlantis" in w.value for w in at.warning)
    at.text_input(key="w_search").input("Licheng").run()
    assert set(at.radio(key=session.W_SEARCH_PICK).options) >= {"Licheng District (Putian)", "Licheng District (Quanzhou)"}


def test_search_with_html_is_shown_as_text():
    at = _app()
    at.text_input(key="w_search").input("<img src=x onerror=alert(1)>").run()
    assert not at.exception
    assert any("<img src=x onerror=alert(1)>" in w.value for w in at.warning)


def test_english_labels():
    at = _app(lang="en", county="350582")
    text = _flatten(at)
    assert "### Jinjiang City" in text
    assert "Integrated circuits" in text


def test_map_component_arguments_are_offline_and_lean():
    at = _app(chain="food")
    at.switch_page("pages/explorer.py").run()
    args = first_map(at)
    assert "http" not in json.dumps(args["base"])  # no basemap asked for: nothing from the internet
    assert args["base"]["url"].startswith(f"{paths.STATIC_URL}/generated/counties-")
    assert args["payload"]["fill"]["350723"] != "#e6e6e6"  # 光泽 coloured by the food filter
    assert args["height"] == maps.MAP_HEIGHT


def test_data_page_has_downloads():
    at = _app()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["数据与来源"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 Excel", "下载 GeoJSON", "下载离线地图（HTML）",
                      "下载地图图片（PNG）", "下载地图图片（SVG）"]


def test_the_pages_follow_the_configured_boundary_file(monkeypatch, tmp_path):
    """The data is kept per boundary file: a server configured with its own file
    (FJCHAINS_BOUNDARIES) shows that file's map and names it, never the shipped one's data
    kept from before; without it, the shipped file again."""
    from fjchains.app import cached

    own = tmp_path / "approved_2024.geojson"
    own.write_bytes(paths.COUNTIES_GEOJSON.read_bytes())
    shipped = cached.load_data()
    monkeypatch.setenv(paths.BOUNDARIES_ENV, str(own))
    data = cached.load_data()
    assert data.custom_boundaries and data.boundary_source == own.name and shipped.boundary_source != own.name
    at = _app()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, at.exception
    assert own.name in " ".join(c.value for c in at.caption)  # the map names its boundary file
    monkeypatch.delenv(paths.BOUNDARIES_ENV)
    assert not cached.load_data().custom_boundaries


def test_filter_change_leaves_the_base_map_untouched():
    """Only the small restyle payload changes with a filter: the browser keeps its map."""
    at = _app()
    at.switch_page("pages/explorer.py").run()
    before = first_map(at)
    at.multiselect(key="w_chains").set_value(["integrated_circuits"]).run()
    after = first_map(at)
    assert before["base"] == after["base"]
    assert before["payload"] != after["payload"]
    assert len(json.dumps(after["payload"], ensure_ascii=False).encode()) < 10_000


def test_pillar_chain_profile_says_the_pillar_list_is_incomplete():
    at = _app(chain="new_display")
    at.switch_page("pages/chains.py").run()
    assert not at.exception
    text = _flatten(at)
    assert "### 新型显示" in text
    assert "支柱产业名单不完整" in text
    at = _app(chain="food")
    at.switch_page("pages/chains.py").run()
    assert "支柱产业名单不完整" not in _flatten(at)


# --- the list the map shows -------------------------------------------------------------

def test_sanming_list_from_the_url_drives_map_legend_detail_and_sources():
    at = _app(list="sanming_2023", county="350405")
    assert not at.exception
    assert at.selectbox(key="w_chain_list").value == "sanming_2023"
    text = _flatten(at)
    assert "三明市名单（2023）中的产业链" in text
    for chain in ("高端装备制造产业链", "硅及化工新材料产业链", "小吃食品加工产业链"):
        assert f"- **{chain}**" in text
    assert "《意见》点名的重点产业链" not in text  # the opinion's section is not mixed in
    assert "www.sm.gov.cn/zw/ztzl/qfwtdgzlfzcy/gzld/202311/t20231121_1977548.htm" in text  # the source shown
    assert "泰宁县竹制" in text  # what the stored copy lacks
    assert "不是同一分类" in text
    payload = payload_text(at)
    assert "三明市名单（2023）：各县区产业链数" in payload
    assert "3 条（2 个县区）" in payload


def test_choosing_a_list_in_the_sidebar_updates_the_url_and_back():
    at = _app()
    at.switch_page("pages/explorer.py").run()
    at.selectbox(key="w_chain_list").set_value("sanming_2023").run()
    assert at.query_params["list"] == "sanming_2023"
    assert "符合条件的县（市、区）：11 个" in _flatten(at)
    assert at.multiselect(key="w_chains").disabled
    at.selectbox(key="w_chain_list").set_value("").run()
    assert "list" not in at.query_params
    assert "符合条件的县（市、区）：35 个" in _flatten(at)


def test_unknown_list_in_the_url_warns():
    at = _app(list="fuzhou_2099")
    assert not at.exception
    assert any("fuzhou_2099" in w.value for w in at.warning)
    assert at.selectbox(key="w_chain_list").value == ""


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_the_sanming_list(page):
    at = _app(list="sanming_2023", lang="en", county="350429")
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_chains_page_keeps_the_opinion_even_with_a_list_chosen():
    """The chains page maps one of the opinion's chains: its notes and details stay the opinion's."""
    at = _app(list="sanming_2023", county="350404", chain="building_materials")
    at.switch_page("pages/chains.py").run()
    assert not at.exception
    text = _flatten(at)
    assert "《意见》点名的重点产业链" in text and "建材" in text
    assert "三明市名单（2023）中的产业链" not in text and "不是同一分类" not in text


def test_map_pages_offer_pictures_drawn_only_on_click(monkeypatch):
    from fjchains.render import picture

    drawn = []
    monkeypatch.setattr(picture, "render_map", lambda *a, **k: drawn.append(1) or b"")
    at = _app(chain="food")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载地图图片（PNG）", "下载地图图片（SVG）"]
    at.switch_page("pages/chains.py").run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert list(buttons) == ["下载地图图片（PNG）", "下载地图图片（SVG）", "下载全部地图（ZIP）",
                             "下载产业链共享县区矩阵（CSV）", "下载各产业链连片分布（CSV）"]  # the last two: spatial tables
    assert drawn == []  # nothing is drawn until a button is clicked


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/explorer.py", "pages/chains.py"])
def test_charts_wait_for_the_map_then_come_on_every_page(page):
    """Issue 10: no Plotly chart and no table before the session's map has drawn; their
    buttons (clicked by static/js/after-map.js: the table's at once, the charts' when near the
    screen or after a calm spell; or by hand) bring them, and from then on they come at once,
    on other pages too."""
    at = _app(first_paint=True)
    at.switch_page(page).run()
    assert not at.get("plotly_chart") and not at.dataframe
    waiting = {b.key: b.label for b in at.button if b.key.startswith(("show_now_", "show_seen_"))}
    assert waiting == {"show_now_table": "显示县区表格", f"show_seen_{page[6:-3]}": "显示图表"}
    at.button(key="show_now_table").click().run()  # the map has drawn
    assert at.dataframe and not at.get("plotly_chart")  # charts wait for the screen or a calm spell
    at.button(key=f"show_seen_{page[6:-3]}").click().run()
    assert at.get("plotly_chart") and at.dataframe
    at.switch_page("pages/chains.py" if page != "pages/chains.py" else "pages/overview.py").run()
    assert at.get("plotly_chart") and not [b for b in at.button if b.key.startswith(("show_now_", "show_seen_"))]


@pytest.mark.parametrize("page", ["overview", "explorer", "chains"])
def test_a_sessions_first_map_page_sends_the_map_alone_then_everything_once_it_has_drawn(page):
    """Issue 10: the first run of a session that opens a map page sends what sits above the map
    and the map; the sidebar holds only the release button (static/js/after-map.js clicks it
    once the map has drawn). One click brings the filters, the details and the table; the
    charts wait for their own button (near the screen or a calm spell)."""
    at = _app(first_paint=True, county="350582")
    if page != "overview":  # a deep link (AppTest cannot open one): as if this run were the session's first
        del at.session_state[session.HOLD_FOR_MAP]
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    assert first_map(at)["payload"]["sel"] == "350582"  # the map shows the county already
    assert [b.key for b in at.sidebar.button] == ["show_now_page"]
    assert at.sidebar.button[0].label == "显示筛选和详情"
    assert not at.multiselect and not at.selectbox and not at.get("plotly_chart") and not at.dataframe
    assert "晋江市" not in _flatten(at)  # no detail panel yet
    assert not at.metric  # the overview's headline figures: their room only (below)
    at.button(key="show_now_page").click().run()
    assert not at.exception
    assert at.multiselect(key="w_chains") and at.dataframe
    assert len(at.metric) == (6 if page == "overview" else 0)
    assert "### 晋江市" in _flatten(at)
    assert [b.key for b in at.button if b.key.startswith(("show_now_", "show_seen_"))] == [f"show_seen_{page}"]
    at.button(key=f"show_seen_{page}").click().run()
    assert at.get("plotly_chart")


def test_a_links_problems_stay_after_the_map_has_drawn():
    """A warning about the link (unknown county) is in the first run and in the release that
    replaces it a second later, then said no more."""
    at = _app(first_paint=True, county="999999")
    assert any("999999" in w.value for w in at.warning)
    at.button(key="show_now_page").click().run()
    assert any("999999" in w.value for w in at.warning)
    at.run()
    assert not any("999999" in w.value for w in at.warning)


def test_the_headline_figures_room_is_held_in_the_first_run_box_for_box():
    """Issue 10: the overview's first run sends, for each headline figure, an empty box of the
    figure's width and height, so the row wraps as it will and nothing moves when they come."""
    from fjchains.app.panels.overview import _metric_width
    from fjchains.core import layout

    at = _app(first_paint=True)
    row = next(b for b in at.main if getattr(b.proto, "id", "").endswith("kpi_row"))
    held = [(c.proto.width_config.pixel_width, c.proto.height_config.pixel_height) for c in row.children.values()]
    assert len(held) == 6 and not at.metric
    at.button(key="show_now_page").click().run()
    assert len(at.metric) == 6  # each drawn at the width and height of its box (overview.kpi_row)
    assert held == [(_metric_width(m.label, m.value), layout.METRIC_HEIGHT) for m in at.metric]


def test_data_page_lists_every_source_with_its_addresses_as_links():
    """Not a grid: there the titles were cut and the addresses sat off screen, as plain text."""
    from fjchains.data.tables import load_tables

    at = _app(lang="en")
    at.switch_page("pages/sources.py").run()
    text = "\n".join(m.value for m in at.markdown)
    shown = html.unescape(text).replace("\u2060", "")  # md_text's character references and word joiners
    for source in load_tables().sources.itertuples():
        assert source.title_en in shown
        for url in re.findall(r"https?://[^\s;]+", source.url):
            assert f"<{url}>" in text  # an autolink: the browser shows it as a link
        assert not source.file or source.file not in text  # never a repository path


def test_a_session_opening_a_page_without_a_map_sends_it_whole():
    at = _app(first_paint=True)
    del at.session_state[session.HOLD_FOR_MAP]  # as if the session had opened the data page first
    at.switch_page("pages/sources.py").run()
    assert not at.exception and at.multiselect(key="w_chains") and at.dataframe
    assert not [b for b in at.button if b.key == "show_now_page"]


def test_map_room_is_reserved_from_the_first_frame():
    """Issue 10: the map sits in a container of the map's height (the iframe arrives later and
    must not push the page down); the page CSS can hold no '<' (the sanitiser drops it)."""
    from fjchains.core import layout

    at = _app()
    slots = []

    def walk(node):
        for child in (node.children.values() if isinstance(node.children, dict) else node.children):
            proto = getattr(child, "proto", None)
            if proto is not None and "mapslot_" in getattr(proto, "id", ""):
                slots.append(proto.height_config.pixel_height)
            if hasattr(child, "children"):
                walk(child)

    walk(at.main)
    assert slots == [layout.MAP_HEIGHT]
    assert "<" not in (paths.STATIC_DIR / "css" / "app.css").read_text(encoding="utf-8")


def test_search_suggestions_name_counties_in_the_interface_language():
    at = _app()
    at.text_input(key="w_search").set_value("gulangyu").run()
    hint = next(c.value for c in at.caption if "您是否要找" in c.value)
    assert not re.search("[A-Za-z]", hint), hint  # "Gulou District" was shown to a Chinese reader


def test_picture_size_and_outline_are_chosen_beside_the_buttons(monkeypatch):
    """Issue 27: a 16:9 landscape size beside the portrait one, and the selected county's
    outline a choice; both reach the drawing (and its file name)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    from fjchains.render import picture

    deferred: dict[str, tuple] = {}
    add = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = add(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        deferred[file_id] = (file_name, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    drawn: list[dict] = []
    monkeypatch.setattr(picture, "render_map", lambda *a, **k: drawn.append(k) or b"")
    picture.JOBS.cache.clear()
    at = _app(chain="food", county="350582", lang="en")
    assert at.radio(key="w_picture_size_overview").value == "portrait"
    assert at.radio(key="w_picture_size_overview").options == ["Portrait, 2500 × 2900 (reports)",
                                                      "Landscape 16:9, 1920 × 1080 (slides)"]
    assert at.checkbox(key="w_picture_outline_overview").value is True
    at.radio(key="w_picture_size_overview").set_value("landscape").run()
    at.checkbox(key="w_picture_outline_overview").uncheck().run()
    assert not at.exception
    png = next(b.proto for b in at.get("download_button") if b.proto.label == "Map picture (PNG, 16:9)")
    name, draw = deferred[png.deferred_file_id]
    assert name == "fujian_chains_food_2024_16x9.png"
    draw()
    assert drawn and drawn[-1]["size"] == "landscape" and drawn[-1]["outline"] is False
    at.switch_page("pages/chains.py").run()  # the choice follows the user to another page, and back
    assert at.radio(key="w_picture_size_chains").value == "landscape"
    assert at.checkbox(key="w_picture_outline_chains").value is False
    at.radio(key="w_picture_size_chains").set_value("portrait").run()
    at.switch_page("pages/overview.py").run()
    assert at.radio(key="w_picture_size_overview").value == "portrait"
