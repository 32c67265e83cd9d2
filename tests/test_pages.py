"""Every page through streamlit.testing.v1.AppTest: renders, filters apply, KPIs present."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from fjchains import paths

PAGES = ["pages/overview.py", "pages/explorer.py", "pages/chains.py", "pages/data_sources.py"]


def _app(**params) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _map_args(at) -> dict:
    """json_args of the streamlit-folium component (an UnknownElement to AppTest)."""
    for element in at.get("component_instance"):
        if element.proto.json_args:
            return json.loads(element.proto.json_args)
    raise AssertionError("no map component on the page")


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
    assert "680 亿元" in values.values()
    assert "25 条" in values.values()
    assert values["重点产业链"] == "8"
    assert values["被点名的县区"] == "35 / 84"
    assert all("福建省政府网" in m.help for m in at.metric[:4])


def _flatten(at) -> str:
    return "\n".join(str(e.value) for e in list(at.markdown) + list(at.caption) + list(at.text) + list(at.success) if e.value)


def test_explorer_filter_by_chain_lists_its_counties():
    at = _app(chain="integrated_circuits")
    at.switch_page("pages/explorer.py").run()
    text = _flatten(at)
    assert "符合条件的县（市、区）：4 个" in text
    listing = [m.value for m in at.markdown if "海沧区" in m.value][0]
    assert sorted(listing.split("、")) == sorted(["海沧区", "湖里区", "翔安区", "晋江市"])


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
    assert len(at.radio) == 1 and set(at.radio[0].options) >= {"Licheng District (Putian)", "Licheng District (Quanzhou)"}


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
    args = _map_args(at)
    assert args["js_links"] == [f"{paths.STATIC_URL}/vendor/map-libs.js"]
    assert args["css_links"] == [f"{paths.STATIC_URL}/vendor/leaflet/leaflet.css"]
    assert "http" not in args["script"]
    assert args["returned_objects"] == ["last_clicked"]
    assert f"{paths.STATIC_URL}/generated/counties-" in args["script"]
    assert '"350723"' in args["feature_group"]  # 光泽 coloured by the food filter


def test_data_page_has_downloads():
    at = _app()
    at.switch_page("pages/data_sources.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["数据与来源"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 Excel", "下载 GeoJSON", "下载离线地图（HTML）"]


def test_data_parsed_once_per_process_not_per_rerun(monkeypatch):
    from fjchains.app import cached

    calls = []
    real = cached.load_tables
    monkeypatch.setattr(cached, "load_tables", lambda *a, **k: calls.append(1) or real(*a, **k))
    cached._load.clear()
    cached._topojson.clear()
    at = _app()
    at.switch_page("pages/explorer.py").run()
    at.multiselect(key="w_chains").set_value(["food"]).run()
    _app(county="350582")  # a second session
    assert len(calls) == 1


def test_filter_change_leaves_the_base_map_untouched():
    """Only the small restyle payload changes with a filter: the browser keeps its map."""
    at = _app()
    at.switch_page("pages/explorer.py").run()
    before = _map_args(at)
    at.multiselect(key="w_chains").set_value(["integrated_circuits"]).run()
    after = _map_args(at)
    assert before["script"] == after["script"]
    assert before["feature_group"] != after["feature_group"]
    assert len(after["feature_group"].encode()) < 10_000
