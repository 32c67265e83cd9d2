"""Chains: one profile per chain: category, counties on the map, counts by prefecture, source."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()

st.title(t("page_chains", widgets.lang()))
chain_id = widgets.chain_picker(data)
widgets.map_and_detail(data, widgets.single_chain_colouring(data, chain_id), key="map_chains",
                       side=lambda: widgets.chain_profile(data, chain_id),
                       below=lambda: widgets.map_pictures(data, key="chains", chain_id=chain_id, zip_all=True))
widgets.chart("pairs_per_prefecture", [chain_id])
