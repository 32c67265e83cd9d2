"""Chains: one profile per chain: category, counties on the map, counts by prefecture, source."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.chain_profile import chain_picker, chain_profile, single_chain_colouring
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
map_and_detail(data, single_chain_colouring(data, chain_id, lang), "map_chains", lang,
               side=lambda: chain_profile(data, chain_id, lang),
               below=lambda: map_pictures(data, "chains", lang, chain_id=chain_id, zip_all=True))
after_map(lambda: chart("pairs_per_prefecture", lang, [chain_id]), "chains", CHART_HEIGHT, lang)
