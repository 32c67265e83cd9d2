"""Page-level help for keyboard users: skip links past the sidebar and the map (static/js/page-access.js);
and the page following the user: its language, a table row's details, charts as they come into view
(static/js/page-follow.js)."""

from __future__ import annotations

import streamlit as st

from fjchains.app.scripts import page_script
from fjchains.core.i18n import t


def skip_links(lang: str) -> None:
    """The skip links and the phone's "Done" button (closes the sidebar), in the interface
    language, and the page following the user (static/js/page-follow.js: the document's
    language, a table row's details on a phone, charts as they scroll into view); the scripts
    sit in the sidebar (no room taken)."""
    texts = {"detail": t("skip_to_detail", lang), "table": t("skip_to_table", lang), "done": t("sidebar_done", lang)}
    with st.sidebar:
        st.html(page_script("page-access.js", skip=texts), unsafe_allow_javascript=True)
        st.html(page_script("page-follow.js", lang=lang), unsafe_allow_javascript=True)
