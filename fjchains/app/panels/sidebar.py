"""The sidebar every page shares: language, county search, chain and category filters, basemap."""

from __future__ import annotations

import streamlit as st

from fjchains.app import cached, session
from fjchains.app.cached import Data
from fjchains.app.panels.map_panel import current_list
from fjchains.core.i18n import column, pick, t
from fjchains.core.textsafe import md_literal
from fjchains.data.names import prefecture_counties, resolve, suggest_counties
from fjchains.data.tables import CATEGORIES


def sidebar(data: Data, lang: str) -> None:
    """Language, search, chain and category filters, basemap: the same on every page."""
    with st.sidebar:
        session.seed_language_widget()
        st.segmented_control(t("language", lang), ["zh", "en"], key=session.W_LANG,
                             format_func=lambda v: "中文" if v == "zh" else "English",
                             on_change=session.on_language_change)
        search_box(data, lang)
        list_picker(data, lang)
        chains = data.tables.chains.set_index("chain_id")
        other_list = current_list(data) is not None  # the opinion's filters do not apply to another list
        session.state_widget(st.multiselect, t("filter_chains", lang), session.CHAINS, [],
                             options=chains.index.tolist(), format_func=lambda c: pick(chains.loc[c], "name", lang),
                             placeholder=t("filter_placeholder", lang), disabled=other_list,
                             select_all=False)  # Streamlit's "Select all" is English only
        session.state_widget(st.multiselect, t("filter_categories", lang), session.CATS, [], options=list(CATEGORIES),
                             format_func=lambda c: t(f"cat_{c}", lang), placeholder=t("filter_placeholder", lang),
                             help=t("pillar_incomplete", lang), disabled=other_list, select_all=False)
        session.state_widget(st.toggle, t("basemap", lang), session.BASEMAP, False)


def list_picker(data: Data, lang: str) -> None:
    """Which list the map shows: the opinion's examples or a prefecture's own list."""
    if data.lists:
        names = {"": t("list_opinion", lang), **{k: v.meta[column("short", lang)] for k, v in data.lists.items()}}
        session.state_widget(st.selectbox, t("list_pick", lang), session.LIST, "", options=list(names),
                             format_func=names.get)


def _on_search(data: Data) -> None:
    found = resolve(session.widget_value(session.W_SEARCH) or "", data.aliases, data.tables.counties)
    if len(found) == 1:
        session.select_county(found[0])


def search_box(data: Data, lang: str) -> None:
    """Type a name in any form; one match selects the county, several ask which."""
    text = st.text_input(t("search", lang), key=session.W_SEARCH, help=t("search_help", lang),
                         placeholder="晋江 / Jinjiang / 龙海市", on_change=_on_search, args=(data,))
    if not text.strip():
        return
    found = resolve(text, data.aliases, data.tables.counties)
    if len(found) == 1:
        return
    names = cached.county_names(data, lang)
    if not found:
        members = prefecture_counties(text, data.tables.counties)
        if members:
            st.info(t("search_prefecture", lang, text=md_literal(text),
                      names=t("list_sep", lang).join(names[a] for a in members)))
            return
        st.warning(t("search_unknown", lang, text=md_literal(text)))
        hints = suggest_counties(text, data.aliases)
        if hints:
            st.caption(t("search_suggest", lang, names=t("list_sep", lang).join(names[a] for a in hints)))
        return
    prefectures = data.tables.counties.set_index("adcode")[column("prefecture", lang)]
    st.radio(t("search_ambiguous", lang, text=md_literal(text)), found, index=None, key=session.W_SEARCH_PICK,
             format_func=lambda a: names[a] + t("in_paren", lang, text=prefectures[a]),
             on_change=lambda: session.select_county(session.widget_value(session.W_SEARCH_PICK)))
