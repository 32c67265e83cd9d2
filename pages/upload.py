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
# what the file brings above the map (report, mode) stays in this one container, so the map
# below keeps its place in the page and the browser keeps its frame when a file arrives
with st.container(key="upload_box"):
    upload_box(data, lang)
    uploaded = session.userdata()
    mode = map_mode(uploaded, lang) if uploaded is not None else "numbers"
if uploaded is not None and mode == "values":
    category_section(data, uploaded, lang)
else:
    left, right = st.columns([3, 2], gap="medium")
    with right:
        settings = choropleth_controls(uploaded, lang) if uploaded is not None else None
    with left:
        payload = user_map(data, uploaded, settings, lang)  # before a file: grey, waiting for it
        if uploaded is not None:
            notes(data, lang)
            county_table_after_map(data, lang)  # issue 11: every county with its uploaded value, sortable
    with right:
        detail_panel(data, lang)
    if uploaded is not None:
        user_downloads(data, uploaded, payload, lang, settings)
        spatial_section(data, uploaded, settings, lang)
