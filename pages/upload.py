"""Your data: upload county figures, see the join report, map a column, download it all."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()

st.title(t("upload_title", lang))
widgets.upload_box(data)
uploaded = st.session_state.get(widgets.USERDATA)
if uploaded is not None:
    left, right = st.columns([3, 2], gap="medium")
    with right:
        settings = widgets.choropleth_controls(uploaded)
    with left:
        payload = widgets.user_map(data, uploaded, settings)
        widgets.notes(data)
    with right:
        widgets.detail_panel(data)
    widgets.user_downloads(data, uploaded, payload, settings)
