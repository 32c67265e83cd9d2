"""Overview: headline figures, the county map coloured by chain count, the category mix."""

import streamlit as st

from fjchains import charts
from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()

st.title(t("app_title", lang))
st.caption(t("app_subtitle", lang))
widgets.kpi_row(data)
left, right = st.columns([3, 2], gap="medium")
with left:
    widgets.county_map(data, widgets.map_colouring(data), key="map_overview")
    widgets.notes(data)
with right:
    widgets.detail_panel(data)
    st.plotly_chart(charts.category_mix(data.tables, lang), width="stretch")
