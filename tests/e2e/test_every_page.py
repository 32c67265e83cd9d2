"""Every page, walked once on a phone in English and once on a laptop in Chinese, each with its
map, county table and charts drawn (and on the upload page, a file loaded). On each page:

- it neither scrolls sideways nor runs past the screen's right edge (issue 11);
- it speaks the interface language only, outside names, quotes and source titles: the main
  area, the sidebar, the charts' SVG text, and inside the map's frame its legend, attribution
  and every county's tooltip lines (issue 12, part 4); `<html lang>` says that language, in
  the page and in the map's frame (issue 27.7);
- on the overview, zoomed in so the county names show and with the sidebar open, no control a
  keyboard or a screen reader can reach sits under aria-hidden (issue 27.7);
- on the first page, as it first shows: its 84 counties; the six headline figures two a line
  on a phone and in one line on a laptop, and a good part of the map on the first screen; on a
  phone the sidebar closed, the map about full width, one finger scrolling the page (the
  gesture hint in the page's language); on a laptop no "Done" button;
- on the chains page, the picture buttons show their whole label (the ZIP one was cut);
- and nothing on any page came from outside localhost or failed to load (it works offline).

One walk per screen and language (there were four sweeps, one per check, and each loaded its
pages anew). The phone walk is in English, the longer language on the narrower
screen. Data tables are drawn on a canvas, so their cells are checked without a browser
(tests/test_language.py); the pages under the proxy's Content-Security-Policy are
tests/hostile/test_proxy.py's. Screenshots and each page's text: tests/artifacts/every-page/.
"""

from __future__ import annotations

import pytest

from fjchains.core.i18n import t
from fjchains.data.tables import load_tables
from tests.e2e.conftest import ARTIFACTS, Watched
from tests.e2e.helpers import (
    CUT_BUTTON_TEXT,
    LAPTOP,
    MAP_IFRAME,
    PHONE,
    SIDEBAR_RIGHT,
    county_count,
    map_frame,
    wait_charts,
    wait_idle,
    wait_still,
)
from tests.language import foreign_text, proper_names

pytestmark = pytest.mark.e2e

FUAN, JINJIANG = "350981", "350582"
#: Each page's address (after ?lang=..&): a chain and a county chosen, so filters, details
#: and lists show their text too.
PAGES = {
    "overview": f"?chain=lithium_battery&county={FUAN}",
    "explorer": f"explorer?county={JINJIANG}",
    "chains": f"chains?chain=food&county={JINJIANG}",
    "upload": f"upload?county={JINJIANG}",
    "sources": "sources",
}
MAP_PAGES = ("overview", "explorer", "chains")  # the pages with charts
UPLOAD_NAME, UPLOAD_COLUMN = "county_gdp.csv", "GDP"
OUT = ARTIFACTS / "every-page"

# What reaches past the screen's right edge: the page's sideways scroll, and every visible
# element of the main area whose box ends right of the screen (outside boxes that scroll
# sideways by design: data grids, and the skip links kept off screen until focused).
PAST_THE_EDGE = """() => {
  const out = [], edge = window.innerWidth + 1;
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    if (el.closest('[data-testid=stDataFrame], .fj-skip')) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.right > edge && getComputedStyle(el).visibility !== 'hidden')
      out.push(`${el.tagName}.${el.className.baseVal ?? el.className} ${Math.round(r.right)}`);
  }
  return {scroll: document.documentElement.scrollWidth - window.innerWidth, cut: out.slice(0, 5)};
}"""

#: Every control a keyboard or a screen reader can reach that sits under aria-hidden, in the page
#: and in the map's frame.
HIDDEN_CONTROLS = """() => {
  const controls = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [role=button]';
  const docs = [document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument).filter(Boolean)];
  return docs.flatMap((d) => [...d.querySelectorAll(controls)]).filter((e) => e.closest('[aria-hidden=true]'))
    .map((e) => `${e.tagName} ${(e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 30)}`);
}"""

# What a reader sees, as text. Material icons are drawn from a ligature font: their text
# ("add", "upload") is a picture; text in a box of 1 px or less is for screen readers only
# (Streamlit's "add icon"). Both are hidden while the text is read, then shown again.
GATHER = """() => { const out = [...document.querySelectorAll('[data-testid=stIconMaterial]')];
  document.querySelectorAll('span, div').forEach(e => { const r = e.getBoundingClientRect();
    if (e.children.length === 0 && e.textContent.trim() && r.width <= 1 && r.height <= 1) out.push(e); });
  const before = out.map((e) => e.style.display);
  out.forEach((e) => { e.style.display = 'none'; });
  const text = [document.querySelector('[data-testid=stSidebar]')?.innerText || '',
    document.querySelector('[data-testid=stMain]')?.innerText || '',
    ...[...document.querySelectorAll('.main-svg text')].map(e => e.textContent)].join('\\n');
  out.forEach((e, i) => { e.style.display = before[i]; });
  return text; }"""
# the map's visible text and every county's name for screen readers (its tooltip lines: map-access.js)
MAP_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('path[aria-label]')].map((p) => p.getAttribute('aria-label'))].join('\\n')"""

#: Each headline figure's top edge: six figures, two a line on a phone (3 lines), one line on a laptop.
HEADLINE_TOPS = """[...document.querySelectorAll('.st-key-kpi_row [data-testid=stMetric]')]
  .map(m => Math.round(m.getBoundingClientRect().top))"""


@pytest.fixture(scope="module")
def names():
    return proper_names(load_tables())


@pytest.fixture(scope="module")
def upload_file(tmp_path_factory):
    """A GDP-like column in yuan (1e9 to 1e11), so big numbers meet each language's format."""
    counties = load_tables().counties
    lines = ["adcode,GDP"] + [f"{a},{(i + 1) * 1.37e9:.0f}" for i, a in enumerate(counties["adcode"])]
    path = tmp_path_factory.mktemp("lang") / UPLOAD_NAME
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _open_sidebar(page) -> None:
    """On a phone the sidebar starts closed: open it as a finger does."""
    page.locator("[data-testid=stExpandSidebarButton]").tap()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} >= 290", timeout=60_000)


def _close_sidebar(page) -> None:
    """... and close it with the sidebar's own button, as the next page would open with it."""
    done = page.locator("#fj-sidebar-done")
    done.scroll_into_view_if_needed()
    done.tap()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} <= 10", timeout=60_000)


def _first_screen(page, handle, phone: bool, lang: str) -> dict:
    """What the first page shows as it first comes, before anything is opened or zoomed."""
    found: dict = {}
    screen = page.viewport_size
    if county_count(handle) != 84:
        found["counties on the map"] = county_count(handle)
    tops = page.evaluate(HEADLINE_TOPS)
    if len(tops) != 6 or len(set(tops)) != (3 if phone else 1):
        found["headline figures' lines (two a line on a phone, one line on a laptop)"] = tops
    frame = page.locator(MAP_IFRAME).first.bounding_box()
    if frame is None or frame["y"] + 200 >= screen["height"]:
        found["map on the first screen"] = frame
    if phone:
        sidebar = page.locator("[data-testid=stSidebar]")
        box = sidebar.bounding_box()
        if not (sidebar.get_attribute("aria-expanded") == "false" or box is None or box["x"] + box["width"] <= 0):
            found["sidebar closed on a phone's first page"] = box
        if frame is None or frame["width"] < 340:
            found["map about full width on a phone"] = frame
        hint = handle.evaluate("document.querySelector('#map_div').dataset.gestureHandlingTouchContent")
        if hint != t("map_touch", lang):  # one finger scrolls the page; a touch shows this hint
            found["one-finger hint"] = hint
        if handle.locator(".fj-reset a").count() != 1:
            found["the map's reset control"] = handle.locator(".fj-reset a").count()
    else:
        done = page.locator("#fj-sidebar-done")
        if done.count() != 1 or done.is_visible():
            found["a Done button on a laptop"] = done.count()
    return found


def _visit(page, url: str, name: str, lang: str, upload_file) -> tuple[object, dict]:
    """Open one page and wait until all it shows has come; returns the map frame (or None) and
    what the screen checks found."""
    page.goto(url)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=90_000)
    if name == "upload":
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload_file))
        page.locator(".st-key-detail_values").wait_for(timeout=60_000)
    handle = None
    if name != "sources":
        page.locator(MAP_IFRAME).first.wait_for(state="visible", timeout=90_000)
        _, handle = map_frame(page)
    if name in MAP_PAGES:
        page.locator(".st-key-county_table td").first.wait_for(state="attached", timeout=60_000)
        wait_charts(page)
    wait_idle(page)
    wait_still(page, "[data-testid=stMain] [data-testid=stVerticalBlock]")
    found: dict = {}
    edge = page.evaluate(PAST_THE_EDGE)
    if edge["scroll"] > 1 or edge["cut"]:
        found["past the right edge"] = edge
    langs = [page.evaluate("document.documentElement.lang")]
    if handle is not None:
        langs.append(handle.evaluate("document.documentElement.lang"))
    if set(langs) != {lang}:
        found["<html lang> (page, map)"] = langs
    return handle, found


@pytest.mark.parametrize(("screen", "lang"), [(PHONE, "en"), (LAPTOP, "zh")], ids=["phone-en", "laptop-zh"])
def test_every_page_fits_the_screen_speaks_its_language_and_hides_no_control(
        browser, app_url, names, upload_file, screen, lang):
    phone = screen is PHONE
    size = "{width}x{height}".format(**screen["viewport"])
    context = browser.new_context(**screen)
    watched = Watched(context.new_page())
    page = watched.page
    OUT.mkdir(parents=True, exist_ok=True)
    problems: dict[str, object] = {}
    try:
        for name, path in PAGES.items():
            sep = "&" if "?" in path else "?"
            handle, found = _visit(page, f"{app_url}/{path}{sep}lang={lang}", name, lang, upload_file)
            page.screenshot(path=str(OUT / f"{size}-{lang}-{name}.png"))
            if name == "overview":
                found.update(_first_screen(page, handle, phone, lang))
                # then the county names shown too, and on a phone the sidebar open
                handle.evaluate("fjchains.map.setView([26.9, 119.6], 9, {animate: false})")
                handle.wait_for_function("document.querySelectorAll('.fj-name').length > 0", timeout=60_000)
                if phone:
                    _open_sidebar(page)
                hidden = page.evaluate(HIDDEN_CONTROLS)
                if hidden:
                    found["controls under aria-hidden"] = hidden
                if page.locator("#fj-sidebar-done").get_attribute("aria-hidden") is not None:
                    found["controls under aria-hidden"] = [*hidden, "the sidebar's done button"]
            elif phone:  # the sidebar's text is read too
                _open_sidebar(page)
            if name == "chains" and not phone:
                cut = page.evaluate(CUT_BUTTON_TEXT)
                if cut or page.locator("[data-testid=stDownloadButton] button").count() < 3:
                    found["picture buttons' labels cut, or fewer than three"] = cut
            if page.locator("[data-testid=stException]").count():
                found["exception"] = page.locator("[data-testid=stException]").first.inner_text()
            text = page.evaluate(GATHER) + ("\n" + handle.evaluate(MAP_TEXT) if handle is not None else "")
            (OUT / f"{size}-{lang}-{name}.txt").write_text(text, encoding="utf-8")
            if phone:
                _close_sidebar(page)
            if name == "upload" and UPLOAD_COLUMN not in text:
                pytest.fail("the uploaded column is not on the page: the walk did not load the file")
            foreign = foreign_text(text.replace(UPLOAD_NAME, " "), lang, names)
            if foreign:
                found["the other language"] = foreign
            for check, what in found.items():
                problems[f"{name}: {check}"] = what
        if watched.external or watched.failed:
            problems["requests outside localhost, or failed"] = watched.external + watched.failed
    finally:
        context.close()
    assert not problems, "\n".join(f"[{k}] {v}" for k, v in problems.items())
