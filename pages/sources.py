"""Data & sources: the joined table with downloads, and every source with its citation."""

import streamlit as st

from fjchains.app import entry, session
from fjchains.app.downloads import county_table, download_buttons, sources_list
from fjchains.app.map_panel import notes
from fjchains.i18n import t

data = entry.data_or_stop()
lang = session.lang()

st.title(t("page_data", lang))
st.subheader(t("table", lang))
county_table(data, lang)
download_buttons(data, lang)
st.subheader(t("sources_table", lang))
sources_list(data, lang)
notes(data, lang)
