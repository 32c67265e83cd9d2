"""Issue 11 through AppTest: one chain selector with the chain in the URL, compare from a link
and from a county's detail, the county table under the map, the view in the URL. (Clearing the
selection clears the search: a browser test, AppTest does not return a fragment's button clicks.)"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fjchains.app import session
from fjchains.core import paths


def _app(**params) -> AppTest:
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    # as after the map has drawn and the charts have come: table and charts come at once
    at.session_state[session.MAP_DRAWN] = at.session_state[session.CHARTS_SHOWN] = True
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _text(at) -> str:
    return "\n".join(str(e.value) for e in list(at.markdown) + list(at.caption) + list(at.info) if e.value)


def test_chains_page_has_no_selector_of_its_own_and_follows_the_sidebar():
    at = _app()
    at.switch_page("pages/chains.py").run()
    assert not at.exception
    assert [s.label for s in at.selectbox] == ["地图显示的名单"]  # the sidebar's list picker only
    assert "在侧栏“产业链”中选择" in _text(at)
    at.button(key="open_chain_building_materials").click().run()
    assert at.query_params["chain"] in (["building_materials"], "building_materials")
    assert at.multiselect(key="w_chains").value == ["building_materials"]
    assert "### 建材" in _text(at)


def test_chain_link_in_a_county_detail_opens_its_profile():
    at = _app(county="350582")
    at.button(key="chain_link_integrated_circuits").click().run()
    assert not at.exception
    assert at.query_params["chain"] in (["integrated_circuits"], "integrated_circuits")
    at.switch_page("pages/chains.py").run()  # (AppTest does not follow st.switch_page from a fragment)
    assert "### 集成电路" in _text(at)


def test_compare_from_the_url_and_from_the_detail_panel():
    at = _app(compare="350582,350181,999999")
    assert any("999999" in w.value for w in at.warning)  # said once, on the first run
    at.switch_page("pages/explorer.py").run()
    assert at.multiselect(key="w_compare").value == ["350582", "350181"]
    assert at.query_params["compare"] == "350582,350181"
    at = _app(county="350981")
    at.switch_page("pages/explorer.py").run()
    at.button(key="compare_add").click().run()
    assert at.query_params["compare"] == "350981"
    assert "至少选择 2 个县区" in _text(at)


def test_county_table_follows_the_filter():
    at = _app(chain="integrated_circuits")
    at.switch_page("pages/explorer.py").run()
    assert "县区表（4 个，与地图筛选一致）" in _text(at)
    frame = [d for d in at.dataframe if "adcode" in d.value.columns][0]
    assert sorted(frame.value["adcode"]) == ["350205", "350206", "350213", "350582"]


def test_view_in_the_url_is_kept_and_a_bad_one_dropped():
    at = _app(z="9", ll="25.1,118.6")
    assert at.query_params["z"] == "9" and at.query_params["ll"] == "25.100,118.600"
    at = _app(z="99", ll="25.1,118.6")
    assert "z" not in at.query_params
