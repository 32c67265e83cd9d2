"""Chains: one profile per chain: category, counties on the map, counts by prefecture, source."""

import streamlit as st

from fjchains import charts
from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()

st.title(t("page_chains", lang))
chain_id = widgets.chain_picker(data)
left, right = st.columns([3, 2], gap="medium")
with left:
    widgets.county_map(data, widgets.single_chain_colouring(data, chain_id), key="map_chains")
    widgets.notes(data)
with right:
    widgets.chain_profile(data, chain_id)
    st.plotly_chart(charts.chain_by_prefecture(data.tables, chain_id, lang), width="stretch")
