"""The HTML page every visit starts from (fjchains/app/index_page.py, served by serve.py)."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.routing import Match

from fjchains.app import index_page
from fjchains.core import paths

PAGE = "<html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"


def test_the_style_goes_at_the_end_of_the_head_and_the_title_is_ours():
    out = index_page.with_first_paint(PAGE, ".x{color:red}")
    head = out[out.index("<head>"):out.index("</head>")]
    assert f'<style id="{index_page.MARK}">.x{{color:red}}</style>' in head
    assert "<title>福建县域重点产业链 | Fujian county key chains</title>" in head
    assert out.endswith("<body><div id=root></div></body></html>")


def test_a_page_without_a_head_is_served_unchanged():
    assert index_page.with_first_paint("<html><body></body></html>", ".x{}") == "<html><body></body></html>"


def test_the_css_cannot_close_its_style_element():
    with pytest.raises(ValueError):
        index_page.with_first_paint(PAGE, "a{}</STYLE><script>alert(1)</script>")


def test_the_served_page_is_streamlits_own_plus_the_first_paint_css():
    streamlit_page = index_page.STREAMLIT_INDEX.read_text(encoding="utf-8")
    served = index_page.index_html()
    script = re.search(r'<script type="module"[^>]*src="\./static/js/index\.[^"]+\.js"></script>', streamlit_page)
    assert script, "Streamlit's index.html no longer loads its code as expected: see docs/UPGRADING.md"
    assert script.group(0) in served
    css = index_page.FIRST_PAINT_CSS.read_text(encoding="utf-8")
    assert f'<style id="{index_page.MARK}">{css}</style>' in served
    assert served.index(index_page.MARK) < served.index("</head>")
    # what the stylesheet waits for is what Streamlit's page calls its sidebar
    assert '[data-testid="stSidebar"]' in css and '[data-testid="stAppViewContainer"]' in css


def test_the_uploaders_room_is_held_under_its_session_key():
    from fjchains.app import session

    css = index_page.FIRST_PAINT_CSS.read_text(encoding="utf-8")
    assert f".st-key-{session.W_UPLOAD} {{\n  min-height: 96px;" in css


def test_every_page_of_the_dashboard_has_a_route():
    source = (paths.ROOT / "dashboard.py").read_text(encoding="utf-8")
    named = set(re.findall(r'url_path="([a-z_]+)"', source))
    assert "default=True" in source, "the overview is the default page, at the root"
    assert set(index_page.PAGE_PATHS) == named | {""}


@pytest.mark.parametrize(("base", "urls"), [
    ("", ["/", "/chains", "/explorer", "/sources", "/upload"]),
    ("/fujian/", ["/fujian", "/fujian/", "/fujian/chains", "/fujian/explorer", "/fujian/sources", "/fujian/upload"]),
])
def test_routes_follow_the_base_path(base, urls):
    assert sorted(r.path for r in index_page.page_routes(base)) == urls


def _match(routes, method: str, url: str) -> Match:
    scope = {"type": "http", "method": method, "path": url, "root_path": ""}
    return max((r.matches(scope)[0] for r in routes), key=lambda m: m.value)


def test_a_page_url_answers_with_the_page_not_cached_and_other_paths_are_left_to_streamlit():
    routes = index_page.page_routes("fujian")
    for url in ("/fujian", "/fujian/", "/fujian/explorer"):
        assert _match(routes, "GET", url) == Match.FULL
    assert _match(routes, "POST", "/fujian/explorer") == Match.PARTIAL  # a 405, never the page
    for url in ("/fujian/static/js/x.js", "/explorer", "/fujian/explorer/x", "/fujian/_stcore/health"):
        assert _match(routes, "GET", url) == Match.NONE, url  # Streamlit's own routes answer
    # in a thread of its own: the browser tests' Playwright may hold this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, routes[0].endpoint(None)).result()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.body.decode() == index_page.index_html()
