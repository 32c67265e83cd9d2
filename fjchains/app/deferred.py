"""What waits until the session's map has drawn: charts, the county table, and on the
session's first page everything but the map.

Plotly's script (4.7 MB) and the data grid's are parsed on the browser's main thread, which
the map's iframe shares (same origin), so charts sent with the map delay the map by a second
or more. Until a session's first map has drawn, a page shows a button of the table's height
instead; the map announces it has drawn (static/js/county-layer.js posts "fjMapDrawn") and
static/js/after-map.js (fjchains.app.entry.page_assets) clicks the button. Charts wait
longer: until their button is near the screen or the page has been calm for a few seconds,
because drawn right after the map they held up the first click on it by over a second. A
click by hand brings either at once. From then on, charts come at once on every page of the
session (the browser has Plotly by then).

The session's first run sends even less: fjchains/app/first_paint.py (its state diagram).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from fjchains.app import seam, session
from fjchains.app.first_paint import FIRST_PAINT
from fjchains.core.i18n import t


@seam.fragment
def after_map(render: Callable[[], None], key: str, height: int, lang: str, kind: str = "charts") -> None:
    """`render()` when it may come; until then a button that reserves `height` px.

    `kind` "table" (the county table): once the session's map has drawn. "charts": also only
    once the button is near the screen or the page has been calm for a few seconds
    (static/js/after-map.js), so Plotly's script and drawing do not hold up the first clicks
    on the map. A click by hand brings either at once.

    A fragment (nested inside the map's fragment for the county table): releasing reruns only
    this part, so the map and the text around it are not sent again (and do not flicker). A
    chart click or a table row that changes what the map shows asks for a whole-page rerun
    (session.request_page_rerun, which seam.fragment honours).
    """
    charts = kind == "charts"
    if not FIRST_PAINT.waits(charts):
        render()
        return
    # after-map.js: "show_seen_" buttons when near the screen or calm, "show_now_" ones at once
    with st.container(key=f"deferred_{key}", height=height, border=False):
        st.button(t("show_charts" if charts else "show_table", lang), key=f"show_{'seen' if charts else 'now'}_{key}",
                  on_click=session.show_charts if charts else session.mark_map_drawn,
                  help=t("show_charts_help" if charts else "show_table_help", lang))

