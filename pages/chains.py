"""Chains: one profile per chain: category, counties on the map, counts by prefecture, source."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.chain_overlap import chain_map_colouring, pair_note, shared_counties_heatmap
from fjchains.app.chain_profile import chain_picker, chain_profile
from fjchains.app.deferred import after_map
from fjchains.app.map_panel import map_and_detail
from fjchains.app.overview import chart
from fjchains.app.pictures import map_pictures
from fjchains.i18n import t
from fjchains.layout import CHART_HEIGHT

data = entry.data_or_stop()
lang = session.lang()

st.title(t("page_chains", lang))
chain_id = chain_picker(data, lang)


def under_map() -> None:
    pair_note(data, lang)
    map_pictures(data, "chains", lang, chain_id=chain_id, zip_all=True)


map_and_detail(data, chain_map_colouring(data, chain_id, lang), "map_chains", lang,
               side=lambda: chain_profile(data, chain_id, lang), below=under_map)


def charts() -> None:
    chart("pairs_per_prefecture", lang, [chain_id])
    shared_counties_heatmap(data, lang)


after_map(charts, "chains", CHART_HEIGHT, lang)
