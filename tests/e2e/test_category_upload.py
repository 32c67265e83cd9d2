"""A chain list in the real browser: GBK (county, chain) pairs, one unknown county, one cell with
two chains: the categorical map, its legend counts, the detail panel and every download."""

from __future__ import annotations

import io

import openpyxl
import pytest

from fjchains.data.boundaries import load_boundaries
from fjchains.geo.colouring import SEVERAL
from fjchains.upload.text_columns import palette
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import click_latlng, detail_text, fills, map_frame, wait_idle

pytestmark = pytest.mark.e2e

PAIRS = ["县区,产业链", "晋江市,纺织鞋服", "晋江市,食品加工", "石狮市,纺织鞋服", "福清市,新型显示；绿色石化",
         "沙县区,小吃食品加工", "长乐区,纺织鞋服", "火星县,新型显示"]


@pytest.fixture(scope="module")
def pairs_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("catlist") / "县域产业链名单.csv"
    path.write_bytes("\n".join(PAIRS).encode("gbk"))
    return path


def _download(p, label: str, tmp_path):
    with p.expect_download() as info:
        p.get_by_role("button", name=label).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_chain_list_upload_maps_counts_details_and_downloads(app_url, page, pairs_file, tmp_path):
    p = page.page
    p.goto(f"{app_url}/upload")
    uploader = p.locator("[data-testid=stFileUploaderDropzoneInput]")
    uploader.wait_for(state="attached", timeout=90_000)  # a fresh server's first page takes a while
    uploader.set_input_files(str(pairs_file))
    p.get_by_test_id("stAlertContentSuccess").get_by_text("匹配 6 行").wait_for(timeout=60_000)
    wait_idle(p)
    assert "未匹配的行（1）" in p.content()  # 火星县
    _, handle = map_frame(p)
    handle.wait_for_function("document.querySelector('.fj-legend') && "
                             "document.querySelector('.fj-legend').textContent.includes('纺织鞋服')", timeout=60_000)
    legend = handle.evaluate("document.querySelector('.fj-legend').innerText")
    for line in ("纺织鞋服 (3)", "食品加工 (1)", "新型显示 (1)", "绿色石化 (1)", "小吃食品加工 (1)", "多个值（2 个县）"):
        assert line in legend, legend
    assert "火星" not in legend
    colours = {a: c.upper() for a, c in fills(handle).items()}
    textiles = palette(5)[0]
    assert colours["350581"] == colours["350112"] == textiles  # 石狮, 长乐: one value each
    assert colours["350582"] == colours["350181"] == SEVERAL.upper()  # 晋江 (two rows), 福清 (one cell)
    # click 晋江市: the values of its two rows in the detail panel
    b = load_boundaries()
    point = b.loc[b["adcode"] == "350582", "geometry"].iloc[0].buffer(-0.03).representative_point()
    click_latlng(p, point.y, point.x)
    p.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
    wait_idle(p)
    assert "纺织鞋服; 食品加工" in detail_text(p)
    p.screenshot(path=ARTIFACTS / "upload_categories.png", full_page=True)
    # every download carries the values
    text = _download(p, "下载 CSV", tmp_path).read_text(encoding="utf-8-sig")
    assert "纺织鞋服; 食品加工" in text and "新型显示；绿色石化" in text and "upload: 产业链" in text
    sheet = openpyxl.load_workbook(io.BytesIO(_download(p, "下载 Excel", tmp_path).read_bytes())).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert {"纺织鞋服; 食品加工", "新型显示；绿色石化", "小吃食品加工"} <= cells
    assert "小吃食品加工" in _download(p, "下载 GeoJSON", tmp_path).read_text(encoding="utf-8")
    picture = _download(p, "下载地图图片（PNG）", tmp_path)
    assert picture.read_bytes()[:4] == b"\x89PNG" and "产业链" in picture.name
    html_path = _download(p, "下载离线地图（HTML）", tmp_path)
    offline = p.context.new_page()
    offline.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    offline.goto(html_path.as_uri())
    offline.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length === 84", timeout=60_000)
    assert "纺织鞋服 (3)" in offline.evaluate("document.querySelector('.fj-legend').innerText")
    offline.screenshot(path=ARTIFACTS / "upload_categories_offline.png")
    assert page.external == [] and page.dialogs == []
