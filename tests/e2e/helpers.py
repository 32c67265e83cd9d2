"""Steps a user takes in the dashboard, for the browser tests and the benchmark, and the waits
between them: each on something the page shows or says (an element, a `data-` state, a
settled websocket), never on a length of time."""

from __future__ import annotations

from pathlib import Path

from harness.server import MAP_IFRAME

__all__ = ["CUT_BUTTON_TEXT", "LAPTOP", "MAP_IFRAME", "PHONE", "QUIET_FRAMES", "SIDEBAR_RIGHT", "click_latlng",
           "county_count", "detail_text", "fills", "instrument", "map_frame", "wait_charts", "wait_frames",
           "wait_idle", "wait_still"]

#: The probe wait_idle reads: counts the page's websocket messages (tests/e2e/settle.js).
SETTLE_JS = Path(__file__).with_name("settle.js").read_text(encoding="utf-8")

#: The screens the browser tests use (browser.new_context options): a phone with touch, a laptop.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
#: Where the sidebar's right edge is on the screen (0 or less: closed; about 300 on a phone: open).
SIDEBAR_RIGHT = "document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right"
#: The text of each picture button's label part that is cut (wider than its box).
CUT_BUTTON_TEXT = """[...document.querySelectorAll('[data-testid=stDownloadButton] button')]
  .flatMap(b => [...b.querySelectorAll('p, div, span')].filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent))"""

#: What "settled" means: the signals below hold for this many animation frames in a row. A
#: click's rerun request leaves the page within a frame or two of the click.
QUIET_FRAMES = 5


def map_frame(page):
    """The Leaflet document inside the first map iframe, once its counties are drawn and what
    a session's first page holds back for the map has come (fjchains/app/deferred.py)."""
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    handle = page.query_selector(MAP_IFRAME).content_frame()
    handle.wait_for_function(STYLED, timeout=60_000)
    page.wait_for_function("!document.querySelector('.st-key-show_now_page')", timeout=60_000)
    return frame, handle


def county_count(handle) -> int:
    return handle.evaluate("document.querySelectorAll('path.leaflet-interactive').length")


def click_latlng(page, lat: float, lng: float) -> None:
    """Click the map where Leaflet draws (lat, lng)."""
    _, handle = map_frame(page)
    point = handle.evaluate(f"(() => {{ const p = fjchains.map.latLngToContainerPoint([{lat}, {lng}]); return [p.x, p.y]; }})()")
    page.frame_locator(MAP_IFRAME).first.locator("#map_div").click(position={"x": point[0], "y": point[1]})


#: The map has its colours: the legend comes with the first restyle (static/js/county-layer.js).
STYLED = "!!document.querySelector('.fj-legend')"
#: What the map shows, as one string: every county's fill, opacity and outline, and the legend.
LOOK = """[...document.querySelectorAll('path[data-adcode]')].map((p) => [p.dataset.adcode, p.getAttribute('fill'),
  p.getAttribute('fill-opacity'), p.getAttribute('stroke'), p.getAttribute('stroke-width')].join(' ')).join(';')
  + '|' + (document.querySelector('.fj-legend') || {}).textContent"""


def fills(handle) -> dict[str, str]:
    """Fill colour of each drawn county, by adcode (the county buttons' `data-adcode`, map-access.js)."""
    return handle.evaluate("""Object.fromEntries([...document.querySelectorAll('path[data-adcode]')]
        .map((p) => [p.dataset.adcode, p.getAttribute('fill')]))""")


def look(handle) -> str:
    """What the map shows now (`LOOK`), to wait for a restyle with `wait_restyled`."""
    return handle.evaluate(LOOK)


def wait_restyled(handle, before: str, timeout: float = 30_000) -> None:
    """Wait until the map shows something else than `before` (a `look`): a restyle has arrived."""
    handle.wait_for_function(f"(before) => ({LOOK}) !== before", arg=before, timeout=timeout)


def wait_selected(handle, adcode: str, timeout: float = 30_000) -> None:
    """Wait until the map outlines `adcode` as the selected county (black, 3 px)."""
    handle.wait_for_function("(a) => { const p = document.querySelector(`path[data-adcode=\"${a}\"]`);"
                             " return !!p && p.getAttribute('stroke') === '#000000'; }", arg=adcode, timeout=timeout)


def wait_charts(page, timeout: float = 60_000) -> None:
    """Wait until a map page's charts have all come (static/js/after-map.js releases them once
    the map has drawn) and each has drawn its SVG."""
    page.locator("[data-testid=stPlotlyChart]").first.wait_for(state="attached", timeout=timeout)
    page.wait_for_function("!document.querySelector('[class*=\"st-key-show_seen_\"]') && "
                           "[...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
                           ".every((c) => c.querySelector('svg.main-svg'))", timeout=timeout)


def detail_text(page) -> str:
    return page.locator(".st-key-detail_panel").inner_text(timeout=60_000)


def instrument(context) -> None:
    """Install wait_idle's probe (tests/e2e/settle.js) in every page the context opens from now on."""
    context.add_init_script(script=SETTLE_JS)


# Streamlit's own signals: the app's script state (`data-test-script-state` on stApp, which
# Streamlit's own tests read), its connection state, its status widget and stale elements; and
# the probe's "a message went to the server and no answer came yet". Counted per animation frame.
_IDLE = """(frames) => {
  const s = window.__fjSettle || (window.__fjSettle = {awaiting: false, quiet: 0});
  const app = document.querySelector('[data-testid=stApp]');
  const idle = !!app && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED' && !s.awaiting
    && !document.querySelector('[data-testid=stStatusWidget], [data-stale=true]');
  s.quiet = idle ? (s.quiet || 0) + 1 : 0;
  return s.quiet >= frames;
}"""


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has settled by its own signals: no script run going on or asked
    for (every message the page sent has had an answer), connected, no stale element, for
    QUIET_FRAMES animation frames in a row. In a page without the probe (helpers.instrument)
    a rerun asked for in the last frames may go unseen."""
    page.evaluate("() => { if (window.__fjSettle) window.__fjSettle.quiet = 0; }")
    page.wait_for_function(_IDLE, arg=QUIET_FRAMES, polling="raf", timeout=timeout)


def wait_frames(page, frames: int = 2) -> None:
    """Let the page draw `frames` animation frames (layout and paint after a change)."""
    page.evaluate("(n) => new Promise((done) => { const step = (k) => k ? requestAnimationFrame(() => step(k - 1)) "
                  ": done(); step(n); })", frames)


_STILL = """([selector, frames]) => {
  const w = window.__fjStill = window.__fjStill || {};
  const now = JSON.stringify([...document.querySelectorAll(selector)].map((e) => {
    const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height, e.scrollTop]; }));
  if (w[selector] && w[selector].last === now) w[selector].count += 1; else w[selector] = {last: now, count: 0};
  return w[selector].count >= frames;
}"""


def wait_still(page, selector: str, frames: int = QUIET_FRAMES, timeout: float = 30_000) -> None:
    """Wait until every element matching `selector` keeps its box and scroll position for
    `frames` animation frames in a row (a scroll, a resize or a chart's drawing has ended)."""
    page.evaluate("(s) => { if (window.__fjStill) delete window.__fjStill[s]; }", selector)
    page.wait_for_function(_STILL, arg=[selector, frames], polling="raf", timeout=timeout)
