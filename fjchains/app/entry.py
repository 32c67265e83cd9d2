"""How every page starts: inside dashboard.py, with the data loaded or a clear message.

Holds the one workaround for a Streamlit internal (see docs/UPGRADING.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from fjchains.app import session
from fjchains.app.cached import Data, load_data
from fjchains.app.scripts import page_script
from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_text

_LOG = logging.getLogger(__name__)
#: The Streamlit release the deep-link workaround was written and browser-tested for.
DEEP_LINK_WORKAROUND_FOR = "1.67."
#: Pages that open with the county map (url paths; "" is the overview). "Your data" has a map
#: only once a file is loaded, so it is not one of them.
MAP_PAGES = frozenset({"", "explorer", "chains"})


def _use_dashboard_navigation() -> None:
    """Make a server's first request for /explorer run through dashboard.py.

    Until a server has run st.navigation once, Streamlit treats a top-level pages/ folder as
    its old multipage mode, so a first visitor opening /explorer would run pages/explorer.py
    alone (no sidebar, no URL state). Switching that mode off and rerunning fixes it. This
    sets `PagesManager.uses_pages_directory`, a Streamlit internal: checked against the
    version it was written for, and covered by the browser test of a fresh server's deep link.
    """
    if not st.__version__.startswith(DEEP_LINK_WORKAROUND_FOR):
        _LOG.warning("deep-link workaround written for Streamlit %s*, running %s: see docs/UPGRADING.md",
                     DEEP_LINK_WORKAROUND_FOR, st.__version__)
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def data_or_stop() -> Data:
    """For pages: the data, after making sure the page runs inside dashboard.py."""
    if not session.entered_via_dashboard():
        _use_dashboard_navigation()
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
    """The page's CSS (static/css/app.css) and the listener that releases charts held back
    for the map (static/js/after-map.js, fjchains/app/deferred.py).

    The CSS reaches the browser after the page's first elements, so it changes nothing that
    is drawn by then (sizes that must hold from the first frame are theme settings in
    .streamlit/config.toml); the listener sits in the sidebar and takes no room.
    """
    st.html(paths.STATIC_DIR / "css" / "app.css")
    with st.sidebar:
        st.html(page_script("after-map.js"), unsafe_allow_javascript=True)


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
