"""Names where people look (issue 27.4): the filtered counties listed beside the overview's map,
county names on the map once zoomed in (never one over another, nor under the legend), and a legend whose classes
outline their counties on hover or focus and show them alone on a click or Enter/Space.
Screenshots: tests/artifacts/names-*.png."""

from __future__ import annotations

from functools import cache

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import LAPTOP, MAP_IFRAME, click_latlng, map_frame, wait_idle, wait_selected, wait_still

pytestmark = pytest.mark.e2e

LITHIUM = {"350122", "350205", "350212", "350213", "350823", "350902", "350921", "350981", "350982"}
FUAN, XIAPU = "350981", "350921"

#: Every county name the map shows now: its text and its box in the frame.
SHOWN_NAMES = """[...document.querySelectorAll('.fj-name')].filter((e) => getComputedStyle(e).visibility !== 'hidden')
  .map((e) => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""
#: The legend's box in the frame, as a SHOWN_NAMES entry.
LEGEND_BOX = """(() => { const r = document.querySelector('.fj-legend').getBoundingClientRect();
  return ['legend', r.left, r.top, r.right, r.bottom]; })()"""
#: Each county's outline colour and fill opacity, by adcode.
LOOKS = """Object.fromEntries([...document.querySelectorAll('path[data-adcode]')].map((p) =>
  [p.dataset.adcode, [p.getAttribute('stroke'), p.getAttribute('fill-opacity')]]))"""


@cache
def _inner_points() -> dict[str, list[float]]:
    """The point inside each county the map also knows (fjchains.geo.maps.inner_points)."""
    from fjchains.data.boundaries import load_boundaries
    from fjchains.geo.maps import inner_points

    return inner_points(load_boundaries())


@pytest.fixture
def laptop(browser):
    context = browser.new_context(**LAPTOP)
    yield context.new_page()
    context.close()


def _overlapping(names: list) -> list:
    return [(a[0], b[0]) for i, a in enumerate(names) for b in names[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_overview_lists_the_filtered_counties_beside_the_map_and_a_name_selects_its_county(app_url, laptop):
    page = laptop
    page.goto(f"{app_url}/?chain=lithium_battery")
    _, handle = map_frame(page)
    listing = page.locator(".st-key-matching_counties")
    listing.get_by_role("radio", name="福安市").wait_for(timeout=30_000)  # one choice among the names
    wait_idle(page)
    assert page.get_by_text("符合条件的县（市、区）：9 个").is_visible()
    names = listing.get_by_role("radio").all_inner_texts()
    assert sorted(names) == sorted(["连江县", "海沧区", "同安区", "翔安区", "上杭县", "蕉城区", "霞浦县", "福安市", "福鼎市"])
    box, frame = listing.bounding_box(), page.locator(MAP_IFRAME).first.bounding_box()
    assert box["x"] >= frame["x"] + frame["width"] and box["y"] < 768  # beside the map, on the first screen
    page.screenshot(path=str(ARTIFACTS / "names-overview-list.png"))
    listing.get_by_role("radio", name="福安市").click()
    page.locator(".st-key-detail_panel").get_by_text("福安市").first.wait_for(timeout=30_000)
    wait_selected(handle, FUAN)
    page.wait_for_function(f"location.search.includes('county={FUAN}')", timeout=30_000)
    assert listing.get_by_role("radio", name="福安市").get_attribute("aria-checked") == "true"
    # a county chosen elsewhere (the map) moves the choice there
    click_latlng(page, *_inner_points()[XIAPU])
    wait_selected(handle, XIAPU)
    wait_idle(page)
    assert listing.get_by_role("radio", name="霞浦县").get_attribute("aria-checked") == "true"
    assert listing.get_by_role("radio", name="福安市").get_attribute("aria-checked") == "false"


def test_overview_without_a_filter_keeps_the_details_beside_the_map(app_url, laptop):
    page = laptop
    page.goto(f"{app_url}/")
    map_frame(page)
    page.locator(".st-key-detail_section").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(".st-key-matching_counties").count() == 0


def test_zoomed_in_map_names_its_counties_and_no_name_covers_another(app_url, laptop):
    page = laptop
    page.goto(f"{app_url}/explorer?z=8&ll=25.0,118.4")
    _, handle = map_frame(page)
    wait_idle(page)
    handle.wait_for_function("fjchains.map.getZoom() === 8", timeout=10_000)
    zoom_in = handle.locator(".leaflet-control-zoom-in")
    for zoom in (8, 9, 10):
        if zoom > 8:
            # the map has stopped moving: Leaflet's zoom answers the new level while the zoom is
            # still animating (names and legend mid-way); its moveend comes when the zoom is done
            handle.evaluate("window.__fjMoved = false; fjchains.map.once('moveend', () => { window.__fjMoved = true; })")
            zoom_in.click()
            handle.wait_for_function("(z) => window.__fjMoved && fjchains.map.getZoom() === z", arg=zoom, timeout=10_000)
        wait_still(page, MAP_IFRAME)
        handle.wait_for_function(f"({SHOWN_NAMES}).length > 0", timeout=10_000)
        shown = handle.evaluate(SHOWN_NAMES)
        assert _overlapping(shown) == [], (zoom, _overlapping(shown))
        under_legend = [name for first, name in _overlapping([handle.evaluate(LEGEND_BOX), *shown]) if first == "legend"]
        assert under_legend == [], (zoom, under_legend)
        page.screenshot(path=str(ARTIFACTS / f"names-zoom-{zoom}.png"))
        if zoom == 9:
            assert {"晋江市", "南安市", "惠安县"} <= {n[0] for n in shown}
    # back to the province: no names over the colours
    handle.locator(".fj-reset a").click()
    handle.wait_for_function(f"fjchains.map.getZoom() < 8 && ({SHOWN_NAMES}).length === 0", timeout=10_000)


def test_zoomed_in_names_follow_the_interface_language(app_url, laptop):
    page = laptop
    page.goto(f"{app_url}/explorer?lang=en&z=9&ll=24.85,118.55")
    _, handle = map_frame(page)
    handle.wait_for_function(f"({SHOWN_NAMES}).some((n) => n[0] === 'Jinjiang City')", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "names-zoom-9-en.png"))


def test_legend_class_outlines_its_counties_on_hover_or_focus_and_shows_them_alone_on_click_or_enter(app_url, laptop):
    page = laptop
    page.goto(f"{app_url}/?chain=lithium_battery")
    _, handle = map_frame(page)
    wait_idle(page)
    item = handle.locator(".fj-legend").get_by_role("button", name="锂电新能源")
    item.hover()
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['{FUAN}'][0] === '#0b57d0'; }})()", timeout=10_000)
    looks = handle.evaluate(LOOKS)
    assert {a for a, (stroke, _) in looks.items() if stroke == "#0b57d0"} == LITHIUM
    page.screenshot(path=str(ARTIFACTS / "names-legend-hover.png"))
    item.click()
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['350582'][1] === '0.15'; }})()", timeout=10_000)
    looks = handle.evaluate(LOOKS)
    assert {a for a, (_, opacity) in looks.items() if opacity == "0.88"} == LITHIUM
    assert item.get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(ARTIFACTS / "names-legend-alone.png"))
    page.mouse.move(5, 5)  # away from the legend: the outlines go, the choice stays
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['{FUAN}'][0] === '#ffffff'; }})()", timeout=10_000)
    assert handle.evaluate(LOOKS)["350582"][1] == "0.15"
    item.click()  # a second click: every class again
    handle.wait_for_function(f"Object.values({LOOKS}).every((l) => l[1] === '0.88')", timeout=10_000)
    assert item.get_attribute("aria-pressed") == "false"
    assert "county=" not in page.url  # the map's display only: nothing chosen, no filter changed
    assert "只改本图" in handle.locator(".fj-legend").inner_text()  # the legend says so

    # the classes are buttons for the keyboard too
    item = handle.locator(".fj-legend").get_by_role("button", name="未点名")
    item.focus()  # focus outlines the class, as hover does
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['350582'][0] === '#0b57d0'; }})()", timeout=10_000)
    page.keyboard.press("Enter")
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['{FUAN}'][1] === '0.15'; }})()", timeout=10_000)
    assert handle.evaluate(LOOKS)["350582"][1] == "0.88"
    page.keyboard.press("Space")
    handle.wait_for_function(f"Object.values({LOOKS}).every((l) => l[1] === '0.88')", timeout=10_000)
    page.keyboard.press("Tab")  # on to the next control: the outline goes
    handle.wait_for_function(f"(() => {{ const l = {LOOKS}; return l['350582'][0] === '#ffffff'; }})()", timeout=10_000)
