"""The HTML page every visit starts from: Streamlit's own, with our first-paint stylesheet.

Streamlit serves one `index.html` for every page; its code then draws the app. Anything a
page sends (`st.html` CSS included) arrives after the first frames, too late to stop what
those frames do: the header drawn full-width, then pushed right when the sidebar opens
(issue 10). `serve.py` serves this page for our pages' URLs instead, through `st.App`'s
public `routes` (user routes come before Streamlit's): the same file, with
`static/css/first-paint.css` inlined in its head and our title. Other paths get Streamlit's
own answer. See docs/UPGRADING.md.
"""

from __future__ import annotations

import html
import logging
from functools import cache
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from fjchains.core import paths

_LOG = logging.getLogger(__name__)
STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
FIRST_PAINT_CSS = paths.STATIC_DIR / "css" / "first-paint.css"
#: Every page's url path, as dashboard.py names them (a test checks).
PAGE_PATHS = ("", "explorer", "chains", "upload", "sources")
#: Shown in the browser's tab until the page's own title arrives.
TITLE = "福建县域重点产业链 | Fujian county key chains"
#: Marks our additions, for the tests and for a reader of the page's source.
MARK = "fjchains-first-paint"


def with_first_paint(index_html: str, css: str, title: str = TITLE) -> str:
    """Streamlit's page with our style (and title) in its head; unchanged if it has no head.

    `css` is our own file; it must not be able to close the style element.
    """
    if "</style" in css.lower():
        raise ValueError("first-paint CSS must not contain '</style'")
    head_end = index_html.find("</head>")
    if head_end < 0:
        _LOG.warning("Streamlit's index.html has no </head>: served unchanged, see docs/UPGRADING.md")
        return index_html
    page = index_html[:head_end] + f'<style id="{MARK}">{css}</style>\n  ' + index_html[head_end:]
    return page.replace("<title>Streamlit</title>", f"<title>{html.escape(title)}</title>", 1)


@cache
def index_html() -> str:
    """Read once per process: both files ship with the code."""
    return with_first_paint(STREAMLIT_INDEX.read_text(encoding="utf-8"),
                            FIRST_PAINT_CSS.read_text(encoding="utf-8"))


async def _index(request: Request) -> HTMLResponse:
    # no-cache, as Streamlit serves its index.html: its hashed script names change on upgrade
    return HTMLResponse(index_html(), headers={"Cache-Control": "no-cache"})


def page_routes(base_url_path: str = "") -> list[Route]:
    """GET routes for our pages' URLs (under `server.baseUrlPath`), each answering with the page."""
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    urls = sorted({f"{base}/{page}" if page else (base or "/") for page in PAGE_PATHS}
                  | ({base + "/"} if base else set()))
    return [Route(url, _index, methods=["GET", "HEAD"]) for url in urls]
