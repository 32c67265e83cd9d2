"""Chains: one profile per chain: category, counties on the map, counts by prefecture, source.

The chain is the sidebar's (one selector), so the address says it: /chains?chain=food."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.chain_profile import chain_index, chain_profile, chosen_chain, single_chain_colouring
from fjchains.app.county_list import county_table_for
from fjchains.app.map_panel import map_and_detail, map_colouring
from fjchains.app.overview import chart
from fjchains.app.pictures import map_pictures
from fjchains.i18n import t

data = entry.data_or_stop()
lang = session.lang()

st.title(t("page_chains", lang))
chain_id = chosen_chain(data)
colouring = map_colouring(data, lang) if chain_id is None else single_chain_colouring(data, chain_id, lang)


def under_map() -> None:
    county_table_for(data, colouring, lang)
    map_pictures(data, "chains", lang, chain_id=chain_id, zip_all=True)


if chain_id is None:
    chain_index(data, lang)
    map_and_detail(data, colouring, "map_chains", lang, below=under_map)
else:
    profiled = chain_id
    map_and_detail(data, colouring, "map_chains", lang, below=under_map,
                   side=lambda: chain_profile(data, profiled, lang))
chart("pairs_per_prefecture", lang, [chain_id] if chain_id else [])
