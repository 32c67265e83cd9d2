"""Entry point: `streamlit run dashboard.py`. Page set-up, shared sidebar, navigation."""

import streamlit as st

from fjchains.app import widgets
from fjchains.i18n import t

st.set_page_config(page_title="福建县域重点产业链 | Fujian county key chains", layout="wide",
                   initial_sidebar_state="expanded")

widgets.mark_entry()
data = widgets.load_data_or_stop()
widgets.init_state(data)
lang = widgets.lang()

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), default=True),
    st.Page("pages/explorer.py", title=t("page_explorer", lang), url_path="explorer"),
    st.Page("pages/chains.py", title=t("page_chains", lang), url_path="chains"),
    st.Page("pages/upload.py", title=t("page_upload", lang), url_path="upload"),
    st.Page("pages/data_sources.py", title=t("page_data", lang), url_path="sources"),
]
page = st.navigation(pages)
widgets.page_style()
widgets.print_style()
widgets.sidebar(data)
for warning in st.session_state.pop("_url_warnings", []):
    st.warning(warning)
page.run()
widgets.sync_url()
