"""Your data: upload county figures, see the join report, map a column, download it all."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.category_panel import category_section, map_mode
from fjchains.app.county_list import county_table_after_map
from fjchains.app.map_panel import detail_panel, notes
from fjchains.app.spatial_panel import spatial_section
from fjchains.app.upload_panel import choropleth_controls, upload_box, user_downloads, user_map
from fjchains.i18n import t

data = entry.data_or_stop()
lang = session.lang()

st.title(t("upload_title", lang))
upload_box(data, lang)
uploaded = session.userdata()
if uploaded is not None and map_mode(uploaded, lang) == "values":
    category_section(data, uploaded, lang)
elif uploaded is not None:
    left, right = st.columns([3, 2], gap="medium")
    with right:
        settings = choropleth_controls(uploaded, lang)
    with left:
        payload = user_map(data, uploaded, settings, lang)
        notes(data, lang)
        county_table_after_map(data, lang)  # issue 11: every county with its uploaded value, sortable
    with right:
        detail_panel(data, lang)
    user_downloads(data, uploaded, payload, lang, settings)
    spatial_section(data, uploaded, settings, lang)
