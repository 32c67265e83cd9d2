"""One language at a time: every page, in each language, shows no text of the other language
outside names, quotes and source titles (issue 12, part 4).

Reads what a reader sees: the page's text (main area and sidebar), the Plotly charts' SVG
text, and inside the map's iframe the legend, the attribution and every county's tooltip
lines. Data tables are drawn on a canvas, so their cells are checked without a browser
(tests/test_language.py).
"""

from __future__ import annotations

import pytest

from fjchains.data.tables import load_tables
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, map_frame, wait_charts, wait_idle, wait_still
from tests.language import foreign_text, proper_names

pytestmark = pytest.mark.e2e

PAGES = ("", "explorer", "chains", "upload", "sources")
MAP_PAGES = ("", "explorer", "chains")  # the pages with charts
UPLOAD_NAME, UPLOAD_COLUMN = "county_gdp.csv", "GDP"

# Material icons are drawn from a ligature font: their text ("add", "upload") is a picture;
# text in a box of 1 px or less is for screen readers only (Streamlit's "add icon").
GATHER = """() => { document.querySelectorAll('[data-testid=stIconMaterial]').forEach(e => e.remove());
  document.querySelectorAll('span, div').forEach(e => { const r = e.getBoundingClientRect();
    if (e.children.length === 0 && e.textContent.trim() && r.width <= 1 && r.height <= 1) e.remove(); });
  return [document.querySelector('[data-testid=stSidebar]')?.innerText || '',
  document.querySelector('[data-testid=stMain]')?.innerText || '',
  ...[...document.querySelectorAll('.main-svg text')].map(e => e.textContent)].join('\\n'); }"""
# the map's visible text and every county's name for screen readers (its tooltip lines: map-access.js)
MAP_TEXT = """() => [document.body.innerText,
  ...[...document.querySelectorAll('path[aria-label]')].map((p) => p.getAttribute('aria-label'))].join('\\n')"""


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


def _walk(p, url: str, path: str, lang: str, upload_file) -> str:
    p.goto(f"{url}/{path}?lang={lang}&county=350582")
    if path == "upload":
        p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload_file))
        p.locator(".st-key-detail_values").wait_for(timeout=60_000)
    handle = None
    if path != "sources":
        # a busy 2-core machine can take longer than map_frame's 30 s to show the first map
        p.locator(MAP_IFRAME).first.wait_for(state="visible", timeout=90_000)
        _, handle = map_frame(p)
    if path in MAP_PAGES:  # the charts come once the map has drawn: their text is read too
        wait_charts(p)
    wait_idle(p)
    shot = ARTIFACTS / "language"
    shot.mkdir(parents=True, exist_ok=True)
    p.set_viewport_size({"width": 1440, "height": 2600})  # the whole page (Streamlit scrolls inside)
    wait_still(p, "[data-testid=stMain] [data-testid=stVerticalBlock]")  # laid out again at that size
    p.screenshot(path=str(shot / f"{lang}_{path or 'overview'}.png"))
    p.set_viewport_size({"width": 1440, "height": 900})
    text = p.evaluate(GATHER)
    if handle is not None:
        text += "\n" + handle.evaluate(MAP_TEXT)
    return text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(app_url, page, lang, names, upload_file):
    p = page.page
    problems = {}
    for path in PAGES:
        text = _walk(p, app_url, path, lang, upload_file)
        (ARTIFACTS / "language" / f"{lang}_{path or 'overview'}.txt").write_text(text, encoding="utf-8")
        if UPLOAD_COLUMN not in text and path == "upload":
            pytest.fail("the uploaded column is not on the page: the walk did not load the file")
        found = foreign_text(text.replace(UPLOAD_NAME, " "), lang, names)
        if found:
            problems[path or "overview"] = found
    assert not problems, "\n".join(f"[{k}] {line}" for k, lines in problems.items() for line in lines)


def test_filters_survive_a_language_switch_and_a_page_change(app_url, page):
    """Streamlit's select widgets send back the label the user saw: after a switch to English
    the chain filter "食品" (food) came back as a chain called "食品" on the next page, and the
    map matched no county. The filter, its chip and the list picker follow the language."""
    p = page.page
    p.goto(f"{app_url}/explorer?chain=food")
    map_frame(p)
    sidebar = p.get_by_test_id("stSidebar")
    sidebar.get_by_text("English").click()
    sidebar.get_by_text("Chains", exact=True).wait_for(timeout=60_000)
    wait_idle(p)
    p.get_by_role("link", name="Overview").first.click()
    p.wait_for_url(f"{app_url}/?**", timeout=60_000)
    wait_idle(p)
    assert "chain=food" in p.url and "%E9%A3%9F" not in p.url and "list=" not in p.url, p.url
    chips = sidebar.get_by_test_id("stMultiSelect").first.inner_text()
    assert "Food" in chips and "食品" not in chips, chips
    assert "No county matches" not in p.get_by_test_id("stMain").inner_text()
