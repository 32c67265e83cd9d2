"""The HTML page every visit starts from (fjchains/app/index_page.py, served by serve.py).

What a browser gets from the running server at each page's URL is checked through HTTP in
tests/e2e/test_served_pages.py; that the uploader's held room keeps the map still, in
tests/e2e/test_dashboard.py."""

from __future__ import annotations

import re

import pytest

from fjchains.app import index_page, seam
from fjchains.core import paths

PAGE = "<html><head><title>Streamlit</title></head><body><div id=root></div></body></html>"


@pytest.fixture
def streamlit_page(tmp_path, monkeypatch):
    """Streamlit's index.html as `text` (fjchains.app.seam.STREAMLIT_INDEX_HTML points at it)."""
    def page(text: str) -> None:
        path = tmp_path / "index.html"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(seam, "STREAMLIT_INDEX_HTML", path)
        seam._warn_once.cache_clear()
    return page


def test_the_style_goes_at_the_end_of_the_head_and_the_title_is_ours(streamlit_page):
    streamlit_page(PAGE)
    out = seam.streamlit_page_with_head(index_page.first_paint_head(".x{color:red}"), "ours")
    head = out[out.index("<head>"):out.index("</head>")]
    assert f'<style id="{index_page.MARK}">.x{{color:red}}</style>' in head
    assert "<title>ours</title>" in head
    assert out.endswith("<body><div id=root></div></body></html>")


def test_a_page_without_a_head_gets_no_routes_and_one_warning(streamlit_page, caplog):
    """Degrade: Streamlit then serves its own page for every URL (only the first-paint style is lost)."""
    streamlit_page("<html><body></body></html>")
    assert seam.streamlit_page_with_head("<style></style>", "ours") is None
    index_page.index_html.cache_clear()
    try:
        assert index_page.page_routes("") == []
    finally:
        index_page.index_html.cache_clear()
    assert [r for r in caplog.records if "</head>" in r.getMessage()]


def test_the_css_cannot_close_its_style_element():
    with pytest.raises(ValueError):
        index_page.first_paint_head("a{}</STYLE><script>alert(1)</script>")


def test_the_served_page_still_loads_streamlits_code():
    """The seam: our page is Streamlit's index.html with a style added, so it must keep
    Streamlit's own script tag (docs/UPGRADING.md)."""
    streamlit_page = seam.STREAMLIT_INDEX_HTML.read_text(encoding="utf-8")
    script = re.search(r'<script type="module"[^>]*src="\./static/js/index\.[^"]+\.js"></script>', streamlit_page)
    assert script, "Streamlit's index.html no longer loads its code as expected: see docs/UPGRADING.md"
    served = index_page.index_html()
    assert script.group(0) in served
    assert served.index(index_page.MARK) < served.index("</head>")
    assert "<title>福建县域重点产业链 | Fujian county key chains</title>" in served


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
