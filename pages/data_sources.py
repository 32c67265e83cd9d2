"""Data & sources: the joined table with downloads, and every source with its citation."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

data = widgets.data_or_stop()
lang = widgets.lang()

st.title(t("page_data", lang))
st.subheader(t("table", lang))
widgets.county_table(data)
widgets.download_buttons(data)
st.subheader(t("sources_table", lang))
widgets.sources_table(data)
widgets.notes(data)
