"""Page-level help for keyboard users: skip links past the sidebar and the map (static/js/page-access.js)."""

from __future__ import annotations

import streamlit as st

from fjchains.core import paths
from fjchains.core.i18n import t
from fjchains.geo.maps import script_json

_SCRIPT = (paths.STATIC_DIR / "js" / "page-access.js").read_text(encoding="utf-8")


def skip_links(lang: str) -> None:
    """The skip links and the phone's "Done" button (closes the sidebar), in the interface
    language; the script sits in the sidebar (no room taken)."""
    texts = script_json({"detail": t("skip_to_detail", lang), "table": t("skip_to_table", lang),
                         "done": t("sidebar_done", lang)})
    with st.sidebar:
        st.html(f"<script>window.fjSkipTexts = {texts};\n{_SCRIPT}</script>", unsafe_allow_javascript=True)
