"""Compare: two to four counties side by side (fjchains.render.side_by_side), chosen here, from a county's
detail panel, or from a link (?compare=350582,350181)."""

from __future__ import annotations

import streamlit as st

from fjchains.app import cached, session
from fjchains.app.cached import Data
from fjchains.core import limits
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_text
from fjchains.render.side_by_side import compare_table


def _on_pick() -> None:
    session.set_compare(session.widget_value(session.widget_key(session.COMPARE)) or [])


def compare_panel(data: Data, lang: str, picker: bool = True) -> None:
    """The chosen counties side by side; with `picker`, the multiselect that chooses them.

    Without the picker (a page that only shows a shared link's comparison) nothing is drawn
    until two counties are chosen.
    """
    chosen = session.compare()
    if not picker and len(chosen) < 2:
        return
    names = cached.county_names(data, lang)
    with st.container(key="compare_panel"):
        st.subheader(t("cmp_title", lang))
        if picker:
            key = session.widget_key(session.COMPARE)
            st.session_state[key] = chosen  # the link, the detail panel's button or this widget
            st.multiselect(t("cmp_pick", lang), list(names), key=key, format_func=lambda a: names[a],
                           max_selections=limits.MAX_COMPARE, on_change=_on_pick,
                           placeholder=t("cmp_placeholder", lang))
        if len(chosen) < 2:
            st.caption(t("cmp_need_two", lang, n=limits.MAX_COMPARE))
            return
        uploaded, values = session.userdata(), None
        if uploaded is not None:
            values = uploaded.report.values.rename(columns=lambda name: t("uploaded_column", lang, name=name))
        # a static table, not a data grid: every label and list is shown whole, wrapped (the grid cut
        # them to its column widths); st.table renders Markdown, so every label and cell is md_text
        table = compare_table(data.layer, data.tables.chains, chosen, lang, values)
        shown = table.map(md_text)
        shown.index = [md_text(label) for label in table.index]
        shown.columns = [md_text(name) for name in table.columns]
        st.table(shown)
        st.caption(t("deng_note", lang))


def add_to_compare_button(adcode: str, lang: str) -> None:
    """In a county's detail: add it to the comparison (up to limits.MAX_COMPARE)."""
    chosen = session.compare()
    if adcode in chosen or len(chosen) >= limits.MAX_COMPARE:
        return
    st.button(t("cmp_add", lang), key="compare_add", on_click=_add, args=([*chosen, adcode],))


def _add(adcodes: list[str]) -> None:
    session.set_compare(adcodes)
    # the button sits in the map's fragment, the comparison outside it: it showed nothing new,
    # and its picker, left stale, dropped this county at the next pick
    session.request_page_rerun()
