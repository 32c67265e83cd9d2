"""The real app in headless Chromium: offline, 84 counties, click, filter, links, zoom kept.

What AppTest shows without a browser is tested there (tests/test_pages.py: a link's county
and its golden card, an old name in the search box)."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import (
    MAP_IFRAME,
    STYLED,
    click_latlng,
    detail_text,
    fills,
    look,
    map_frame,
    wait_charts,
    wait_idle,
    wait_restyled,
    wait_selected,
    wait_still,
)

pytestmark = pytest.mark.e2e

IC_COUNTIES = {"350205", "350213", "350206", "350582"}


@pytest.fixture(scope="module")
def jinjiang_point(request):
    """A point well inside 晋江市, from the shipped boundaries."""
    from fjchains.data.boundaries import load_boundaries

    b = load_boundaries()
    geom = b.loc[b["adcode"] == "350582", "geometry"].iloc[0]
    inner = geom.buffer(-0.03)  # keep clear of the simplified border
    p = inner.representative_point()
    return p.y, p.x


def test_a_click_on_jinjiang_shows_its_details_with_one_rerun_and_the_map_kept(app_url, page, jinjiang_point):
    """A click on the map (zoomed in): Jinjiang's details, its code in the address and its
    outline; one rerun request to the server for the click (the map frame,
    static/map-frame/frame.js, posts a click at once and only once: counted once the page has
    settled again); the map is neither remounted nor zoomed out, and a filter then restyles
    that same map in place."""
    p = page.page
    sent = _rerun_requests(p)
    p.goto(f"{app_url}/explorer")
    _, handle = map_frame(p)
    # the charts come by themselves after a calm spell (static/js/after-map.js): their
    # buttons' messages must not be counted as the click's
    wait_charts(p)
    wait_idle(p)
    lat, lng = jinjiang_point
    handle.evaluate(f"fjchains.map.setView([{lat}, {lng}], 9, {{animate: false}}); window.__mounted = 'first'")
    before = len(sent)
    click_latlng(p, lat, lng)
    p.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
    wait_idle(p)  # every message the click caused has been sent and answered; the panel's lines too
    assert len(sent) - before == 1, f"{len(sent) - before} rerun requests for one click"
    text = detail_text(p)
    for chain in ("现代纺织服装", "集成电路", "食品"):
        assert chain in text
    assert "泉州市" in text
    p.wait_for_url(re.compile(r"county=350582"), timeout=60_000)
    wait_selected(handle, "350582", timeout=60_000)
    handle = p.query_selector('iframe[title="fjchains.app.map_frame.county_map"]').content_frame()
    assert handle.evaluate("window.__mounted") == "first"
    assert handle.evaluate("fjchains.map.getZoom()") == 9
    p.screenshot(path=ARTIFACTS / "click_jinjiang.png")
    # and a filter change restyles in place too
    box = p.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    box.click()
    p.get_by_role("option", name="食品").click()
    p.keyboard.press("Escape")
    p.get_by_text("符合条件的县（市、区）：16 个").wait_for(timeout=60_000)
    handle.wait_for_function("document.querySelector('path[data-adcode=\"350723\"]').getAttribute('fill') !== '#e6e6e6'",
                             timeout=60_000)
    assert handle.evaluate("window.__mounted") == "first"
    assert handle.evaluate("fjchains.map.getZoom()") == 9
    assert page.external == []
    # a rerun may cancel a request it made obsolete (ERR_ABORTED); anything else is a failure
    assert [f for f in page.failed if "ERR_ABORTED" not in f] == [], page.failed


def test_chain_filter_lists_and_highlights_exactly_its_counties(app_url, page):
    page.page.goto(f"{app_url}/explorer")
    _, handle = map_frame(page.page)
    before = look(handle)
    box = page.page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    box.click()
    page.page.get_by_role("option", name="集成电路").click()
    page.page.keyboard.press("Escape")
    page.page.get_by_text("符合条件的县（市、区）：4 个").wait_for(timeout=60_000)
    wait_idle(page.page)
    listing = page.page.locator(".st-key-matching_counties")
    names = {n.strip() for n in listing.inner_text().split("\n") if n.strip()}  # each a button
    assert names == {"海沧区", "翔安区", "湖里区", "晋江市"}
    wait_restyled(handle, before, timeout=60_000)
    colours = fills(handle)
    highlighted = {a for a, c in colours.items() if c.lower() != "#e6e6e6"}
    assert highlighted == IC_COUNTIES
    assert len(colours) == 84
    page.page.wait_for_url(re.compile(r"chain=integrated_circuits"), timeout=60_000)
    page.page.screenshot(path=ARTIFACTS / "filter_ic.png")


def test_english_switch(app_url, page):
    page.page.goto(f"{app_url}/?county=350582")
    map_frame(page.page)
    page.page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.page.get_by_text("Fujian county key industry chains").first.wait_for(timeout=60_000)
    # the Chinese panel names Jinjiang City too: wait for its chains in English
    page.page.locator(".st-key-detail_panel").get_by_text("Integrated circuits").first.wait_for(timeout=60_000)
    assert "Jinjiang City" in detail_text(page.page)
    page.page.screenshot(path=ARTIFACTS / "english.png")


def test_clicking_a_bar_filters_the_map(app_url, page):
    page.page.goto(f"{app_url}/explorer")
    map_frame(page.page)
    chart = page.page.locator(".st-key-chain_bars")
    chart.locator("g.point path").first.wait_for(state="attached", timeout=60_000)
    wait_idle(page.page)  # the charts came by themselves (static/js/after-map.js): their rerun has ended
    chart.scroll_into_view_if_needed()  # now that nothing above it grows any more
    # the centre of the bar on the row labelled 建材 (building materials)
    x, y = page.page.evaluate("""() => {
        const root = document.querySelector('.st-key-chain_bars');
        const tick = [...root.querySelectorAll('g.ytick text')].find(t => t.textContent.startsWith('建材')).getBoundingClientRect();
        const row = tick.y + tick.height / 2;
        const bar = [...root.querySelectorAll('g.point path')].map(p => p.getBoundingClientRect())
            .find(b => Math.abs(b.y + b.height / 2 - row) < 6);
        return [bar.x + bar.width / 2, bar.y + bar.height / 2]; }""")
    page.page.mouse.click(x, y)
    page.page.get_by_text("符合条件的县（市、区）：4 个").wait_for(timeout=60_000)
    wait_idle(page.page)
    names = {n.strip() for n in page.page.locator(".st-key-matching_counties").inner_text().split("\n") if n.strip()}
    assert names == {"南安市", "漳平市", "三元区", "闽清县"}


def test_laptop_click_on_half_visible_map_selects_the_county_under_the_pointer(app_url, browser):
    """On a 1280x720 screen the map is partly below the fold; the page must not jump mid-click."""
    from fjchains.data.boundaries import load_boundaries

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    p = context.new_page()
    p.goto(f"{app_url}/explorer")
    _, handle = map_frame(p)
    wait_idle(p)
    frame_box = p.query_selector('iframe[title="fjchains.app.map_frame.county_map"]').bounding_box()
    b = load_boundaries()
    candidates = []
    for adcode, geom in zip(b["adcode"], b.geometry):
        inner = geom.buffer(-0.03)
        if inner.is_empty:
            continue
        pt = inner.representative_point()
        x, y = handle.evaluate(f"(() => {{ const q = fjchains.map.latLngToContainerPoint([{pt.y}, {pt.x}]); return [q.x, q.y]; }})()")
        if frame_box["y"] + y < 700:
            candidates.append((frame_box["y"] + y, adcode, x, y))
    _, adcode, x, y = max(candidates)  # the lowest county still on screen
    scroll_before = p.evaluate("document.querySelector('[data-testid=stMain]')?.scrollTop ?? window.scrollY")
    p.frame_locator('iframe[title="fjchains.app.map_frame.county_map"]').first.locator("#map_div").click(position={"x": x, "y": y})
    wait_selected(handle, adcode, timeout=60_000)
    assert p.evaluate("document.querySelector('[data-testid=stMain]')?.scrollTop ?? window.scrollY") == scroll_before
    p.screenshot(path=ARTIFACTS / "laptop_click.png")
    context.close()


def _rerun_requests(page) -> list[int]:
    """Every rerun request the page sends from now on (a BackMsg rerun_script; heartbeats and
    the like are not counted), as a list that grows."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent: list[int] = []

    def frame(payload) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            sent.append(len(payload))

    page.on("websocket", lambda ws: ws.on("framesent", frame))
    return sent


def test_fresh_server_deep_link_runs_through_the_dashboard(browser):
    """A server's very first request is a deep link: sidebar, map and 晋江市 all show
    (fjchains.app.entry's workaround for Streamlit's pages/ folder mode)."""
    from fjchains.core import paths
    from tests.e2e.conftest import Watched, start_app, stop_app

    proc, url = start_app(paths.ROOT / "serve.py")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        p = Watched(context.new_page()).page
        p.goto(f"{url}/explorer?county=350582")
        map_frame(p)
        p.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
        p.locator("[data-testid=stSidebar]").get_by_text("产业链").first.wait_for(timeout=60_000)
        assert "county=350582" in p.url
    finally:
        context.close()
        stop_app(proc)


def test_first_page_sends_the_map_first_then_the_rest_even_when_the_listener_loads_late(app_url, page):
    """Issue 10: a session's first page sends the map alone; once it has drawn, the sidebar's
    filters, the details and the charts follow by themselves. The listener that releases
    them (static/js/after-map.js) comes in an st.html element: here Streamlit's code for
    those elements is held back until the map has drawn, so the "drawn" message goes
    unheard; the listener must then see the drawn map itself."""
    p = page.page
    held = []
    p.route("**/static/js/Html.*.js", lambda route: held.append(route))  # answered once the map has drawn
    p.goto(f"{app_url}/explorer?county=350582", wait_until="commit")
    p.wait_for_selector(MAP_IFRAME, timeout=60_000)
    drawn = p.query_selector(MAP_IFRAME).content_frame()
    drawn.wait_for_function(STYLED, timeout=60_000)
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:  # the request may leave after the map drew
        p.wait_for_timeout(50)
    assert held, "Streamlit's st.html code was not requested: the test holds nothing back"
    assert p.locator(".st-key-show_now_page").count() == 1, "released before the listener came: nothing tested"
    for route in held:
        route.continue_()
    _, handle = map_frame(p)  # also waits for the release button to go
    sidebar = p.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("产业链").first.wait_for(timeout=60_000)
    p.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=60_000)
    p.locator("[data-testid=stPlotlyChart]").first.wait_for(timeout=60_000)
    assert handle.evaluate(STYLED)


# Recorded from the document's start (an init script): the app's visibility when its first
# heading or alert appears, whether the sidebar existed then, and whether the first-paint
# rule still held the app (a running "show anyway" animation means the 3 s fallback showed it).
_WATCH_FIRST_CONTENT = """
window.__fjFirst = null;
new MutationObserver(() => {
  const app = document.querySelector('[data-testid=stAppViewContainer]');
  const content = document.querySelector('[data-testid=stMain] h1, [data-testid=stMain] [data-testid=stAlert]');
  if (window.__fjFirst || !app || !content) return;
  window.__fjFirst = {visibility: getComputedStyle(app).visibility,
                      sidebar: !!document.querySelector('[data-testid=stSidebar]'),
                      heldByRule: app.getAnimations().length > 0};
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


@pytest.mark.parametrize("path", ["/", "/explorer"])
def test_nothing_on_the_page_moves_while_it_loads(app_url, browser, path):
    """Issue 10: the sum of the page's layout shifts, from navigation until the charts have
    come, stays ≤ 0.05. Without the first-paint stylesheet (serve.py) Streamlit drew its
    header full-width and slid the whole page 300 px right when the sidebar opened (0.24)."""
    from benchmarks.common import probe

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        p = context.new_page()
        p.add_init_script(f"({probe('watchShifts')})()")
        p.add_init_script(_WATCH_FIRST_CONTENT)
        p.goto(app_url + path)
        map_frame(p)
        p.locator("[data-testid=stPlotlyChart]").first.wait_for(timeout=60_000)
        wait_idle(p)
        first = p.evaluate("window.__fjFirst")
        assert first == {"visibility": "visible", "sidebar": True, "heldByRule": False}, first
        shifts = p.evaluate(probe("shifts"))
        assert sum(s["value"] for s in shifts) <= 0.05, shifts
    finally:
        context.close()


def test_on_a_phone_the_page_shows_as_soon_as_its_title_comes(app_url, browser):
    """The sidebar is collapsed on a phone but exists: the first-paint rule lets the title show."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        p = context.new_page()
        p.add_init_script(_WATCH_FIRST_CONTENT)
        p.goto(app_url + "/sources")
        p.locator("[data-testid=stMain] h1").first.wait_for(timeout=60_000)
        assert p.evaluate("window.__fjFirst") == {"visibility": "visible", "sidebar": True, "heldByRule": False}
        assert p.title().startswith("福建县域重点产业链")
    finally:
        context.close()


_MAP_TOP = ("(() => { const f = document.querySelector('iframe[title=\"fjchains.app.map_frame.county_map\"]');"
            " const main = document.querySelector('[data-testid=stMain]');"
            " return Math.round(f.getBoundingClientRect().top + (main ? main.scrollTop : 0)); })()")


def test_your_data_map_stays_put_when_the_uploader_arrives(app_url, browser):
    """"Your data" draws its map under the file uploader, whose code may come after the map
    and then grows from a line-high placeholder to its drop zone: its room is held from the
    first frame (static/css/seam-first-paint.css), so the map does not move down when it arrives.
    Here the uploader's code is held back until the map has drawn."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        p = context.new_page()
        held = []
        p.route("**/static/js/FileUploader.*.js", lambda route: held.append(route))  # answered once the map has drawn
        p.goto(f"{app_url}/upload", wait_until="commit")
        p.wait_for_selector(MAP_IFRAME, timeout=60_000)
        p.query_selector(MAP_IFRAME).content_frame().wait_for_function(STYLED, timeout=60_000)
        assert held and not p.locator("[data-testid=stFileUploaderDropzone]").count(), "nothing held back"
        before = p.evaluate(_MAP_TOP)
        for route in held:
            route.continue_()
        p.locator("[data-testid=stFileUploaderDropzone]").wait_for(timeout=60_000)
        wait_idle(p)
        wait_still(p, MAP_IFRAME)
        assert p.evaluate(_MAP_TOP) == before
    finally:
        context.close()


def test_a_page_that_stops_early_still_shows_its_message_at_once(browser, tmp_path):
    """A broken boundary file stops every page with a message before our sidebar (Streamlit
    then shows its own page list there): the first-paint rule must not hold that message
    back until its 3 s fallback."""
    from fjchains.core import paths
    from tests.e2e.conftest import start_app, stop_app

    junk = tmp_path / "approved.geojson"
    junk.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    proc, url = start_app(paths.ROOT / "serve.py", env={paths.BOUNDARIES_ENV: str(junk)})
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        p = context.new_page()
        p.add_init_script(_WATCH_FIRST_CONTENT.replace("childList: true, attributes: true",
                                                       "childList: true, attributes: true, "
                                                       "attributeFilter: ['data-test-script-state']")
                          .replace("if (window.__fjFirst || !app || !content) return;",
                                   "if (window.__fjFirst || !app || !content || document.querySelector("
                                   "'.stApp[data-test-script-state=running]')) return;"))
        p.goto(url + "/")
        p.get_by_text("数据文件有误").first.wait_for(timeout=60_000)
        p.wait_for_function("window.__fjFirst !== null", timeout=60_000)
        first = p.evaluate("window.__fjFirst")
        assert (first["visibility"], first["heldByRule"]) == ("visible", False), first
    finally:
        context.close()
        stop_app(proc)


@pytest.mark.parametrize("path", ["/sources", "/chains"])
def test_a_fresh_servers_first_visitor_on_any_page_gets_that_page(browser, path):
    """Before its first run, Streamlit knows pages only by their files' names under pages/: a
    first visitor of /sources (then pages/data_sources.py) got a "Page not found" dialog."""
    from fjchains.core import paths
    from tests.e2e.conftest import start_app, stop_app
    from tests.e2e.helpers import wait_idle

    proc, url = start_app(paths.ROOT / "serve.py")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        p = context.new_page()
        p.goto(url + path)
        p.locator("[data-testid=stMain] h1").first.wait_for(timeout=60_000)
        wait_idle(p)
        assert not p.get_by_text("Page not found").count()
        assert p.url.endswith(path)
    finally:
        context.close()
        stop_app(proc)


#: Streamlit internals a browser test removes from Streamlit's own bundle (issue 25.3): the text
#: it replaces, and its replacement.
RENAMED = {
    "sidebar test id": ('"data-testid":`stSidebar`', '"data-testid":`stSidebarRenamed`'),
    "key class": ("`st-key-`+", "`st-kee-`+"),
}


@pytest.mark.parametrize("internal", list(RENAMED))
def test_with_a_streamlit_internal_renamed_the_map_a_click_and_a_filter_still_work(
        app_url, page, jinjiang_point, internal):
    """Degrade, never break: as if an upgrade renamed what the seam relies on (the sidebar's
    test id, which the first-paint stylesheet waits for; the st-key- class, by which
    static/js/after-map.js finds the buttons it clicks), a session's first page still draws
    the map, releases its filters by itself, a filter recolours the map and a click selects."""
    old, new = RENAMED[internal]
    replaced = []

    def rename(route):
        response = route.fetch()
        body = response.text()
        replaced.append(body.count(old))
        route.fulfill(response=response, body=body.replace(old, new))

    p = page.page
    p.route(re.compile(r"/static/js/index\.[\w-]+\.js$"), rename)
    p.goto(f"{app_url}/explorer", wait_until="commit")
    p.wait_for_selector(MAP_IFRAME, timeout=60_000)
    assert replaced == [1], f"Streamlit's bundle no longer holds {old!r}: update RENAMED"
    handle = p.query_selector(MAP_IFRAME).content_frame()
    handle.wait_for_function(STYLED, timeout=60_000)
    assert handle.evaluate("document.querySelectorAll('path.leaflet-interactive').length") == 84
    before = look(handle)
    box = p.locator("[data-testid=stMultiSelect]").first  # comes by itself once the map has drawn
    box.wait_for(timeout=60_000)
    wait_idle(p)
    box.click()
    p.get_by_role("option", name="集成电路").click()
    p.keyboard.press("Escape")
    wait_restyled(handle, before, timeout=60_000)
    wait_idle(p)
    handle = p.query_selector(MAP_IFRAME).content_frame()
    assert {a for a, c in fills(handle).items() if c.lower() != "#e6e6e6"} == IC_COUNTIES
    lat, lng = jinjiang_point
    point = handle.evaluate(f"(() => {{ const p = fjchains.map.latLngToContainerPoint([{lat}, {lng}]); "
                            "return [p.x, p.y]; })()")
    p.frame_locator(MAP_IFRAME).first.locator("#map_div").click(position={"x": point[0], "y": point[1]})
    wait_selected(handle, "350582", timeout=60_000)
    p.get_by_role("heading", name="晋江市").first.wait_for(timeout=60_000)


#: Every 200 ms interval the page starts and clears (after-map.js's timer is one), from the start.
_TIMERS = """(() => {
  const made = new Set(), set = window.setInterval, clear = window.clearInterval;
  window.__fjTimers = {made: 0, cleared: 0};
  window.setInterval = function (f, ms, ...rest) {
    const id = set.call(this, f, ms, ...rest);
    if (ms === 200) { made.add(id); window.__fjTimers.made += 1; }
    return id;
  };
  window.clearInterval = function (id) {
    if (made.delete(id)) window.__fjTimers.cleared += 1;
    return clear.call(this, id);
  };
})()"""


def test_after_map_stops_its_timer_once_the_page_is_released(app_url, page):
    """Issue 25.5: the listener that clicks the "show" buttons (static/js/after-map.js) looks
    every 200 ms only until nothing is left to release; a later map (another page) starts it
    again, and it stops again."""
    p = page.page
    p.add_init_script(_TIMERS)
    p.goto(f"{app_url}/explorer")
    map_frame(p)
    wait_charts(p)
    p.wait_for_function("window.__fjTimers.made >= 1 && window.__fjTimers.cleared === window.__fjTimers.made",
                        timeout=60_000)
    p.get_by_role("link", name="概览").first.click()  # another page: its own map draws
    p.wait_for_function("window.__fjTimers.made >= 2", timeout=60_000)
    map_frame(p)
    p.wait_for_function("window.__fjTimers.cleared === window.__fjTimers.made", timeout=60_000)
