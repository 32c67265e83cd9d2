"""Chains: one profile per chain (the sidebar's chain): category, counties on the map and
their clusters, counts by prefecture, chains that share counties, source."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.deferred import after_map
from fjchains.app.panels.chain_overlap import chain_map_colouring, pair_note, shared_counties_heatmap
from fjchains.app.panels.chain_profile import chain_index, chain_profile, chosen_chain
from fjchains.app.panels.county_grid import county_grid_for
from fjchains.app.panels.map_panel import map_and_detail, map_colouring
from fjchains.app.panels.overview import chart
from fjchains.app.panels.pictures import map_pictures
from fjchains.app.panels.share import share_controls
from fjchains.core.i18n import t
from fjchains.core.layout import CHART_HEIGHT

data = entry.data_or_stop()
lang = session.lang()

st.title(t("page_chains", lang))
chain_id = chosen_chain(data)
colouring = chain_map_colouring(data, chain_id, lang) or map_colouring(data, lang)


def under_map() -> None:
    share_controls(lang)  # issue 27: copy link, embed
    pair_note(data, lang)
    county_grid_for(data, colouring, lang)
    map_pictures(data, "chains", lang, chain_id=chain_id, zip_all=True)


if chain_id is None:
    chain_index(data, lang)
    map_and_detail(data, colouring, "map_chains", lang, below=under_map)
else:
    profiled = chain_id
    map_and_detail(data, colouring, "map_chains", lang, below=under_map,
                   side=lambda: chain_profile(data, profiled, lang))


def charts() -> None:
    chart("pairs_per_prefecture", lang, [chain_id] if chain_id else [])
    shared_counties_heatmap(data, lang)


after_map(charts, "chains", CHART_HEIGHT, lang)
