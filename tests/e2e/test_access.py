"""Every user's way in (issue 11): a phone with touch, the keyboard alone, the county table,
compare, the chain in the address, tooltips inside the map, the view in the address. Every
page at phone and laptop size, its width, language and hidden controls: test_every_page.py."""

from __future__ import annotations

import re
from functools import cache

import pytest

from tests.e2e.conftest import ARTIFACTS, Watched
from tests.e2e.helpers import (
    LAPTOP,
    MAP_IFRAME,
    PHONE,
    SIDEBAR_RIGHT,
    detail_text,
    look,
    map_frame,
    wait_frames,
    wait_idle,
    wait_restyled,
    wait_selected,
    wait_still,
)

pytestmark = pytest.mark.e2e

JINJIANG, FUAN, FUQING = "350582", "350981", "350181"


@pytest.fixture
def open_page(browser):
    """open_page(path, **context options) -> a Watched page in a fresh context (closed afterwards)."""
    contexts = []

    def _open(path: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.goto(path)
        watched.page.locator("[data-testid=stMain] h1").first.wait_for(timeout=90_000)
        return watched.page

    yield _open
    for context in contexts:
        exceptions = context.pages[0].locator("[data-testid=stException]").count() if context.pages else 0
        context.close()
        assert exceptions == 0, "the page showed an exception"


@cache
def _inner_points() -> dict[str, list[float]]:
    """The point inside each county where the map's keyboard selection clicks (the same function
    on the same boundaries as the app: fjchains.geo.maps.inner_points)."""
    from fjchains.data.boundaries import load_boundaries
    from fjchains.geo.maps import inner_points

    return inner_points(load_boundaries())


def _map_point(page, adcode: str) -> tuple[float, float]:
    """Where a point inside the county is drawn, in the page's coordinates."""
    _, handle = map_frame(page)
    x, y = handle.evaluate("""(p) => { const c = fjchains.map.latLngToContainerPoint(p); return [c.x, c.y]; }""",
                           _inner_points()[adcode])
    box = page.locator(MAP_IFRAME).first.bounding_box()
    return box["x"] + x, box["y"] + y


def _in_viewport(page, selector: str) -> bool:
    return page.evaluate(f"""(() => {{ const e = document.querySelector('{selector}'); if (!e) return false;
        const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }})()""")


SCROLLERS = "[data-testid=stMain], [data-testid=stAppViewContainer], section.main"
SCROLL_TOP = f"Math.max(window.scrollY, ...[...document.querySelectorAll('{SCROLLERS}')].map(e => e.scrollTop))"


def _scroll_top(page) -> float:
    """How far the page is scrolled (Streamlit scrolls its main block, not the window)."""
    return page.evaluate(SCROLL_TOP)



def _swipe(page, x: float, y_from: float, y_to: float) -> None:
    """One finger moved up the screen (real touch events through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y_from}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchMove", "touchPoints": [{"x": x, "y": y_from + (y_to - y_from) * step / 10}]})
        wait_frames(page, 1)  # one move a frame, as a finger's come
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


# ---- phone --------------------------------------------------------------------------------

def test_phone_done_closes_the_sidebar_after_a_filter_and_shows_the_map(app_url, open_page):
    page = open_page(f"{app_url}/explorer", **PHONE)
    _, handle = map_frame(page)
    before = look(handle)
    page.locator("[data-testid=stExpandSidebarButton]").tap()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} >= 290")  # open, over the page
    box = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    box.click()
    page.keyboard.type("建材")  # typed and Enter: on the phone the open list keeps moving under a tap
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    box.get_by_role("button", name="Remove 建材").wait_for()
    wait_idle(page)
    done = page.locator("#fj-sidebar-done")
    assert done.inner_text() == "完成"
    done.scroll_into_view_if_needed()
    done.tap()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} <= 10", timeout=60_000)  # closed
    wait_restyled(handle, before)  # the filter reached the map
    frame = page.locator(MAP_IFRAME).first.bounding_box()
    assert frame["y"] < 844


def test_phone_one_finger_scrolls_the_page_and_taps_select_fuan_and_a_small_county(app_url, open_page):
    """On a phone a one-finger swipe over the map scrolls the page, not the map; back at the
    map, a tap on Fuan selects it and brings its details into view, below the fixed top bar; a
    tap in the sea beside a small county selects that county."""
    page = open_page(f"{app_url}/explorer", **PHONE)
    _, handle = map_frame(page)
    wait_idle(page)
    before_view = handle.evaluate("[fjchains.map.getCenter().lat, fjchains.map.getCenter().lng, fjchains.map.getZoom()]")
    before_scroll = _scroll_top(page)
    x, y = _map_point(page, "350105")  # 马尾区, near the map's middle on a phone
    y = min(y, 700)
    _swipe(page, x, y, y - 300)
    page.wait_for_function(f"({SCROLL_TOP}) > {before_scroll + 100}", timeout=60_000,
                           polling="raf")  # a one-finger swipe scrolls the page
    wait_still(page, SCROLLERS)  # and the scroll has ended
    after_view = handle.evaluate("[fjchains.map.getCenter().lat, fjchains.map.getCenter().lng, fjchains.map.getZoom()]")
    assert after_view == pytest.approx(before_view, abs=1e-6), "the map must not pan under one finger"

    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    wait_still(page, SCROLLERS)
    x, y = _map_point(page, FUAN)
    page.touchscreen.tap(x, y)
    page.wait_for_function("(() => { const d = document.querySelector('.st-key-detail_panel');"
                           " return d && d.innerText.includes('福安市'); })()", timeout=60_000)
    page.wait_for_function("""(() => { const d = document.querySelector('.st-key-detail_panel');
        const r = d.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight * 0.5; })()""",
                           timeout=60_000)
    assert "福安市" in detail_text(page)
    wait_still(page, SCROLLERS + ", .st-key-detail_section h3")  # the scroll has settled
    # the section's heading shows below Streamlit's fixed top bar (it was hidden under it)
    heading, bar = page.evaluate("""[document.querySelector('.st-key-detail_section h3').getBoundingClientRect().top,
        document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom]""")
    assert heading >= bar, (heading, bar)

    # at the province's zoom an island or a city district is a few pixels: a finger that lands
    # in the sea beside it selected nothing
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    wait_still(page, SCROLLERS)
    found = handle.evaluate(BESIDE_SMALL, _inner_points())
    assert found, "no small county with sea beside it at the province's zoom"
    adcode, x, y = found
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.touchscreen.tap(box["x"] + x, box["y"] + y)
    wait_selected(handle, adcode)
    page.wait_for_function(f"location.search.includes('county={adcode}')", timeout=60_000)


# ---- keyboard -----------------------------------------------------------------------------

def _focused_label(page) -> str:
    """The accessible name or text of the focused element, looking into the map's iframe."""
    return page.evaluate("""(() => { let e = document.activeElement;
        while (e && e.tagName === 'IFRAME') e = e.contentDocument.activeElement;
        return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : ''; })()""")


#: The focused element is the detail panel's heading naming the county (`arg`).
DETAIL_HEADING_FOCUSED = """(name) => { const e = document.activeElement;
    return !!e && e.tagName === 'H3' && !!e.closest('.st-key-detail_panel') && e.textContent.includes(name); }"""


def test_keyboard_selects_jinjiang_on_the_map_with_tab_and_enter_then_moves_with_the_arrow_keys(app_url, open_page):
    """Tab reaches Jinjiang on the map, Enter selects it and moves the focus to its details; back
    on the map the arrow keys move to the nearest county that way, and Enter selects that one."""
    page = open_page(f"{app_url}/explorer", **LAPTOP)
    map_frame(page)
    wait_idle(page)
    for _ in range(300):
        page.keyboard.press("Tab")
        if _focused_label(page).startswith("晋江市"):
            break
    else:
        pytest.fail("Tab never reached 晋江市 on the map")
    assert "泉州市" in _focused_label(page)  # the name says county, prefecture, chains
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.st-key-detail_panel') && "
                           "document.querySelector('.st-key-detail_panel').innerText.includes('晋江市')",
                           timeout=60_000)
    page.wait_for_function(f"location.search.includes('county={JINJIANG}')", timeout=60_000)
    # issue 27.7: the focus moves to the county's heading in its details, not 55 Tabs away
    page.wait_for_function(DETAIL_HEADING_FOCUSED, arg="晋江市", timeout=60_000)
    page.keyboard.press("Tab")  # on to the panel's controls
    assert page.evaluate("document.activeElement.closest('.st-key-detail_panel') !== null")

    # back on Jinjiang, the arrow keys move to the nearest county that way; Enter selects it
    _, handle = map_frame(page)
    handle.locator(f"path[data-adcode='{JINJIANG}']").focus()
    here = JINJIANG
    for key, axis, sign in (("ArrowUp", 1, -1), ("ArrowLeft", 0, -1), ("ArrowDown", 1, 1), ("ArrowRight", 0, 1)):
        page.keyboard.press(key)
        handle.wait_for_function("(a) => document.activeElement && document.activeElement.dataset.adcode"
                                 " && document.activeElement.dataset.adcode !== a", arg=here, timeout=60_000)
        there = _focused_county(handle)
        points = _screen_points(page)  # the map may have moved to show it
        assert (points[there][axis] - points[here][axis]) * sign > 0, (key, here, there)
        here = there
    name = _focused_label(page).split(",")[0]
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => { const d = document.querySelector('.st-key-detail_panel');"
                           " return !!d && d.innerText.includes(n); }", arg=name, timeout=60_000)
    page.wait_for_function(DETAIL_HEADING_FOCUSED, arg=name, timeout=60_000)


def test_keyboard_selects_jinjiang_from_the_table(app_url, open_page):
    page = open_page(f"{app_url}/explorer?chain=integrated_circuits", **LAPTOP)
    map_frame(page)
    wait_idle(page)
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.st-key-county_table [data-testid=stDataFrame]') "
                         "&& ['CANVAS', 'TD'].includes(document.activeElement.tagName)"):
            break  # past the table's toolbar buttons, on its grid
    else:
        pytest.fail("Tab never reached the county table")
    for _ in range(15):  # down the rows (the grid focuses a cell, in the accessible table)
        page.evaluate("window.__fjFocused = document.activeElement")
        page.keyboard.press("ArrowDown")
        # the grid moves its focus after a frame: to the next row's cell
        page.wait_for_function("document.activeElement !== window.__fjFocused", timeout=60_000)
        if page.evaluate("document.activeElement.textContent") == "晋江市":
            break
    else:
        pytest.fail("the arrow keys never reached 晋江市 in the table")
    page.keyboard.press("Shift+Space")
    page.wait_for_function("document.querySelector('.st-key-detail_panel') && "
                           "document.querySelector('.st-key-detail_panel').innerText.includes('晋江市')",
                           timeout=60_000)
    page.wait_for_function(f"location.search.includes('county={JINJIANG}')", timeout=60_000)
    # the page reruns for the map; the table is drawn again after it (a fragment of its own)
    page.wait_for_function("(document.querySelector('.st-key-county_table') || {}).textContent"
                           "?.includes('晋江市')", timeout=60_000)
    highlighted = page.evaluate("document.querySelector('.st-key-county_table').textContent")
    assert "晋江市" in highlighted


def test_detail_panel_within_15_tabs_of_the_page_top(app_url, open_page):
    page = open_page(f"{app_url}/explorer?county={JINJIANG}", **LAPTOP)
    map_frame(page)
    wait_idle(page)
    presses = 0
    while presses < 15:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.id") == "fj-skip-detail":
            page.keyboard.press("Enter")
            break
    assert page.evaluate("document.activeElement.closest('.st-key-detail_section') !== null")
    for _ in range(3):  # on to the panel's first control (past the heading's anchor link)
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.closest('.st-key-detail_panel') !== null"):
            break
    assert presses <= 15
    assert page.evaluate("document.activeElement.closest('.st-key-detail_panel') !== null")


# ---- chains page, compare -----------------------------------------------------------------

def test_chain_in_the_address_opens_its_profile(app_url, open_page):
    page = open_page(f"{app_url}/chains?chain=building_materials", **LAPTOP)
    map_frame(page)
    wait_idle(page)
    main = page.locator("[data-testid=stMain]")
    main.get_by_role("heading", name="建材").first.wait_for(timeout=60_000)
    assert "（4）" in main.inner_text()  # "named counties（4）" in the profile
    page.locator(".st-key-county_table td").first.wait_for(state="attached", timeout=60_000)
    assert "县区表（4 个" in main.inner_text()
    counties = page.evaluate("[...document.querySelectorAll('.st-key-county_table td[aria-colindex=\"1\"]')]"
                             ".map(e => e.textContent)")
    assert sorted(counties) == sorted(["闽清县", "三元区", "南安市", "漳平市"])
    assert "建材" in page.locator("[data-testid=stSidebar]").inner_text()  # the one selector says it too
    assert "chain=building_materials" in page.url


def test_compare_link_shows_both_counties_side_by_side(app_url, open_page):
    page = open_page(f"{app_url}/explorer?compare={JINJIANG},{FUQING}", **LAPTOP)
    map_frame(page)
    page.locator(".st-key-compare_panel th").first.wait_for(state="attached", timeout=60_000)  # the grid's table
    headers = page.evaluate("[...document.querySelectorAll('.st-key-compare_panel th')].map(e => e.textContent)")
    assert "晋江市" in headers and "福清市" in headers
    cells = page.evaluate("document.querySelector('.st-key-compare_panel').textContent")  # the grid's table
    assert "泉州市" in cells and "福州市" in cells
    assert f"compare={JINJIANG}%2C{FUQING}" in page.url or f"compare={JINJIANG},{FUQING}" in page.url


def test_adding_counties_from_their_details_builds_the_comparison(app_url, open_page):
    """"加入对比" sits in the map's fragment and the comparison outside it: the comparison
    showed nothing until a reload, and its stale picker dropped the county at the next pick."""
    page = open_page(f"{app_url}/explorer?county={JINJIANG}", **LAPTOP)
    map_frame(page)
    wait_idle(page)
    page.get_by_role("button", name="加入对比").click()
    wait_idle(page)
    panel = page.locator(".st-key-compare_panel")
    panel.get_by_test_id("stMultiSelect").get_by_text("晋江市").first.wait_for(timeout=60_000)  # in the comparison
    wait_idle(page)
    search = page.get_by_role("textbox", name="搜索县（市、区）")
    search.fill("福清")
    search.press("Enter")
    page.get_by_test_id("stMain").get_by_role("heading", name="福清市").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_role("button", name="加入对比").click()
    page.locator(".st-key-compare_panel th").first.wait_for(state="attached", timeout=60_000)
    headers = page.evaluate("[...document.querySelectorAll('.st-key-compare_panel th')].map(e => e.textContent)")
    assert "晋江市" in headers and "福清市" in headers


# ---- small things -------------------------------------------------------------------------

def test_english_tooltips_stay_inside_the_map(app_url, open_page):
    """The longer English tooltips of a county on the coast (Jinjiang) and one near the map's
    top edge (Fuan) stay inside the map, hovered one after the other."""
    page = open_page(f"{app_url}/explorer?lang=en", **LAPTOP)
    _, handle = map_frame(page)
    wait_idle(page)
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    for adcode, name in ((JINJIANG, "Jinjiang City"), (FUAN, "Fu'an City")):
        x, y = _map_point(page, adcode)
        page.mouse.move(x, y)
        page.mouse.move(x + 2, y + 1)
        handle.wait_for_function("(name) => { const t = document.querySelector('.leaflet-tooltip');"
                                 " return !!t && t.innerText.includes(name); }", arg=name, timeout=60_000)
        tip, frame = handle.evaluate("""[document.querySelector('.leaflet-tooltip').getBoundingClientRect().toJSON(),
                                         document.querySelector('#map_div').getBoundingClientRect().toJSON()]""")
        assert tip["left"] >= frame["left"] and tip["right"] <= frame["right"], (adcode, tip, frame)
        assert tip["top"] >= frame["top"] and tip["bottom"] <= frame["bottom"], (adcode, tip, frame)


def test_view_in_the_address_survives_a_language_switch(app_url, open_page):
    page = open_page(f"{app_url}/explorer?z=9&ll=25.1,118.6", **LAPTOP)
    _, handle = map_frame(page)
    handle.wait_for_function("fjchains.map.getZoom() === 9", timeout=60_000)  # the link's view, restored
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.wait_for_function("location.search.includes('lang=en')", timeout=60_000)
    wait_idle(page)
    _, handle = map_frame(page)
    handle.wait_for_function("!!window.fjchains && !!fjchains.map && fjchains.map.getZoom() === 9", timeout=60_000)
    zoom, lat, lng = handle.evaluate("[fjchains.map.getZoom(), fjchains.map.getCenter().lat, fjchains.map.getCenter().lng]")
    assert zoom == 9 and lat == pytest.approx(25.1, abs=0.01) and lng == pytest.approx(118.6, abs=0.01)
    assert "z=9" in page.url and "ll=25.1" in page.url


def test_failed_basemap_says_it_needs_internet_once(app_url, open_page):
    page = open_page(f"{app_url}/explorer", **LAPTOP)
    page.route(re.compile(r"https?://[^/]*openstreetmap\.org/.*"), lambda route: route.abort())
    map_frame(page)
    wait_idle(page)
    page.locator("[data-testid=stSidebar] [data-testid=stCheckbox], [data-testid=stSidebar] label",
                 has_text="OpenStreetMap").first.click()
    page.wait_for_function(f"""(() => {{ const f = document.querySelector('{MAP_IFRAME}');
        return !!f && !!f.contentDocument && !!f.contentDocument.querySelector('.fj-notice'); }})()""",
                           timeout=60_000)
    handle = page.query_selector(MAP_IFRAME).content_frame()
    # every tile of the view has failed (a broken image is complete too): still one notice
    handle.wait_for_function("(() => { const tiles = [...document.querySelectorAll('img.leaflet-tile')];"
                             " return tiles.length >= 2 && tiles.every((t) => t.complete); })()", timeout=60_000)
    assert handle.locator(".fj-notice").count() == 1
    assert "底图需要联网" in handle.locator(".fj-notice").inner_text()


def test_clearing_the_selection_empties_the_search_box(app_url, open_page):
    page = open_page(f"{app_url}/explorer", **LAPTOP)
    map_frame(page)
    search = page.locator("[data-testid=stSidebar] input[type=text]").first
    search.fill("晋江")
    search.press("Enter")
    # the person sees 晋江市's details, then clears them (a click while the search's own run
    # still went on was answered by that run's search value again: the flake drill)
    page.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.locator(".st-key-clear_county button").click(timeout=60_000)
    page.wait_for_function("!location.search.includes('county=')", timeout=60_000)
    wait_idle(page)
    assert search.input_value() == ""


# ---- phone and keyboard follow-through (issue 27.7) ----------------------------------------

#: The county details' top is on the upper half of the screen.
DETAIL_IN_VIEW = """() => { const d = document.querySelector('.st-key-detail_panel'); if (!d) return false;
    const r = d.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight * 0.5; }"""


def test_phone_table_tap_brings_its_details_into_view(app_url, open_page):
    """A map tap scrolled to the county's details; a tap on a table row selected the county and
    left its details a screen and a half further down."""
    page = open_page(f"{app_url}/explorer?chain=lithium_battery", **PHONE)
    map_frame(page)
    page.locator(".st-key-county_table td").first.wait_for(state="attached", timeout=60_000)
    wait_idle(page)
    grid = page.locator(".st-key-county_table [data-testid=stDataFrame]")
    grid.scroll_into_view_if_needed()
    wait_still(page, SCROLLERS)
    name = page.evaluate("[...document.querySelectorAll('.st-key-county_table tr')][2]"
                         ".querySelector('td[aria-colindex=\"1\"]').textContent")  # the second row's county
    box = grid.bounding_box()
    # that row's tick box: rows are 35 px under a 38 px header (county_grid sizes the grid so)
    page.touchscreen.tap(box["x"] + 17, box["y"] + 38 + 35 + 17)
    page.wait_for_function("(n) => { const d = document.querySelector('.st-key-detail_panel');"
                           " return !!d && d.innerText.includes(n); }", arg=name, timeout=60_000)
    page.wait_for_function(DETAIL_IN_VIEW, timeout=60_000)
    wait_still(page, SCROLLERS + ", .st-key-detail_section h3")
    page.screenshot(path=str(ARTIFACTS / "access-phone-table-tap.png"))
    heading, bar = page.evaluate("""[document.querySelector('.st-key-detail_section h3').getBoundingClientRect().top,
        document.querySelector('[data-testid=stHeader]').getBoundingClientRect().bottom]""")
    assert heading >= bar, (heading, bar)


def _screen_points(page) -> dict[str, list[float]]:
    """Each county's inner point where the map draws it, in the page's coordinates."""
    _, handle = map_frame(page)
    box = page.locator(MAP_IFRAME).first.bounding_box()
    drawn = handle.evaluate("""(points) => Object.fromEntries(Object.entries(points).map(([a, p]) => {
        const c = fjchains.map.latLngToContainerPoint(p); return [a, [c.x, c.y]]; }))""", _inner_points())
    return {a: [box["x"] + x, box["y"] + y] for a, (x, y) in drawn.items()}


#: Where a finger beside a small county lands in the sea: for each county whose box on screen is
#: smaller than a finger (44 px), points 10 to 18 px from its inner point that hit no county and
#: are clearly nearer its point than any other's (by 6 px). [adcode, x, y] in the frame, or null.
BESIDE_SMALL = """(points) => {
  const map = fjchains.map, out = [];
  const screen = Object.entries(points).map(([a, p]) => { const c = map.latLngToContainerPoint(p); return [a, c.x, c.y]; });
  const paths = Object.fromEntries([...document.querySelectorAll('path[data-adcode]')].map((p) => [p.dataset.adcode, p]));
  for (const [a, x, y] of screen) {
    const r = paths[a].getBoundingClientRect();
    if (Math.max(r.width, r.height) >= 44) continue;
    for (const d of [10, 14, 18]) for (let k = 0; k < 12; k++) {
      const px = x + d * Math.cos(k * Math.PI / 6), py = y + d * Math.sin(k * Math.PI / 6);
      const hit = document.elementFromPoint(px, py);
      if (!hit || hit.closest('path[data-adcode], .leaflet-control')) continue;
      const [first, second] = screen.map(([b, bx, by]) => [Math.hypot(bx - px, by - py), b]).sort((u, v) => u[0] - v[0]);
      if (first[1] === a && second[0] - first[0] > 6) return [a, Math.round(px), Math.round(py)];
    }
  }
  return null;
}"""


def _focused_county(handle) -> str | None:
    return handle.evaluate("document.activeElement && document.activeElement.dataset.adcode || null")


#: The overview's charts have come and drawn (their "show" button is gone).
CHARTS_DRAWN = """() => !document.querySelector('[class*="st-key-show_seen_"]')
    && document.querySelectorAll('[data-testid=stPlotlyChart] svg.main-svg').length > 0"""
#: Where the charts' room is: its top and bottom on the screen, or null once they have come.
CHARTS_BOX = """() => { const b = document.querySelector('[class*="st-key-show_seen_"]');
    if (!b) return null; const r = b.getBoundingClientRect(); return [r.top, r.bottom]; }"""


def test_phone_charts_come_as_they_scroll_into_view_while_the_finger_keeps_scrolling(app_url, open_page):
    """The charts waited for a second without input, and to that rule a finger that scrolls is
    input: scrolling on, the user passed an empty box with a button. Here the finger never rests
    (one swipe after another, by the page's margin): down to the charts, then to and fro over them."""
    page = open_page(f"{app_url}/", **PHONE)
    map_frame(page)
    page.locator(".st-key-county_table td").first.wait_for(state="attached", timeout=60_000)
    x, height = 6, PHONE["viewport"]["height"]
    for swipe in range(150):
        if page.evaluate(CHARTS_DRAWN):
            break
        box = page.evaluate(CHARTS_BOX)
        if box is None or box[0] < height:  # the charts' room is on the screen: to and fro
            _swipe(page, x, 500, 350) if swipe % 2 else _swipe(page, x, 350, 500)
        else:
            _swipe(page, x, 700, 150)
    else:
        pytest.fail("the charts never came while the finger kept scrolling")
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    wait_still(page, SCROLLERS + ", [data-testid=stPlotlyChart]")
    page.screenshot(path=str(ARTIFACTS / "access-phone-charts-in-view.png"))
