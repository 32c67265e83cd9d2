"""Map explorer: filter by chain and category, click or search a county, read its details."""

import streamlit as st

from fjchains import charts
from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()
colouring = widgets.map_colouring(data)

st.title(t("page_explorer", lang))
left, right = st.columns([3, 2], gap="medium")
with left:
    widgets.county_map(data, colouring, key="map_explorer")
    widgets.notes(data)
with right:
    widgets.matching_list(data, colouring)
    widgets.detail_panel(data)
widgets.chain_bar_chart(data)
st.plotly_chart(charts.pairs_per_prefecture(data.tables, lang, list(widgets.current_filters().chains) or None),
                width="stretch")
