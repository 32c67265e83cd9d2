"""The page's own scripts (static/js/after-map.js, page-access.js, print.js) as st.html elements.

Each is sent after what the page scripts share (static/js/seam.js: Streamlit's DOM;
static/js/page-logic.js: their rules) and with the
settings it reads from ``window.fjchains.page``: the county maps' frames (``mapFrames``: the
component's name is their title, so it is written once, in fjchains/app/map_frame.py) and
whatever its caller adds (the skip links' texts). The map's own scripts get their settings from
the frame's JSON instead (fjchains.geo.maps.layer_options).
"""

from __future__ import annotations

from functools import cache

from fjchains.app.map_frame import COMPONENT_NAME
from fjchains.app.seam import component_frame_selector
from fjchains.core import paths
from fjchains.geo.maps import script_json

#: The county maps' iframes (Streamlit titles a component's iframe with its name: the seam's).
MAP_FRAMES = component_frame_selector(COMPONENT_NAME)
_SHARED = ("seam.js", "page-logic.js")


@cache
def _source(name: str) -> str:
    return (paths.STATIC_DIR / "js" / name).read_text(encoding="utf-8").replace("</script", "<\\/script")


def page_script(name: str, **settings: object) -> str:
    """``<script>`` of static/js/`name` for ``st.html(..., unsafe_allow_javascript=True)``: the
    settings (with ``mapFrames``) merged into ``window.fjchains.page``, seam.js, page-logic.js,
    the file."""
    page = script_json({"mapFrames": MAP_FRAMES, **settings})
    shared = "\n".join(_source(s) for s in _SHARED)
    return ("<script>window.fjchains = window.fjchains || {};\n"
            f"window.fjchains.page = Object.assign(window.fjchains.page || {{}}, {page});\n"
            f"{shared}\n{_source(name)}</script>")
