"""Share and embed the view (issue 27): "复制链接 / Copy link" copies the address of what the page
shows (its filter, and the map's view that only the browser knows), "嵌入 / Embed" gives an
iframe snippet of it with embed=true; both from the keyboard; the embedded view has no sidebar
or header and draws its map (fjchains/app/panels/share.py, static/js/share.js)."""

from __future__ import annotations

import html
import re

import pytest

from fjchains.core.i18n import t
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import MAP_IFRAME, map_frame, wait_frames, wait_idle

pytestmark = pytest.mark.e2e

LINK = ".st-key-share_link button"
EMBED = ".st-key-share_embed button"
LINK_BOX = ".fj-share[data-kind=link]"
EMBED_BOX = ".fj-share[data-kind=embed]"
COPIED = f"✓ {t('share_copied', 'zh')}"


@pytest.fixture
def page(browser, app_url):
    """A page whose context may read and write the clipboard (as a user's browser lets a page
    write it after a click)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    p = context.new_page()
    yield p
    exceptions = p.locator("[data-testid=stException]").count()
    context.close()
    assert exceptions == 0, "the page showed an exception"


def _clipboard(p) -> str:
    return p.evaluate("navigator.clipboard.readText()")


def _open(p, url: str) -> str:
    """Open `url` as a person would: once the map has drawn and the page is idle; its address then."""
    p.goto(url)
    map_frame(p)
    wait_idle(p)
    return p.url


def _choose_chain(p, name: str, code: str) -> None:
    box = p.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    box.click()
    p.get_by_role("option", name=name).click()
    p.keyboard.press("Escape")
    p.wait_for_url(re.compile(f"chain={code}"), timeout=20_000)
    wait_idle(p)


def _zoom_in(p) -> None:
    """The map's own "+" button: the view goes into the address (?z=&ll=) in the browser alone."""
    p.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-zoom-in").click()
    p.wait_for_url(re.compile(r"[?&]z=.*[?&]ll=|[?&]ll=.*[?&]z="), timeout=10_000)


def _status(p, box: str) -> str:
    status = p.locator(f"{box} .fj-share-status[data-ok]")
    status.wait_for(timeout=10_000)
    return status.inner_text()


def test_copy_link_copies_the_view_with_its_filter_and_map_view(app_url, page):
    p = page
    _open(p, f"{app_url}/explorer")
    _choose_chain(p, "集成电路", "integrated_circuits")
    _zoom_in(p)
    address = p.url
    assert "chain=integrated_circuits" in address and "z=" in address
    p.locator(LINK).click()
    assert _status(p, LINK_BOX) == COPIED
    assert _clipboard(p) == address  # the page's address: its filter and the map's view
    assert p.locator(f"{LINK_BOX} input").input_value() == address  # shown, to copy by hand too
    p.screenshot(path=ARTIFACTS / "share_copy_link.png")


def test_embed_gives_an_iframe_of_the_view_with_embed_true(app_url, page):
    p = page
    address = _open(p, f"{app_url}/explorer?chain=food&county=350582")
    p.locator(EMBED).click()
    code = p.locator(f"{EMBED_BOX} textarea")
    code.wait_for(timeout=10_000)
    snippet = code.input_value()
    src = re.fullmatch(r'<iframe src="([^"]+)" title="([^"]+)" [^<>]*></iframe>', snippet)
    assert src, snippet
    assert html.unescape(src[1]) == f"{address}&embed=true" and "&amp;" in src[1]  # the same query, escaped
    assert html.unescape(src[2]) == t("app_title", "zh")
    assert code.get_attribute("readonly") is not None
    p.locator(f"{EMBED_BOX} .fj-share-copy").click()
    assert _status(p, EMBED_BOX) == COPIED
    assert _clipboard(p) == snippet
    p.screenshot(path=ARTIFACTS / "share_embed.png")


def _focused(p) -> dict:
    return p.evaluate("""() => { const el = document.activeElement;
      return {text: (el.innerText || el.value || '').trim(), tag: el.tagName,
              visible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle,
              shadow: getComputedStyle(el).boxShadow}; }""")


def test_both_controls_work_from_the_keyboard(app_url, page):
    p = page
    address = _open(p, f"{app_url}/?chain=food")
    # the Tab order from just before the controls (the caveat under the map, made focusable for
    # this: 84 counties on the map and the sidebar's widgets come before it)
    p.get_by_text(t("boundary_note", "zh")[:12]).first.evaluate("(el) => { el.tabIndex = -1; el.focus(); }")
    p.keyboard.press("Tab")
    f = _focused(p)
    assert f["tag"] == "BUTTON" and t("share_link", "zh") in f["text"] and f["visible"], f
    assert f["outline"] != "none" or f["shadow"] != "none", f  # the focus can be seen
    p.keyboard.press("Enter")
    assert _status(p, LINK_BOX) == COPIED
    assert _clipboard(p) == address
    p.keyboard.press("Escape")
    p.locator(LINK_BOX).wait_for(state="detached", timeout=10_000)
    p.locator(LINK).focus()  # where the popover leaves the focus, whatever Streamlit's version does
    p.keyboard.press("Tab")
    f = _focused(p)
    assert f["tag"] == "BUTTON" and t("share_embed", "zh") in f["text"] and f["visible"], f
    p.keyboard.press("Enter")
    p.locator(f"{EMBED_BOX} textarea").wait_for(timeout=10_000)
    snippet = p.locator(f"{EMBED_BOX} textarea").input_value()
    assert "embed=true" in snippet
    assert _focused(p)["tag"] == "TEXTAREA"  # the popover took the focus to the code
    p.keyboard.press("Tab")
    f = _focused(p)
    assert f["tag"] == "BUTTON" and f["text"] == t("share_copy_code", "zh") and f["visible"], f
    p.keyboard.press(" ")
    assert _status(p, EMBED_BOX) == COPIED
    assert _clipboard(p) == snippet


HIDDEN = """() => ['[data-testid=stSidebar]', '[data-testid=stHeader]', '.st-key-share_row']
  .filter((s) => [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0))"""


def test_the_embedded_view_has_no_sidebar_or_header_and_draws_its_map(app_url, page):
    p = page
    _open(p, f"{app_url}/explorer?chain=food&county=350582")
    p.locator(EMBED).click()
    snippet = p.locator(f"{EMBED_BOX} textarea").input_value()
    src = html.unescape(re.search(r'src="([^"]+)"', snippet)[1])
    # the address alone
    _open(p, src)
    p.locator("[data-testid=stSidebar]").wait_for(state="attached")  # there, with the filters
    assert p.evaluate(HIDDEN) == []  # but not shown; no header, no share buttons
    assert p.locator(".st-key-detail_panel").get_by_text("晋江市").first.is_visible()  # the view came along
    assert "embed=true" in p.url
    p.screenshot(path=ARTIFACTS / "share_embed_view.png")
    # and as another site shows it: the snippet in a page of its own
    p.set_content(f"<!doctype html><body style='margin:0'><h1>Portal</h1>{snippet}</body>")
    inner = p.frame_locator("iframe").first
    inner.frame_locator(MAP_IFRAME).first.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    inner.locator(".st-key-detail_panel").get_by_text("晋江市").first.wait_for(timeout=30_000)
    inner.locator("[data-testid=stSidebar]").wait_for(state="attached", timeout=30_000)
    frame = next(f for f in p.frames if f.url.startswith(app_url) and "embed=true" in f.url)
    assert frame.evaluate(HIDDEN) == []
    wait_frames(p, 5)
    p.screenshot(path=ARTIFACTS / "share_embed_snippet.png")
