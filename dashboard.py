"""The app's script: page set-up, shared sidebar, navigation.

Started by `make run`, which runs `streamlit run serve.py`: serve.py serves this script with
the first-paint HTML page and the upload budget. `streamlit run dashboard.py` runs it bare.
"""

import streamlit as st

from fjchains.app import budgets, entry, seam, session
from fjchains.app.first_paint import FIRST_PAINT
from fjchains.app.panels.access import skip_links
from fjchains.app.panels.pictures import print_style
from fjchains.app.panels.share import share_style
from fjchains.app.panels.sidebar import sidebar
from fjchains.core.i18n import t

st.set_page_config(page_title="福建县域重点产业链 | Fujian county key chains", layout="wide",
                   initial_sidebar_state="auto")  # auto: collapsed on a phone

budgets.pace_page_run()  # a session asking for reruns faster than a person clicks waits its turn
budgets.start_sweeper()  # once per process: closed tabs' sessions and uploads are freed
seam.install()  # once per process: Streamlit's version and internals checked, each missing one off with a log line
session.mark_entry()
data = entry.load_data_or_stop()
session.init_state(set(data.layer["adcode"]), data.tables.chains["chain_id"].tolist(), tuple(data.lists))
lang = session.lang()

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), default=True),
    st.Page("pages/explorer.py", title=t("page_explorer", lang), url_path="explorer"),
    st.Page("pages/chains.py", title=t("page_chains", lang), url_path="chains"),
    st.Page("pages/upload.py", title=t("page_upload", lang), url_path="upload"),
    st.Page("pages/sources.py", title=t("page_data", lang), url_path="sources"),
]
page = st.navigation(pages, position="top")
# a session's first map page may send the map alone, the sidebar once it has drawn (fjchains/app/first_paint.py)
with FIRST_PAINT.page(page.url_path in entry.MAP_PAGES, lang, sidebar=lambda: sidebar(data, lang)) as held:
    # the page's scripts after the sidebar's widgets: each is a placeholder of a line's height
    # until its code has loaded, and above the widgets they would make them jump up
    entry.page_assets()
    print_style()
    share_style()  # the share popovers; ?embed=true: no sidebar, no header (issue 27)
    skip_links(lang)
    for warning in session.pop_url_warnings(keep=held):
        st.warning(warning)
    with entry.guarded(page.url_path or "overview"):
        page.run()
session.sync_url()
budgets.end_page_run()
