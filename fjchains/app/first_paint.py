"""First paint as one object: what a session's first page sends, in what order, and when the
rest comes (issue 10; issue 25.5 measured each part, benchmarks/README.md "First paint,
mechanism by mechanism").

`FIRST_PAINT` holds the mechanisms that pay for themselves (`Mechanisms`); dashboard.py makes
one call, `FIRST_PAINT.page(...)`, around each whole-page run. Pages and panels never ask
whether a run is held: the map panel says where the map has been sent (`map_sent`), which ends
a held run there, and the headline row asks for its boxes (`placeholders`).

The mechanisms:

- `hide_until_sidebar`: static/css/seam-first-paint.css, inlined into the HTML page every visit
  starts from (fjchains/app/index_page.py, served through `routes`), keeps the app invisible
  while the first run is under way and no sidebar exists yet: the page no longer slides 300 px
  right when the sidebar opens.
- `hold_first_run`: a session whose first run opens a map page sends the title, the headline
  row and the map, and in the sidebar only the release button; the rest of the page comes in
  one whole-page rerun once the map has drawn.
- `defer_charts`: charts and the county table wait for the map (fjchains/app/deferred.py,
  static/js/after-map.js): Plotly's and the data grid's scripts share the map's main thread.
- `sized_placeholders`: the headline figures are as wide as their text from the first frame
  (widths from character cells), and a held run draws boxes of their size.

The session's states (keys in fjchains/app/session.py)::

    (new session)
         |  first whole-page run
         v
    first run opens a map page? --no--> FULL (the map not drawn yet: table and charts wait)
         | yes (hold_first_run)                 |
         v                                      |
       HELD: title, headline boxes, map,        |
       sidebar = release button only            |
         |  the map posts fjMapDrawn; after-map.js clicks the release button
         |  (or the user clicks it, or clicks the map)
         v                                      v
       DRAWN (MAP_DRAWN): whole pages; the table at once; each chart's button clicked when
         |                near the screen or the page is calm (after-map.js)
         v
       CHARTS (CHARTS_SHOWN): charts come at once on every page; after-map.js stops its timer
                              once a page has no button left to click

A rerun asked from a callback inside a fragment (a chart or table selection that changes
what the map shows) goes through `fjchains.app.session.request_page_rerun`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import streamlit as st

from fjchains.app import session
from fjchains.core.i18n import t


@dataclass(frozen=True)
class Mechanisms:
    """Which first-paint mechanisms are on (all by default; the benchmark's ablation turns
    each off in turn: benchmarks/first_paint_ablation.py)."""

    hide_until_sidebar: bool = True
    hold_first_run: bool = True
    defer_charts: bool = True
    sized_placeholders: bool = True


class _MapSent(BaseException):
    """Ends a held run once the map has been sent (not an Exception: the page's error guard
    lets it pass, as it does Streamlit's own st.stop)."""


class FirstPaint:
    """The first-paint mechanisms of every page (one per process: `FIRST_PAINT`)."""

    def __init__(self, mechanisms: Mechanisms | None = None):
        self.mechanisms = mechanisms or Mechanisms()

    # ---- dashboard.py

    @contextmanager
    def page(self, map_page: bool, lang: str, sidebar: Callable[[], None]) -> Iterator[bool]:
        """Around a whole-page run: decide whether it is held, draw the sidebar (or, held, only
        the release button); yields whether it is held. A held run ends where the map panel
        calls `map_sent` (what follows the `with` still runs)."""
        first = session.value(session.HOLD_FOR_MAP) is None  # the session's first whole-page run
        held = first and map_page and self.mechanisms.hold_first_run and not session.map_drawn()
        session.set_value(session.HOLD_FOR_MAP, held)
        if held:
            _release_button(lang)
        else:
            sidebar()
        with suppress(_MapSent):
            yield held

    def routes(self, base_url_path: str) -> list:
        """The routes serve.py gives st.App: our pages' HTML with the first-paint stylesheet
        (`hide_until_sidebar`), or none (Streamlit's own page)."""
        from fjchains.app.index_page import page_routes

        return page_routes(base_url_path) if self.mechanisms.hide_until_sidebar else []

    # ---- the map panel and the headline row: the only two that know about a held run

    def held(self) -> bool:
        """This run sends the map alone (and what sits above it)."""
        return bool(session.value(session.HOLD_FOR_MAP)) and not session.map_drawn()

    def map_sent(self) -> None:
        """Called once the map has been sent: a held run ends here (the rest of the page
        comes once the map has drawn)."""
        if self.held():
            raise _MapSent

    def placeholders(self) -> bool | None:
        """The headline row: True for boxes of the figures' size (a held run), False for the
        figures sized from their text, None for Streamlit's own sizes (`sized_placeholders` off)."""
        if not self.mechanisms.sized_placeholders:
            return None
        return self.held()

    # ---- what waits for the map (fjchains/app/deferred.py)

    def waits(self, charts: bool) -> bool:
        """Whether charts (or the county table) still wait for the map."""
        if not self.mechanisms.defer_charts:
            return False
        return not (session.charts_shown() if charts else session.map_drawn())


FIRST_PAINT = FirstPaint()


def _release_button(lang: str) -> None:
    """The sidebar of a held run: the button after-map.js clicks once the map has drawn (a
    whole-page rerun: it is outside any fragment). It says what is coming, and a click by hand
    does the same."""
    with st.sidebar:
        st.button(t("show_filters", lang), key="show_now_page", on_click=session.mark_map_drawn,
                  help=t("show_filters_help", lang))
