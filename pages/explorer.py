"""Map explorer: filter by chain and category, click or search a county, read its details."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
colouring = widgets.map_colouring(data)

st.title(t("page_explorer", widgets.lang()))
widgets.map_and_detail(data, colouring, key="map_explorer", side=lambda: widgets.matching_list(data, colouring),
                       below=lambda: widgets.map_pictures(data, key="explorer"))
widgets.chain_bar_chart(data)
widgets.chart("pairs_per_prefecture", widgets.filtered_chain_ids(data))
