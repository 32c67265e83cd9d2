"""Page-level help for keyboard users: skip links past the sidebar and the map (static/js/page-access.js)."""

from __future__ import annotations

import streamlit as st

from fjchains.app.scripts import page_script
from fjchains.core.i18n import t


def skip_links(lang: str) -> None:
    """The skip links and the phone's "Done" button (closes the sidebar), in the interface
    language; the script sits in the sidebar (no room taken)."""
    texts = {"detail": t("skip_to_detail", lang), "table": t("skip_to_table", lang), "done": t("sidebar_done", lang)}
    with st.sidebar:
        st.html(page_script("page-access.js", skip=texts), unsafe_allow_javascript=True)
