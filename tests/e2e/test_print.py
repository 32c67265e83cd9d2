"""Printing a page: A4 portrait, the map full width with its legend on page 1, then the
details and the charts, nothing wider than the page (static/css/print.css, static/js/print.js);
no skip links and no county table (a canvas grid, printed as an empty box) on paper. Issue 27:
what a report needs (the whole province in the map, no map buttons, tooltip, pickers or hints,
charts redrawn at the page's width, headings kept with what follows them)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from fjchains.core.i18n import t
from fjchains.core.layout import MAP_HEIGHT
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, map_frame, wait_charts, wait_frames, wait_idle, wait_still

pytestmark = pytest.mark.e2e

A4_WIDTH_MM, MARGIN_MM = 210, 12
PX_PER_MM = 96 / 25.4
CONTENT_WIDTH = (A4_WIDTH_MM - 2 * MARGIN_MM) * PX_PER_MM  # 703 CSS px
CONTENT_HEIGHT = (297 - 2 * MARGIN_MM) * PX_PER_MM  # 1032 CSS px

# Every visible element of the page body whose box reaches past the printed width.
TOO_WIDE = """(limit) => {
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const left = main.getBoundingClientRect().left, out = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right - left > limit + 1) out.push(`${el.tagName}.${el.className.baseVal ?? el.className} ${Math.round(r.right - left)}`);
  }
  return out;
}"""


def _open(page, url: str) -> None:
    page.goto(url)
    map_frame(page)
    wait_idle(page)
    # every chart released (they come by themselves after a calm spell, static/js/after-map.js)
    # and drawn: one that arrives after "beforeprint" is not fitted (a busy machine's
    # clean-clone run printed before the second chart had come)
    wait_charts(page)
    wait_idle(page)
    wait_still(page, "[data-testid=stPlotlyChart], [data-testid=stMain] [data-testid=stVerticalBlock]")


def _map_texts(pdf_page, anchor: str) -> list[tuple[float, float, str]]:
    """The texts Chromium drew in the map's frame, at their place in the frame (CSS pixels):
    those with the transform of the legend's title `anchor`."""
    texts: list[tuple[list[float], list[float], str]] = []
    pdf_page.extract_text(visitor_text=lambda s, cm, tm, *_: texts.append((list(cm), list(tm), s.strip())) if s.strip() else None)
    frame = next((cm for cm, _, s in texts if s.startswith(anchor)), None)
    assert frame is not None, "no legend on page 1: the map did not print"
    return [(tm[4], tm[5], s) for cm, tm, s in texts if cm == frame]


# Rendered boxes of what must not print: the skip links, the county table with its title and
# caption, any data grid. (Fixed skip links off screen still have a box: that is how they printed.)
PRINTED = """(texts) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const out = [...document.querySelectorAll('.fj-skip, .st-key-county_table, [data-testid=stDataFrame]')]
    .filter(shown).map((el) => el.id || el.className || el.dataset.testid);
  for (const el of main.querySelectorAll('[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]'))
    if (texts.some((s) => el.textContent.trim().startsWith(s.slice(0, 10))) && shown(el)) out.push(el.textContent.slice(0, 20));
  return out;
}"""


# The map's frame on paper, its document, and what comes next in the map's column (the notes):
# boxes in page pixels; inside the frame, the legend, scale, attribution and counties in the
# frame's own pixels against its viewport.
MAP_ON_PAPER = """(sel) => {
  const f = document.querySelector(sel), r = f.getBoundingClientRect();
  const room = f.closest('[data-testid=stLayoutWrapper]:has(> [class*=st-key-mapslot_])');
  const next = room.nextElementSibling.getBoundingClientRect();
  const w = f.contentWindow, d = f.contentDocument, bottom = (q) => d.querySelector(q).getBoundingClientRect().bottom;
  const counties = [...d.querySelectorAll('path.leaflet-interactive')].map((p) => p.getBoundingClientRect());
  return {frame: [r.top, r.bottom, r.width, r.height], next: next.top, room: room.getBoundingClientRect().bottom,
          inner: [w.innerWidth, w.innerHeight], map: [w.fjchains.map.getSize().x, w.fjchains.map.getSize().y],
          controls: ['.fj-legend', '.leaflet-control-scale', '.leaflet-control-attribution'].map(bottom),
          counties: [Math.min(...counties.map((b) => b.left)), Math.min(...counties.map((b) => b.top)),
                     Math.max(...counties.map((b) => b.right)), Math.max(...counties.map((b) => b.bottom))]};
}"""


# The map's zoom and centre in pixels at that zoom (the printed map shows the whole province, the
# screen's view comes back; each resize of the frame may round its centre by a pixel).
VIEW = """(sel) => { const m = document.querySelector(sel).contentWindow.fjchains.map, c = m.project(m.getCenter());
  return [m.getZoom(), c.x, c.y]; }"""

# What print media shows of the map and the charts (issue 27): each chart's drawn size; the map's
# box in the frame and the box of all its counties; the map's buttons and tooltips on view; what
# the pointer hovers in the map (a legend class moved under it outlined its counties on paper).
ON_PAPER = """(sel) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const charts = [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')].map((g) => {
    const r = g.querySelector('svg.main-svg').getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
  const d = document.querySelector(sel).contentDocument, box = d.querySelector('#map_div').getBoundingClientRect();
  const counties = [...d.querySelectorAll('path.leaflet-interactive')].map((p) => p.getBoundingClientRect());
  return {charts, box: [box.left, box.top, box.right, box.bottom],
          counties: [Math.min(...counties.map((b) => b.left)), Math.min(...counties.map((b) => b.top)),
                     Math.max(...counties.map((b) => b.right)), Math.max(...counties.map((b) => b.bottom))],
          buttons: [...d.querySelectorAll('.leaflet-control-zoom, .fj-reset, .leaflet-tooltip, .fj-legend .fj-hint')].filter(shown).map((e) => e.className),
          hovered: [...d.querySelectorAll('path:hover, button:hover')].map((e) => e.className.baseVal ?? e.className)};
}"""

# Pickers and hints on view in the page (print media hides them): the inputs' labels, and any
# element whose own text starts with one of `hints`. (The matching counties' names, buttons
# that select a county, print: they are the list of what the map shows.)
PICKERS_AND_HINTS = """(hints) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const main = document.querySelector('[data-testid=stMain]');
  const out = [...main.querySelectorAll('input, [role=combobox], [data-testid=stRadio], [data-testid=stPopover] button')]
    .filter(shown).map((el) => `${el.tagName} ${el.getAttribute('aria-label') || el.type || ''}`);
  for (const el of main.querySelectorAll('p, div, span'))
    if (el.childElementCount === 0 && hints.some((h) => el.textContent.trim().startsWith(h)) && shown(el)) out.push(el.textContent.slice(0, 20));
  return out;
}"""

# The headings that print (less any text a chart also draws, as a chart's legend "食品" is the
# chains page's heading too).
HEADINGS = """() => {
  const drawn = new Set([...document.querySelectorAll('.js-plotly-plot text')].map((t) => t.textContent.trim()));
  return [...document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3')]
    .filter((h) => h.getClientRects().length > 0).map((h) => h.textContent.trim()).filter((h) => h && !drawn.has(h));
}"""

HINTS = [t(key, "zh", n=4)[:12] for key in ("click_hint", "chart_select_hint", "heatmap_hint", "cmp_need_two",
                                            "chain_pick_hint")]
#: The pages printed: the explorer with a county chosen, so its details print too.
PAGES = {"overview": "", "explorer": "/explorer?chain=food&county=350582", "chains": "/chains?chain=food"}
#: The title of each page's map legend, as the PDF's text has it.
LEGEND_TITLE = {"overview": "《意见》点名的产业链数", "explorer": "所选产业链"}


def _hover_a_county(p) -> None:
    """A tooltip left open by the last hover (it printed over the map)."""
    frame = p.frame_locator(MAP_IFRAME).first
    frame.locator("path.leaflet-interactive").nth(40).hover()
    frame.locator(".leaflet-tooltip").first.wait_for(state="visible", timeout=60_000)


def _pngs(pdf_path) -> None:
    """The PDF's pages as PNG beside it, to look at (poppler-utils' pdftoppm, scripts/install_browser.sh)."""
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(pdf_path.with_suffix(""))], check=True)


@pytest.mark.parametrize("name", list(PAGES))
def test_printed_page_is_fit_for_a_report(app_url, page, name):
    """Printed as a browser prints ("beforeprint", then print media), each page is loaded once
    and checked for all a report needs:
    - nothing wider than A4, the sidebar gone; the map spans the page and ends on page 1, then
      the details, then the charts;
    - the whole province in the map's box with its legend, and no zoom or reset buttons nor a
      stale tooltip; the frame drawn at its printed size and in the room kept for it (it was
      narrower on screen), so its legend, scale and "Leaflet | …" line print inside it, not
      over the notes under the map;
    - each chart redrawn at the page's width and readable (a CSS zoom fighting Plotly's resize
      shrank them to a line); no picker, hint, skip link or county table (a canvas grid prints
      as an empty box), while the matching counties still print as text;
    - in the PDF: A4 portrait, the map and its legend on page 1, no page ending in a heading;
    - back on screen ("afterprint"), the screen's view and address as they were."""
    p = page.page
    _open(p, f"{app_url}{PAGES[name]}")
    _hover_a_county(p)
    # on screen, first: each check below can fail
    screen = p.evaluate(ON_PAPER, MAP_IFRAME)
    assert screen["buttons"] and screen["hovered"] and p.evaluate(PICKERS_AND_HINTS, HINTS), screen
    assert p.evaluate(TOO_WIDE, CONTENT_WIDTH), "the screen layout is wider than A4"
    on_screen = p.evaluate(MAP_ON_PAPER, MAP_IFRAME)
    assert on_screen["frame"][2] < 0.9 * CONTENT_WIDTH, on_screen  # the map's column is narrower than the paper
    not_printed = [t("ct_title", "zh", n=16), t("ct_caption", "zh")]
    if name == "explorer":
        shown = p.evaluate(PRINTED, not_printed)
        assert {"fj-skip-table", "fj-skip-detail"} <= set(shown) and len(shown) >= 6, shown
    view, address = p.evaluate(VIEW, MAP_IFRAME), p.url

    p.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser does when printing
    p.emulate_media(media="print")
    for _ in range(2):  # as printed, and still so a few frames later (Plotly's resize does not undo it)
        m = p.evaluate(ON_PAPER, MAP_IFRAME)
        assert m["charts"] and all(w >= 0.95 * CONTENT_WIDTH and h >= 200 for w, h in m["charts"]), m
        left, top, right, bottom = m["box"]
        c_left, c_top, c_right, c_bottom = m["counties"]
        assert left <= c_left and top <= c_top and c_right <= right and c_bottom <= bottom, m  # the whole province
        assert right - left >= 0.95 * CONTENT_WIDTH, m
        assert m["buttons"] == [] and m["hovered"] == [], m  # no zoom or reset button, tooltip, legend hint or hover
        assert p.evaluate(PICKERS_AND_HINTS, HINTS) == []
        wait_frames(p, 10)
    assert p.evaluate(TOO_WIDE, CONTENT_WIDTH) == []
    assert p.locator("[data-testid=stSidebar]").is_hidden()
    m = p.evaluate(MAP_ON_PAPER, MAP_IFRAME)
    top, bottom, width, height = m["frame"]
    assert abs(width - CONTENT_WIDTH) < 2, m  # the map spans the page
    assert m["inner"] == [round(width), round(height)] == m["map"], m  # drawn at its printed size, not scaled
    assert bottom <= m["room"] + 1 and bottom <= m["next"], m  # the notes start under the frame
    assert all(c <= m["inner"][1] + 0.5 for c in m["controls"]), m  # legend, scale, credit inside the frame
    left, ctop, right, cbottom = m["counties"]
    assert left >= 0 and ctop >= 0 and right <= m["inner"][0] and cbottom <= m["inner"][1], m  # every county
    main = p.locator("[data-testid=stMainBlockContainer]").bounding_box()
    assert bottom - main["y"] < CONTENT_HEIGHT  # the map ends on page 1
    chart = p.locator("[data-testid=stPlotlyChart]").first.bounding_box()
    assert bottom <= chart["y"], (m, chart)  # the charts after the map
    if name == "explorer":
        detail = p.locator(".st-key-detail_panel").bounding_box()
        assert bottom <= detail["y"] <= chart["y"], (m, detail, chart)  # map, then details, then charts
        assert p.evaluate(PRINTED, not_printed) == []
        assert p.get_by_text(t("matching", "zh", n=16)).is_visible()  # the matching counties print, as text

    headings = p.evaluate(HEADINGS)
    pdf = p.pdf(format="A4")
    path = ARTIFACTS / f"print_report_{name}.pdf"
    path.write_bytes(pdf)
    _pngs(path)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    assert abs(float(first.mediabox.width) - 595) < 2 and abs(float(first.mediabox.height) - 842) < 2  # A4 portrait
    first_text = first.extract_text()
    assert "100 km" in first_text and "未点名" in first_text  # the map and its legend on page 1
    everything = "".join(pg.extract_text() for pg in reader.pages)
    assert "语言 / Language" not in everything  # no sidebar
    flat = "".join(everything.split())
    for key in ("skip_to_table", "skip_to_detail", "ct_caption"):  # skip links; the table's caption
        assert "".join(t(key, "zh").split())[:10] not in flat, key
    if name in LEGEND_TITLE:
        # the legend, scale and "Leaflet | …" line print inside the map's frame, not over the
        # notes under it: in the frame's own pixels (its texts share the legend title's
        # transform) they sit within the map's height and the page's width
        in_frame = _map_texts(first, LEGEND_TITLE[name])
        for start in (LEGEND_TITLE[name], "未点名", "Leaflet", "100 km"):
            found = [(x, y) for x, y, s in in_frame if s.startswith(start)]
            assert found and all(0 <= x < CONTENT_WIDTH and 0 < y <= MAP_HEIGHT for x, y in found), (start, in_frame)
        for label in ("福州市", "宁德市"):  # first and last bar of the prefecture chart: not cut off
            assert label in everything
        assert len(reader.pages) <= 4
    for number, pdf_page in enumerate(reader.pages[:-1], start=1):
        lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, (number, lines[-3:])  # a heading is not left alone

    p.emulate_media(media="screen")
    p.evaluate("window.dispatchEvent(new Event('afterprint'))")
    # back as it was (Streamlit may resize the frame to its column a moment later: wait for it)
    p.wait_for_function("([sel, w, h]) => { const f = document.querySelector(sel), r = f.getBoundingClientRect(),"
                        " s = f.contentWindow.fjchains.map.getSize(); return r.width === w && s.x === w && s.y === h; }",
                        arg=[MAP_IFRAME, on_screen["frame"][2], on_screen["map"][1]], timeout=60_000)
    zoom, x, y = p.evaluate(VIEW, MAP_IFRAME)
    assert zoom == view[0] and abs(x - view[1]) <= 2 and abs(y - view[2]) <= 2, (view, zoom, x, y)  # the screen's view
    assert p.url == address  # and the address as it was
