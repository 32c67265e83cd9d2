"""The HTML page every visit starts from: Streamlit's own, with our first-paint stylesheet.

Streamlit serves one `index.html` for every page; its code then draws the app. Anything a
page sends (`st.html` CSS included) arrives after the first frames, too late to stop what
those frames do: the header drawn full-width, then pushed right when the sidebar opens
(issue 10). `serve.py` serves this page for our pages' URLs instead, through `st.App`'s
public `routes` (user routes come before Streamlit's): the same file
(fjchains.app.seam.streamlit_page_with_head), with `static/css/seam-first-paint.css` inlined
in its head and our title. Other paths get Streamlit's own answer. See docs/UPGRADING.md.
"""

from __future__ import annotations

import html
from functools import cache

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from fjchains.app import seam
from fjchains.core import paths

FIRST_PAINT_CSS = paths.STATIC_DIR / "css" / "seam-first-paint.css"
#: Every page's url path, as dashboard.py names them (a test checks).
PAGE_PATHS = ("", "explorer", "chains", "upload", "sources")
#: Shown in the browser's tab until the page's own title arrives.
TITLE = "福建县域重点产业链 | Fujian county key chains"
#: Marks our additions, for the tests and for a reader of the page's source.
MARK = "fjchains-first-paint"


def first_paint_head(css: str) -> str:
    """Our style element for the end of Streamlit's head. `css` is our own file; it must not
    be able to close the style element."""
    if "</style" in css.lower():
        raise ValueError("first-paint CSS must not contain '</style'")
    return f'<style id="{MARK}">{css}</style>\n  '


@cache
def index_html() -> str | None:
    """Streamlit's page with our style and title; None if Streamlit's page has changed shape
    (fjchains.app.seam.streamlit_page_with_head). Read once per process: both files ship
    with the code."""
    return seam.streamlit_page_with_head(first_paint_head(FIRST_PAINT_CSS.read_text(encoding="utf-8")),
                                         html.escape(TITLE))


async def _index(request: Request) -> HTMLResponse:
    # no-cache, as Streamlit serves its index.html: its hashed script names change on upgrade
    return HTMLResponse(index_html() or "", headers={"Cache-Control": "no-cache"})


def page_routes(base_url_path: str = "") -> list[Route]:
    """GET routes for our pages' URLs (under `server.baseUrlPath`), each answering with the
    page; none when Streamlit's page has changed shape (Streamlit then answers, as without
    serve.py: only the first-paint stylesheet is lost)."""
    if index_html() is None:
        return []
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    urls = sorted({f"{base}/{page}" if page else (base or "/") for page in PAGE_PATHS}
                  | ({base + "/"} if base else set()))
    return [Route(url, _index, methods=["GET", "HEAD"]) for url in urls]
