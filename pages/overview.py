"""Overview: headline figures, the county map coloured by chain count, the category mix."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()

st.title(t("app_title", lang))
st.caption(t("app_subtitle", lang))
widgets.kpi_row(data)
widgets.map_and_detail(data, widgets.map_colouring(data), key="map_overview",
                       below=lambda: widgets.map_pictures(data, key="overview"))
left, right = st.columns(2)
with left:
    widgets.chart("category_mix")
with right:
    widgets.chart("pairs_per_prefecture")
