"""Spatial statistics through AppTest: the Your data analysis (cluster map, scatter, groups,
download) and the Chains page (clusters in profile and legend, the shared-counties heatmap,
?pair= in the URL)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from fjchains.core import paths
from fjchains.data.boundaries import load_boundaries
from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables
from fjchains.upload.userdata import load_user_file
from tests.appmap import payloads


@pytest.fixture(scope="module")
def latitude_upload():
    """Every county's latitude (strong clustering), as a user would upload it."""
    tables = load_tables()
    points = load_boundaries().set_index("adcode").geometry.representative_point()
    lines = ["adcode,纬度"] + [f"{a},{points[a].y:.4f}" for a in tables.counties["adcode"]]
    return load_user_file("纬度.csv", "\n".join(lines).encode("utf-8"),
                          build_aliases(tables.counties, tables.former_names), tables.counties)


def _scaled_upload(scale: float, header: str = "纬度"):
    """Every county's latitude times `scale` (1e200, 1e-321: issue 23.4), or one value (scale 0)."""
    tables = load_tables()
    points = load_boundaries().set_index("adcode").geometry.representative_point()
    value = {a: (points[a].y * scale if scale else 7.0) for a in tables.counties["adcode"]}
    lines = [f"adcode,{header}"] + [f"{a},{v!r}" for a, v in value.items()]
    return load_user_file("scaled.csv", "\n".join(lines).encode("utf-8"),
                          build_aliases(tables.counties, tables.former_names), tables.counties)


def _upload_page(userdata, params=None, **state):
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.session_state["userdata"] = userdata
    for key, value in state.items():
        at.session_state[key] = value
    return at.switch_page("pages/upload.py").run()


def _text(at) -> str:
    parts = [e.value for e in list(at.markdown) + list(at.caption) + list(at.info) + list(at.warning)]
    return "\n".join(str(p) for p in parts)


def test_analysis_is_off_until_asked(latitude_upload):
    at = _upload_page(latitude_upload)
    assert not at.exception
    assert len(payloads(at)) == 1
    assert "全局莫兰指数 I =" not in _text(at)


def test_cluster_map_reading_and_selected_county(latitude_upload):
    at = _upload_page(latitude_upload, spatial_on=True, county="350723")  # 光泽县, in the far north
    assert not at.exception, at.exception
    text = _text(at)
    assert "全局莫兰指数 I = 0.9" in text and "空间上聚集" in text
    assert "无相邻县区（未参与计算" in text and "平潭县" in text and "金门县" in text and "东山县" in text
    choropleth, lisa = payloads(at)
    assert lisa["legend"]["title"] == "LISA 聚类：纬度"
    assert lisa["fill"]["350723"] == "#d7191c"  # High-High
    assert lisa["fill"]["350128"] == "#999999"  # 平潭县: no neighbours
    assert any(item[0].startswith("高-高（热点）") for item in lisa["legend"]["items"])
    assert "高-高（热点）" in text and "局部莫兰指数：" in text  # the selected county's statistic
    assert any("点名县区" in m for m in text.splitlines())
    assert "并不表示没有该产业" in text  # the 等 caveat next to the comparison
    assert [b.label for b in at.get("download_button") if "空间统计" in b.label]


def test_english_and_chain_filter_fade(latitude_upload):
    at = _upload_page(latitude_upload, params={"lang": "en", "chain": "lithium_battery"}, spatial_on=True,
                      spatial_alpha=0.01, spatial_fdr=True)
    assert not at.exception, at.exception
    text = _text(at)
    assert "Global Moran's I" in text and "Lithium" in text
    lisa = payloads(at)[1]
    assert "350582" in lisa["faded"] and "350902" not in lisa["faded"]  # 晋江 faded, 蕉城 kept
    assert lisa["legend"]["title"] == "LISA clusters: 纬度"


def test_values_near_1e200_read_as_the_plain_ones(latitude_upload):
    """esda overflowed at 1e200: 'I = nan (p = 0.001): … checkerboard pattern', 81 counties Low-Low."""
    plain = _text(_upload_page(latitude_upload, spatial_on=True))
    at = _upload_page(_scaled_upload(1e200), spatial_on=True)
    assert not at.exception, at.exception
    text = _text(at)
    assert "nan" not in text.lower()
    reading = next(line for line in text.splitlines() if "全局莫兰指数 I =" in line)
    assert reading[:reading.index("：")] in plain  # the same I, permutations and p as the plain values
    assert "空间上聚集" in reading


@pytest.mark.parametrize(("scale", "lang", "says"), [
    (1e-321, "zh", "数值太小"), (1e-321, "en", "too small"),
    (0, "zh", "全部相同"), (0, "en", "all values of this column are equal")])
def test_unusable_values_say_why_and_show_no_statistic(scale, lang, says):
    """Subnormal values (a few bits left) and a constant column: a warning saying why and
    what to do, no I, no p, no LISA map, no NaN anywhere."""
    at = _upload_page(_scaled_upload(scale), params={"lang": lang}, spatial_on=True)
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning).lower()
    assert says.lower() in warnings
    text = _text(at)
    assert "nan" not in text.lower() and "I = " not in text
    assert len(payloads(at)) == 1  # the choropleth only, no cluster map


def test_chains_page_clusters_in_profile_and_legend():
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["chain"] = "lithium_battery"
    at.run()
    at.switch_page("pages/chains.py").run()
    assert not at.exception, at.exception
    text = _text(at)
    assert "连片区 1：" in text and "福鼎市" in text
    legend = [item[0] for item in payloads(at)[0]["legend"]["items"]]
    assert legend[0].startswith("连片区 1：") and "蕉城区" in legend[0]
    assert any("同安区" in item and "翔安区" in item for item in legend)


def test_chains_page_pair_from_the_url_filters_the_map():
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["pair"] = ["textile_apparel", "food"]
    at.run()
    at.switch_page("pages/chains.py").run()
    assert not at.exception, at.exception
    payload = payloads(at)[0]
    coloured = {a for a, fill in payload["fill"].items() if fill != "#e6e6e6"}
    assert coloured == {"350582", "350581", "350122"}  # 晋江, 石狮, 连江: named for both
    assert "地图显示同时被" in _text(at)
    assert at.query_params["pair"] == ["textile_apparel", "food"]
    at.button(key="pair_clear").click().run()
    assert "pair" not in at.query_params



@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_selected_countys_z_and_spatial_lag_are_labelled_apart(latitude_upload, lang):
    """Issue 27: "spatial lag: 1.135 (z = 5.094)" put the county's own z under the lag's label."""
    at = _upload_page(latitude_upload, params={"lang": lang}, spatial_on=True, county="350723")
    assert not at.exception, at.exception
    box = next(m.value for m in at.markdown if "z" in m.value and ("lag" in m.value or "滞后" in m.value))
    lines = box.split("  \n")
    z_label = "Standardised value z (the county's own): " if lang == "en" else "本县区的标准化数值 z："
    lag_label = "Neighbours' mean z (spatial lag): " if lang == "en" else "相邻县区的平均 z（空间滞后）："
    z_line = next(line for line in lines if line.startswith(z_label))
    lag_line = next(line for line in lines if line.startswith(lag_label))
    assert "z =" not in lag_line and float(z_line[len(z_label):]) != float(lag_line[len(lag_label):])
    assert "Ii" not in box
