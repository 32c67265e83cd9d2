"""Spatial statistics in the real browser: upload a file, open the cluster map, click a
High-High county, see its detail and its local statistic; click a Moran scatter point and a
shared-counties cell."""

from __future__ import annotations

import pytest

from fjchains.data.boundaries import load_boundaries
from fjchains.data.tables import load_tables
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, detail_text, wait_idle

pytestmark = pytest.mark.e2e

GUANGZE = "350723"  # 光泽县, in the far north: High-High for latitude


@pytest.fixture(scope="module")
def latitude_file(tmp_path_factory):
    points = load_boundaries().set_index("adcode").geometry.representative_point()
    lines = ["县名,纬度"] + [f"{c.name_zh},{points[c.adcode].y:.4f}" for c in load_tables().counties.itertuples()]
    path = tmp_path_factory.mktemp("spatial") / "纬度.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _lisa_frame(page):
    """The cluster map: the page's second map, once its LISA colours are applied."""
    page.wait_for_function(f"document.querySelectorAll('{MAP_IFRAME}').length >= 2", timeout=60_000)
    handle = page.query_selector_all(MAP_IFRAME)[1].content_frame()
    handle.wait_for_function("!!document.querySelector('.fj-legend') && "
                             "document.querySelector('.fj-legend').textContent.includes('LISA')", timeout=60_000)
    return handle


def test_cluster_map_click_shows_detail_and_statistic(app_url, page, latitude_file):
    p = page.page
    p.goto(f"{app_url}/upload")
    p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(latitude_file))
    p.get_by_test_id("stAlertContentSuccess").get_by_text("匹配 84 行").wait_for(timeout=60_000)
    wait_idle(p)
    toggle = p.get_by_text("计算空间统计")
    toggle.scroll_into_view_if_needed()
    toggle.click()
    p.locator(".st-key-moran_global").get_by_text("空间上聚集").wait_for(timeout=60_000)
    wait_idle(p, 60_000)
    handle = _lisa_frame(p)
    legend = handle.evaluate("document.querySelector('.fj-legend').innerText")
    assert "高-高（热点）" in legend and "无相邻县区 (3)" in legend
    fill = handle.evaluate(f"document.querySelector('path[data-adcode=\"{GUANGZE}\"]').getAttribute('fill')")
    assert fill.lower() == "#d7191c"  # High-High
    # click 光泽县 on the cluster map
    b = load_boundaries()
    point = b.loc[b["adcode"] == GUANGZE, "geometry"].iloc[0].buffer(-0.03).representative_point()
    iframe = p.query_selector_all(MAP_IFRAME)[1]
    iframe.scroll_into_view_if_needed()
    xy = handle.evaluate(f"(() => {{ const q = fjchains.map.latLngToContainerPoint([{point.y}, {point.x}]); "
                         "return [q.x, q.y]; })()")
    p.frame_locator(MAP_IFRAME).nth(1).locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
    statistic = p.locator(".st-key-lisa_statistic")
    statistic.get_by_text("光泽县").wait_for(timeout=60_000)
    wait_idle(p)
    text = statistic.inner_text()
    assert "高-高（热点）" in text and "局部莫兰指数：" in text and "置换检验 p 值" in text
    assert "本县区的标准化数值 z：" in text and "相邻县区的平均 z（空间滞后）：" in text and "(z =" not in text
    assert "光泽县" in detail_text(p)  # the detail panel follows the same selection
    statistic.scroll_into_view_if_needed()
    p.screenshot(path=ARTIFACTS / "spatial_cluster_map.png")
    # a click on a Low-Low point of the Moran scatter selects that county
    low_low = p.locator(".st-key-moran_scatter .scatterlayer .trace").nth(1).locator(".point").first
    low_low.scroll_into_view_if_needed()
    low_low.click(force=True)
    statistic.get_by_text("低-低（冷点）").wait_for(timeout=60_000)
    assert "光泽县" not in statistic.inner_text()
    assert page.external == [] and page.dialogs == []


def test_heatmap_cell_click_shows_the_counties_named_for_both(app_url, page):
    p = page.page
    p.goto(f"{app_url}/chains")
    cells = p.locator(".st-key-shared_heatmap .scatterlayer .point")
    cells.first.wait_for(timeout=60_000)
    wait_idle(p, 60_000)
    p.locator(".st-key-shared_heatmap").scroll_into_view_if_needed()
    cells.nth(4).click(force=True)  # row 现代纺织服装, column 食品 (cells go row by row)
    p.get_by_text("地图显示同时被“现代纺织服装”和“食品”点名的县区（3 个）").wait_for(timeout=60_000)
    wait_idle(p, 60_000)
    assert "pair=textile_apparel&pair=food" in p.url
    handle = p.query_selector(MAP_IFRAME).content_frame()
    handle.wait_for_function("document.querySelector('.fj-legend') && "
                             "document.querySelector('.fj-legend').textContent.includes('同时被两条产业链点名 (3)')",
                             timeout=60_000)
    coloured = handle.evaluate("""[...document.querySelectorAll('path[data-adcode]')]
        .filter((p) => p.getAttribute('fill') !== '#e6e6e6').map((p) => p.dataset.adcode).sort()""")
    assert coloured == ["350122", "350581", "350582"]  # 连江县, 石狮市, 晋江市
