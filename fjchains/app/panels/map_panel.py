"""The clickable county map beside the county detail panel, and the caveats under the map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from fjchains.app import budgets, cached, entry, seam, session
from fjchains.app.cached import Data
from fjchains.app.first_paint import FIRST_PAINT
from fjchains.app.map_frame import county_map_frame
from fjchains.app.panels.compare_panel import add_to_compare_button
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_literal, md_text
from fjchains.data.chain_lists import colour_by_list, county_lines, list_caveats, list_source, short_title
from fjchains.geo import maps
from fjchains.geo.colouring import Colouring, colour_counties, effective_chains
from fjchains.geo.selection import county_at


def _on_map_click(data: Data, map_key: str) -> None:
    session.mark_map_drawn()  # clicked, so drawn: the fragment's rerun sends the detail panel too
    clicked = (session.widget_value(map_key) or {}).get("last_clicked")
    if clicked and clicked.get("lat") is not None:
        adcode = county_at(data.layer, clicked["lat"], clicked["lng"])
        if adcode:
            session.select_county(adcode)


def county_map(data: Data, colouring: Colouring, key: str, lang: str, extra_lines: dict | None = None,
               faded: list[str] | None = None) -> dict:
    """The clickable county map; a click selects a county without remounting the map.

    The frame's base is constant per language, basemap and boundaries, so the browser keeps
    the same map (zoom, pan) across reruns; only the style payload changes. Returns that
    payload, so a download can show the same map.
    """
    view = session.view()
    payload = maps.style_payload(data.layer, data.tables.chains, colouring, view.filters, lang, extra_lines, faded)
    base = cached.frame_base(data, lang, view.basemap)
    # a container of the map's height from the first frame: its iframe arrives later and would
    # push everything under it down (page CSS arrives too late to hold the room)
    with st.container(key=f"mapslot_{key}", height=maps.MAP_HEIGHT, border=False):
        county_map_frame(base, payload, key, maps.MAP_HEIGHT, on_click=lambda: _on_map_click(data, key))
    return payload


@seam.fragment
def map_and_detail(data: Data, colouring: Colouring, key: str, lang: str, side: Callable[[], None] | None = None,
                   below: Callable[[], None] | None = None) -> None:
    """The map beside the detail panel (and `side`, drawn above it; `below`, under the map).

    A fragment: a click on the map reruns only this part, so the charts and the rest of
    the page are neither rebuilt nor sent again (a callback in here that changes the rest
    asks for a whole-page rerun: session.request_page_rerun).
    """
    budgets.pace_fragment_run()  # a click reruns this fragment alone: paced like a page run
    with entry.guarded(key):
        left, right = st.columns([3, 2], gap="medium")
        with left:
            county_map(data, colouring, key, lang)
        FIRST_PAINT.map_sent()  # a held first run ends here: the rest once the map has drawn
        with left:
            notes(data, lang, colouring)
            if below is not None:
                below()
        with right:
            if side is not None:
                side()
            detail_panel(data, lang, colouring)
        session.sync_url()  # a fragment rerun skips dashboard.py's own call


def filtered_chain_ids(data: Data) -> tuple[str, ...]:
    """The chains the sidebar filters leave in play (empty when nothing is filtered)."""
    filters = session.current_filters()
    if not filters.chains and not filters.categories:
        return ()
    return tuple(effective_chains(filters, data.tables.chains))


def current_list(data: Data):
    """The prefecture list chosen in the sidebar (fjchains.data.chain_lists.ChainList), or None
    for the opinion's examples."""
    return data.lists.get(session.list_id())


def shown_list(data: Data, colouring: Colouring | None):
    """The list a map's colours show (None: the opinion's); notes and details follow the map, not the sidebar."""
    return data.lists.get(colouring.list_id) if colouring is not None and colouring.list_id else None


def map_colouring(data: Data, lang: str) -> Colouring:
    """The colours of the list the sidebar chose (the opinion's examples, filtered, by default)."""
    chosen = current_list(data)
    if chosen is not None:
        return colour_by_list(data.layer, chosen, lang)
    return colour_counties(data.layer, data.tables.chains, session.current_filters(), lang)


def detail_panel(data: Data, lang: str, colouring: Colouring | None = None) -> None:
    """Names, prefecture, level, chains (of the list the map shows), golden card, each sourced.

    In a container of its own (key "detail_section"): the page's skip link jumps here.
    """
    with st.container(key="detail_section"):
        _detail_panel(data, lang, colouring)


def _detail_panel(data: Data, lang: str, colouring: Colouring | None = None) -> None:
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
        chosen = shown_list(data, colouring)
        if chosen is not None:
            list_detail(data, chosen, adcode, lang)
        else:
            opinion_detail(d, lang)
            chain_links(data, adcode, d, lang)
        if d.golden_card:
            st.success(f"{d.golden_card.label}{colon}**{d.golden_card.value}**")
        uploaded = session.userdata()
        if uploaded is not None:
            from fjchains.upload.userdata import value_lines  # loads mapclassify: only once a file is uploaded

            st.markdown(f"**{t('uploaded_values', lang)}** · {md_literal(uploaded.filename)}")
            # headers and cells are the user's: md_text keeps them plain text (st.table would
            # render them as Markdown)
            rows = value_lines(uploaded, adcode, lang)
            with st.container(key="detail_values"):
                st.markdown("  \n".join(f"{md_text(k)}{colon}{md_text(v)}" for k, v in rows.items()))
        if st.button(t("clear_selection", lang), key="clear_county"):
            session.clear_selection()
            st.rerun(scope="app")  # the sidebar's search box is outside this fragment: redraw it empty
        add_to_compare_button(adcode, lang)
        for source in d.sources(with_chains=chosen is None):  # each once per panel
            st.caption(f"{t('source', lang)}{colon}{source}")


def chain_link(chain_id: str, label: str) -> None:
    """A chain named in a county's detail: a button that opens the chain's profile page."""
    if st.button(label, key=f"chain_link_{chain_id}", type="tertiary", icon=":material/arrow_forward:",
                 on_click=session.show_chain, args=(chain_id,)):
        st.switch_page("pages/chains.py")


def chain_links(data: Data, adcode: str, d, lang: str) -> None:
    """Each chain the county is named for opens that chain's profile (the Chains page)."""
    if not d.chains:
        return
    st.caption(t("chain_open", lang))
    chain_ids = data.layer.set_index("adcode").at[adcode, "chain_ids"]
    for chain_id, line in zip(chain_ids, d.chains, strict=False):
        chain_link(chain_id, line.label)


def opinion_detail(d, lang: str) -> None:
    """The opinion's chains for the county (the panel's default section)."""
    st.markdown(f"**{t('chains_named', lang)}**")
    if d.chains:
        for line in d.chains:
            source = f"{t('source', lang)}{t('colon', lang)}{line.source}"
            st.markdown(f"- **{line.label}** · {line.value}", help=source)
        st.caption(t("deng_note", lang))
        for note in d.notes:
            st.caption(note)
    else:
        st.caption(t("no_chains", lang))


def list_detail(data: Data, chosen, adcode: str, lang: str) -> None:
    """A prefecture list's chains for the county, each with the list's exact words."""
    st.markdown(f"**{t('list_chains_named', lang, title=short_title(chosen, lang))}**")
    lines = county_lines(chosen, adcode, lang)
    for line in lines:
        st.markdown(f"- **{line.chain}** · {line.industry}", help=f"“{line.quote}”")
    if not lines:
        st.caption(t("list_not_named", lang))
    st.caption(f"{t('source', lang)}{t('colon', lang)}{list_source(chosen, data.tables, lang)}")


def notes(data: Data, lang: str, colouring: Colouring | None = None) -> None:
    """The caveats every map needs on screen: 等 (or the shown list's caveats and source), the boundaries."""
    chosen = shown_list(data, colouring)
    if chosen is not None:
        for note in list_caveats(chosen, lang):
            st.caption(note)
        st.caption(f"{t('source', lang)}{t('colon', lang)}{list_source(chosen, data.tables, lang)}")
    else:
        st.caption(t("deng_note", lang))
    if data.custom_boundaries:
        st.caption(t("boundary_custom", lang, path=md_literal(Path(data.boundaries_file).name)))
    else:
        st.caption(t("boundary_note", lang))
