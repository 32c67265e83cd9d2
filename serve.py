"""What `make run` starts: `streamlit run serve.py` serves dashboard.py.

Through `st.App`, so that our pages' URLs answer with Streamlit's HTML page plus the
first-paint stylesheet (fjchains/app/index_page.py); everything else is Streamlit's own
server, flags and `.streamlit/config.toml` as with `streamlit run dashboard.py`.
"""

import streamlit as st
from streamlit import config

from fjchains.app.index_page import page_routes

app = st.App("dashboard.py", routes=page_routes(config.get_option("server.baseUrlPath")))
