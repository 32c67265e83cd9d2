"""The clickable county map beside the county detail panel, and the caveats under the map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from fjchains import maps
from fjchains.app import cached, session
from fjchains.app.cached import Data, geometry_url
from fjchains.colouring import Colouring, colour_counties, effective_chains
from fjchains.i18n import t
from fjchains.selection import county_at
from fjchains.textsafe import md_literal, md_text
from fjchains.userdata import value_lines


def _on_map_click(data: Data, map_key: str) -> None:
    clicked = (session.widget_value(map_key) or {}).get("last_clicked")
    if clicked and clicked.get("lat") is not None:
        adcode = county_at(data.layer, clicked["lat"], clicked["lng"])
        if adcode:
            session.select_county(adcode)


def county_map(data: Data, colouring: Colouring, key: str, lang: str, extra_lines: dict | None = None,
               faded: list[str] | None = None) -> dict:
    """The clickable county map; a click selects a county without remounting the map.

    The base map's script is constant per language and basemap, so streamlit-folium keeps
    the same map (zoom, pan) across reruns; only the style payload changes. Returns that
    payload, so a download can show the same map.
    """
    view = session.view()
    payload = maps.style_payload(data.layer, data.tables.chains, colouring, view.filters, lang, extra_lines, faded)
    base = maps.base_map(geometry_url(data), lang=lang, basemap=view.basemap,
                         custom_boundaries=data.custom_boundaries, tips=cached.tooltips(data, lang))
    st_folium(base, key=key, height=maps.MAP_HEIGHT, use_container_width=True,
              returned_objects=["last_clicked"], feature_group_to_add=maps.style_layer(payload),
              on_change=lambda: _on_map_click(data, key))
    return payload


@st.fragment
def map_and_detail(data: Data, colouring: Colouring, key: str, lang: str, side: Callable[[], None] | None = None) -> None:
    """The map beside the detail panel (and `side`, drawn above it).

    A fragment: a click on the map reruns only this part, so the charts and the rest of
    the page are neither rebuilt nor sent again.
    """
    with session.guarded(key):
        left, right = st.columns([3, 2], gap="medium")
        with left:
            county_map(data, colouring, key, lang)
            notes(data, lang)
        with right:
            if side is not None:
                side()
            detail_panel(data, lang)
        session.sync_url()  # a fragment rerun skips dashboard.py's own call


def filtered_chain_ids(data: Data) -> tuple[str, ...]:
    """The chains the sidebar filters leave in play (empty when nothing is filtered)."""
    filters = session.current_filters()
    if not filters.chains and not filters.categories:
        return ()
    return tuple(effective_chains(filters, data.tables.chains))


def map_colouring(data: Data, lang: str) -> Colouring:
    return colour_counties(data.layer, data.tables.chains, session.current_filters(), lang)


def detail_panel(data: Data, lang: str) -> None:
    """Names, prefecture, level, chains, golden card for the selected county, each sourced."""
    adcode = session.county()
    st.subheader(t("detail_title", lang))
    if not adcode:
        st.info(t("click_hint", lang))
        return
    d = cached.detail(data, adcode, lang)
    colon = t("colon", lang)
    with st.container(border=True, key="detail_panel"):
        st.markdown(f"### {d.name}")
        st.caption(f"{d.other_name} · {t('adcode', lang)} {d.adcode}")
        st.markdown(f"**{t('prefecture', lang)}**{colon}{d.prefecture}  \n**{t('level', lang)}**{colon}{d.level}")
        if d.former_names:
            st.caption(t("former_names", lang, names=t("list_sep", lang).join(d.former_names)))
        st.markdown(f"**{t('chains_named', lang)}**")
        if d.chains:
            for line in d.chains:
                st.markdown(f"- **{line.label}** · {line.value}", help=f"{t('source', lang)}{colon}{line.source}")
            st.caption(t("deng_note", lang))
        else:
            st.caption(t("no_chains", lang))
        if d.golden_card:
            st.success(f"{d.golden_card.label}{colon}**{d.golden_card.value}**")
            st.caption(f"{t('source', lang)}{colon}{d.golden_card.source}")
        uploaded = session.userdata()
        if uploaded is not None:
            st.markdown(f"**{t('uploaded_values', lang)}** · {md_literal(uploaded.filename)}")
            # headers and cells are the user's: md_text keeps them plain text (st.table would
            # render them as Markdown)
            rows = value_lines(uploaded, adcode, lang)
            with st.container(key="detail_values"):
                st.markdown("  \n".join(f"{md_text(k)}{colon}{md_text(v)}" for k, v in rows.items()))
        st.button(t("clear_selection", lang), key="clear_county", on_click=session.clear_selection)
        for source in dict.fromkeys(line.source for line in d.chains):
            st.caption(f"{t('source', lang)}{colon}{source}")


def notes(data: Data, lang: str) -> None:
    """The caveats every map needs on screen: 等, and where the boundaries come from."""
    st.caption(t("deng_note", lang))
    if data.custom_boundaries:
        st.caption(t("boundary_custom", lang, path=md_literal(Path(data.boundaries_file).name)))
    else:
        st.caption(t("boundary_note", lang))
