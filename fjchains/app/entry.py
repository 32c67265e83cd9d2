"""How every page starts: inside dashboard.py, with the data loaded or a clear message."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from fjchains.app import seam, session
from fjchains.app.cached import Data, load_data
from fjchains.app.scripts import page_script
from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_text

_LOG = logging.getLogger(__name__)
#: Pages that open with the county map (url paths; "" is the overview). "Your data" has a map
#: only once a file is loaded, so it is not one of them.
MAP_PAGES = frozenset({"", "explorer", "chains"})


def data_or_stop() -> Data:
    """For pages: the data, after making sure the page runs inside dashboard.py."""
    if not session.entered_via_dashboard() and seam.use_dashboard_navigation():
        st.rerun()  # a fresh server's deep link: this time through dashboard.py
    return load_data_or_stop()


def load_data_or_stop() -> Data:
    """Load the data; a broken file stops the page with a clear message, not a traceback.

    Runs before the session's language is known, so the language comes from the URL.
    """
    try:
        data = load_data()
    except DataValidationError as exc:
        language = session.lang() if session.ready() else ("en" if st.query_params.get("lang") == "en" else "zh")
        detail = exc.zh if language == "zh" and exc.zh else str(exc)
        st.error(f"{t('data_error', language)}\n\n{md_text(detail)}")
        st.stop()
    return data


def page_assets() -> None:
    """The page's CSS (static/css/app.css, seam-page.css) and the listener that releases charts held back
    for the map (static/js/after-map.js, fjchains/app/deferred.py).

    The CSS reaches the browser after the page's first elements, so it changes nothing that
    is drawn by then (sizes that must hold from the first frame are theme settings in
    .streamlit/config.toml); the listener sits in the sidebar and takes no room.
    """
    st.html(paths.STATIC_DIR / "css" / "app.css")
    st.html(paths.STATIC_DIR / "css" / "seam-page.css")  # its rules on Streamlit's own DOM
    # the buttons' labels: after-map.js finds them by these if Streamlit's key classes change
    release = {"now": [t("show_filters", session.lang()), t("show_table", session.lang())],
               "seen": [t("show_charts", session.lang())]}
    with st.sidebar:
        st.html(page_script("after-map.js", release=release), unsafe_allow_javascript=True)


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Any unexpected exception inside becomes a short message in the interface language and a
    log line with the traceback, never Streamlit's error box (st.rerun/st.stop pass through:
    they are not Exceptions)."""
    try:
        yield
    except Exception:
        _LOG.exception("unexpected error in %s", where)
        st.error(t("unexpected_error", session.lang()))
