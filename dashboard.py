"""The app's script: page set-up, shared sidebar, navigation.

Started by `make run`, which runs `streamlit run serve.py`: serve.py serves this script with
the first-paint HTML page and the upload budget. `streamlit run dashboard.py` runs it bare.
"""

import streamlit as st

from fjchains.app import budgets, entry, seam, session
from fjchains.app.deferred import release_button
from fjchains.app.panels.access import skip_links
from fjchains.app.panels.pictures import print_style
from fjchains.app.panels.sidebar import sidebar
from fjchains.core.i18n import t

st.set_page_config(page_title="福建县域重点产业链 | Fujian county key chains", layout="wide",
                   initial_sidebar_state="auto")  # auto: collapsed on a phone

budgets.pace_page_run()  # a session asking for reruns faster than a person clicks waits its turn
budgets.start_sweeper()  # once per process: closed tabs' sessions and uploads are freed
seam.check_streamlit_version()  # logs once per process if Streamlit is outside the drilled range
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
session.begin_full_run(map_page=page.url_path in entry.MAP_PAGES)
if session.holding_for_map():
    release_button(lang)  # the filters come once the map has drawn (fjchains/app/deferred.py)
else:
    sidebar(data, lang)
# the page's scripts after the sidebar's widgets: each is a placeholder of a line's height
# until its code has loaded, and above the widgets they would make them jump up
entry.page_assets()
print_style()
skip_links(lang)
for warning in session.pop_url_warnings():
    st.warning(warning)
with entry.guarded(page.url_path or "overview"):
    page.run()
session.sync_url()
budgets.end_page_run()
