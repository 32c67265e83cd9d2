"""Steps a user takes in the dashboard, for the browser tests and the benchmark."""

from __future__ import annotations

from harness.server import MAP_IFRAME

__all__ = ["MAP_IFRAME", "click_latlng", "county_count", "detail_text", "fills", "map_frame", "wait_idle"]


def map_frame(page):
    """The Leaflet document inside the first map iframe, once its counties are drawn and what
    a session's first page holds back for the map has come (fjchains/app/deferred.py)."""
    page.wait_for_selector(MAP_IFRAME, timeout=30_000)
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=30_000)
    handle = page.query_selector(MAP_IFRAME).content_frame()
    handle.wait_for_function("document.body.dataset.fjApplied >= 1", timeout=30_000)
    page.wait_for_function("!document.querySelector('.st-key-show_now_page')", timeout=30_000)
    return frame, handle


def county_count(handle) -> int:
    return handle.evaluate("document.querySelectorAll('path.leaflet-interactive').length")


def click_latlng(page, lat: float, lng: float) -> None:
    """Click the map where Leaflet draws (lat, lng)."""
    _, handle = map_frame(page)
    point = handle.evaluate(f"(() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lng}]); return [p.x, p.y]; }})()")
    page.frame_locator(MAP_IFRAME).first.locator("#map_div").click(position={"x": point[0], "y": point[1]})


def fills(handle) -> dict[str, str]:
    """Fill colour of each drawn county, by adcode."""
    return handle.evaluate("""(() => { const out = {};
        window.fjState.counties.eachLayer(l => { out[l.feature.properties.adcode] = l.options.fillColor; });
        return out; })()""")


def detail_text(page) -> str:
    return page.locator(".st-key-detail_panel").inner_text(timeout=30_000)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the rerun: no running widget, no stale elements."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=stStatusWidget]') && "
        "!document.querySelector('[data-stale=true]')", timeout=timeout)
