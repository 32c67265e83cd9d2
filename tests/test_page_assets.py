"""The page's own scripts and stylesheets reach the browser whole.

Streamlit passes st.html through DOMPurify, which drops a <script> or <style> whose text has a
"less than" sign followed by a letter, "/" or "!" (it looks like markup), silently: a comment
naming "<iframe>" was enough for a whole script never to run, and "st-key-<key>" in a comment
of static/css/seam-print.css and seam-page.css dropped both stylesheets (the printout showed
the sidebar and Streamlit's chrome again).
"""

from __future__ import annotations

import re

import pytest

from fjchains.app.scripts import page_script
from fjchains.core import paths

MARKUP = re.compile(r"<[/\w!]")
SOURCES = sorted((paths.ROOT / "fjchains").rglob("*.py"))


def _sent(pattern: str) -> list[str]:
    names = {m for p in SOURCES for m in re.findall(pattern, p.read_text(encoding="utf-8"))}
    assert names, pattern
    return sorted(names)


@pytest.mark.parametrize("name", _sent(r'page_script\("([\w.-]+\.js)"'))
def test_a_page_script_has_nothing_that_looks_like_markup(name):
    body = page_script(name)
    inner = body[len("<script>"):-len("</script>")]
    assert body.startswith("<script>") and body.endswith("</script>")
    assert [line for line in inner.splitlines() if MARKUP.search(line)] == []


@pytest.mark.parametrize("name", _sent(r'"css" / "([\w.-]+\.css)"'))
def test_a_page_stylesheet_has_nothing_that_looks_like_markup(name):
    css = (paths.STATIC_DIR / "css" / name).read_text(encoding="utf-8")
    assert [line for line in css.splitlines() if MARKUP.search(line)] == []
