"""Your data: upload county figures, see the join report, map a column, download it all."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.panels.county_grid import county_grid_after_map
from fjchains.app.panels.map_panel import detail_panel, notes
from fjchains.app.panels.spatial_panel import spatial_section
from fjchains.app.panels.upload_panel import choropleth_controls, upload_box, upload_report, user_downloads, user_map
from fjchains.app.panels.values_panel import map_mode, values_section
from fjchains.core.i18n import t

data = entry.data_or_stop()
lang = session.lang()

st.title(t("upload_title", lang))
with st.container(key="upload_box"):  # a refused file's message stays in here, above the map
    upload_box(data, lang)
uploaded = session.userdata()
# the map is drawn before any file (grey, waiting) and keeps its place and its frame when one
# arrives: what the file brings (report, settings) comes beside it, in the right column
left, right = st.columns([3, 2], gap="medium")
mode = "numbers"
if uploaded is not None:
    with right:
        upload_report(data, uploaded, lang)
        mode = map_mode(uploaded, lang)
if uploaded is not None and mode == "values":
    values_section(data, uploaded, lang, left, right)
else:
    with right:
        settings = choropleth_controls(uploaded, lang) if uploaded is not None else None
    with left:
        payload = user_map(data, uploaded, settings, lang)  # before a file: grey, waiting for it
        if uploaded is not None:
            notes(data, lang)
    with right:
        detail_panel(data, lang)
    if uploaded is not None:
        # issue 11: every county with its uploaded value, sortable; under both columns, so on a
        # phone the report and the settings come before it, not after 84 rows
        county_grid_after_map(data, lang)
        user_downloads(data, uploaded, payload, lang, settings)
        spatial_section(data, uploaded, settings, lang)
