"""Data & sources: the joined table with downloads, and every source with its citation."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.panels.downloads import download_buttons, shipped_table_grid, sources_list
from fjchains.app.panels.map_panel import notes
from fjchains.core.i18n import t

data = entry.data_or_stop()
lang = session.lang()

st.title(t("page_data", lang))
st.subheader(t("table", lang))
shipped_table_grid(data, lang)
download_buttons(data, lang)
st.subheader(t("sources_table", lang))
sources_list(data, lang)
notes(data, lang)
