"""Upload in the real browser: GBK file, classification, legend, click, offline HTML, no XSS."""

from __future__ import annotations

import re

import pytest

from fjchains.data.tables import load_tables
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import click_latlng, detail_text, fills, map_frame, wait_idle

pytestmark = pytest.mark.e2e

XSS_NAMES = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"]


@pytest.fixture(scope="module")
def gbk_file(tmp_path_factory):
    """Every county but 德化县 with a test value, plus two hostile names; GBK-encoded."""
    lines = ["县名,测试指标,备注"]
    for i, row in enumerate(load_tables().counties.itertuples()):
        if row.adcode != "350526":
            lines.append(f"{row.name_zh},\"{1000 + 37 * i:,}\",ok")
    lines += [f"{name},5,bad" for name in XSS_NAMES]
    path = tmp_path_factory.mktemp("upload") / "县域测试数据.csv"
    path.write_bytes("\n".join(lines).encode("gbk"))
    return path


def _upload(page, path):
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    page.get_by_test_id("stAlertContentSuccess").get_by_text("匹配 83 行").wait_for(timeout=60_000)
    wait_idle(page)


def test_upload_map_click_and_offline_download(app_url, page, gbk_file, tmp_path):
    p = page.page
    p.goto(f"{app_url}/upload")
    _upload(p, gbk_file)
    assert "未匹配的行（2）" in p.content()
    # pick a classification: natural breaks, 4 classes
    map_frame(p)  # the map's first value reruns the page: open the list after that
    wait_idle(p)
    scheme = p.get_by_role("combobox", name="分级方法")
    scheme.evaluate("e => e.scrollIntoView({block: 'center'})")  # room for the list to open
    scheme.click()
    p.get_by_role("option", name="自然断点").click()
    wait_idle(p)
    _, handle = map_frame(p)
    handle.wait_for_function("document.querySelector('.fj-legend') && "
                             "document.querySelector('.fj-legend').textContent.includes('无数据')", timeout=60_000)
    legend = handle.evaluate("document.querySelector('.fj-legend').innerText")
    assert "测试指标" in legend and "无数据" in legend
    colours = fills(handle)
    assert colours["350526"].lower() == "#d9d9d9"  # 德化县: no row → missing colour
    assert len({c for a, c in colours.items() if a != "350526"}) >= 4
    # click 晋江市 → its uploaded value in the detail panel
    from fjchains.data.boundaries import load_boundaries

    b = load_boundaries()
    point = b.loc[b["adcode"] == "350582", "geometry"].iloc[0].buffer(-0.03).representative_point()
    click_latlng(p, point.y, point.x)
    p.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
    wait_idle(p)
    text = detail_text(p)
    assert "测试指标" in text
    value = 1000 + 37 * load_tables().counties["adcode"].tolist().index("350582")
    assert f"{value:,}" in text
    p.screenshot(path=ARTIFACTS / "upload_choropleth.png")
    # download the map and open it with the network cut off
    with p.expect_download() as info:
        p.get_by_role("button", name="下载离线地图（HTML）").click()
    html_path = tmp_path / "map.html"
    info.value.save_as(html_path)
    offline = p.context.new_page()
    offline.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    offline.goto(html_path.as_uri())
    offline.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length === 84", timeout=60_000)
    assert offline.evaluate("document.querySelectorAll('path.leaflet-interactive').length") == 84
    assert "无数据" in offline.evaluate("document.querySelector('.fj-legend').innerText")
    offline.screenshot(path=ARTIFACTS / "download_offline.png")
    assert page.external == [] and page.dialogs == []


def test_hostile_names_render_as_text(app_url, page, gbk_file):
    p = page.page
    p.goto(f"{app_url}/upload")
    _upload(p, gbk_file)
    map_frame(p)  # the file's map and every text from it are on the page
    wait_idle(p)
    assert page.dialogs == []  # no alert() ran
    assert p.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    frame = p.frame_locator('iframe[title="fjchains.app.map_frame.county_map"]').first
    assert frame.locator("img[src=x]").count() == 0
    # the unmatched table shows the text itself
    table = p.locator("[data-testid=stExpander]").filter(has_text="未匹配的行").first
    assert table.is_visible()
    p.screenshot(path=ARTIFACTS / "upload_hostile.png")


def test_the_map_waits_in_grey_a_bad_file_gets_a_message_and_a_good_one_recolours_that_same_map(
        app_url, page, gbk_file, tmp_path):
    """Issue 10: "Your data" draws its map while the user picks a file; a file that cannot be
    read gets a message (no traceback); the file's colours then restyle that map in place (the
    zoom the user set is kept, no second frame is loaded); "移除上传的数据" takes them off again."""
    p = page.page
    p.goto(f"{app_url}/upload")
    _, handle = map_frame(p)
    assert "等待您的数据" in handle.evaluate("document.querySelector('.fj-legend').innerText")
    assert set(fills(handle).values()) == {"#f0f0f0"}
    handle.evaluate("fjchains.map.setView([24.8, 118.6], 9, {animate: false}); window.__sameMap = 'yes'")
    frames_loaded = []
    p.on("request", lambda r: frames_loaded.append(r.url) if "county_map/index.html" in r.url else None)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 20)
    p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(junk))
    p.get_by_text(re.compile("无法使用该文件")).wait_for(timeout=60_000)
    assert "Traceback" not in p.content()
    _upload(p, gbk_file)
    # the result at once, over the page (the report itself sits beside the map, below it on a phone)
    toast = p.locator("[data-testid=stToast]").filter(has_text="县域测试数据.csv")
    assert "匹配 83 行" in toast.first.inner_text(timeout=60_000)
    handle.wait_for_function("document.querySelector('.fj-legend').textContent.includes('测试指标')",
                             timeout=60_000)
    assert handle.evaluate("[window.__sameMap, fjchains.map.getZoom()]") == ["yes", 9]
    assert not frames_loaded, frames_loaded
    assert len(set(fills(handle).values())) > 3  # classes, and "no data" for 德化县
    _removed(p, handle, lambda: p.get_by_role("button", name="移除上传的数据").click())


def _removed(p, handle, remove) -> None:
    """remove() takes the file's data off the page: the map waits again, the uploader is empty
    (it kept the file, which the next run read back in), and a later visit brings nothing back."""
    remove()
    handle.wait_for_function("document.querySelector('.fj-legend').textContent.includes('等待您的数据')",
                             timeout=60_000)
    wait_idle(p)
    assert not p.get_by_test_id("stFileChip").count()  # no file chip left
    assert not p.get_by_test_id("stAlertContentSuccess").count()  # no join report
    assert not p.get_by_role("button", name="移除上传的数据").count()
    p.reload()  # and a page visit later in the session brings nothing back
    _, handle = map_frame(p)
    assert "等待您的数据" in handle.evaluate("document.querySelector('.fj-legend').innerText")


def test_the_uploaders_own_cross_removes_the_files_data(app_url, page, gbk_file):
    """The uploader's ✕ takes the file's data off the page as "移除上传的数据" does."""
    p = page.page
    p.goto(f"{app_url}/upload")
    _upload(p, gbk_file)
    _, handle = map_frame(p)
    handle.wait_for_function("document.querySelector('.fj-legend').textContent.includes('测试指标')",
                             timeout=60_000)
    _removed(p, handle, lambda: p.get_by_test_id("stFileChipDeleteBtn").click())


def test_on_a_phone_the_report_and_settings_come_before_the_county_table(app_url, browser, gbk_file):
    """The table sat in the map's column, so on a phone the report and the column picker came
    after all 84 rows."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        p = context.new_page()
        p.goto(f"{app_url}/upload")
        map_frame(p)
        wait_idle(p)
        _upload(p, gbk_file)
        p.locator(".st-key-county_table").first.wait_for(state="attached", timeout=60_000)
        report, picker, table = p.evaluate("""['[data-testid=stAlertContentSuccess]', '[data-testid=stSelectbox]',
            '.st-key-county_table'].map(s => document.querySelector('[data-testid=stMain] ' + s)
            .getBoundingClientRect().top)""")
        assert report < table and picker < table, (report, picker, table)
    finally:
        context.close()


def test_choosing_another_file_replaces_the_first(app_url, page, gbk_file, tmp_path):
    """Choosing a second file passes through "no file": that must not drop the second one's
    upload (the uploader's ✕ handling once gave it a fresh key in between)."""
    p = page.page
    p.goto(f"{app_url}/upload")
    _upload(p, gbk_file)
    second = tmp_path / "second.csv"
    second.write_text("县名,另一指标\n晋江市,1\n石狮市,2\n", encoding="utf-8")
    p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(second))
    p.get_by_test_id("stAlertContentSuccess").get_by_text("匹配 2 行").wait_for(timeout=60_000)
    _, handle = map_frame(p)
    handle.wait_for_function("document.querySelector('.fj-legend').textContent.includes('另一指标')",
                             timeout=60_000)


def test_an_ambiguous_name_is_assigned_in_the_page(app_url, page, tmp_path):
    """Issue 27: "Licheng District" (鲤城区, Quanzhou, or 荔城区, Putian) gets a choice with the
    prefectures; the chosen county takes the row's value on the map, converted from 420.0亿
    under an English unit header; the county table writes values as the legend does."""
    path = tmp_path / "gdp_en.csv"
    path.write_text("county,2023 GDP (100m yuan)\nJinjiang,3207.4\nLicheng District,420.0亿\nFuqing,1626\n"
                    "Licheng District,1350\nShishi,1055\n", encoding="utf-8")
    p = page.page
    p.goto(f"{app_url}/upload?lang=en")
    p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    p.get_by_test_id("stAlertContentSuccess").get_by_text("3 matched").wait_for(timeout=60_000)
    map_frame(p)  # the map's first value reruns the page: open the list after that
    wait_idle(p)
    choice = p.get_by_test_id("stSelectbox").filter(has_text="Row 3:").get_by_role("combobox")
    choice.evaluate("e => e.scrollIntoView({block: 'center'})")
    choice.click()
    assert p.get_by_role("option").all_inner_texts() == [
        "Not assigned (the row is not used)", "Licheng District · Putian (350304)",
        "Licheng District · Quanzhou (350502)"]
    p.get_by_role("option", name="Licheng District · Quanzhou (350502)").click()
    p.get_by_test_id("stAlertContentSuccess").get_by_text("4 matched").wait_for(timeout=60_000)
    wait_idle(p)
    _, handle = map_frame(p)
    handle.wait_for_function("document.querySelector('.fj-legend') && "
                             "document.querySelector('.fj-legend').textContent.includes('420')", timeout=60_000)
    assert fills(handle)["350502"].lower() != "#d9d9d9"  # 鲤城区 has the row's value now
    grid = p.locator("[data-testid=stDataFrame]").last
    grid.scroll_into_view_if_needed()
    grid.screenshot(path=str(ARTIFACTS / "upload_ambiguous_grid.png"))
