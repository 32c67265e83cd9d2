"""What `make run` starts: `streamlit run serve.py` serves dashboard.py.

Through `st.App`, so that our pages' URLs answer with Streamlit's HTML page plus the
first-paint stylesheet (fjchains/app/index_page.py); everything else is Streamlit's own
server, flags and `.streamlit/config.toml` as with `streamlit run dashboard.py`, behind a
middleware that keeps each session's uploads within their budget (fjchains/app/budgets.py).
"""

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from fjchains.app.budgets import UploadBudget
from fjchains.app.first_paint import FIRST_PAINT

# UploadBudget: at most a few files a minute per session, a new file replacing the old (issue 23)
app = st.App("dashboard.py", routes=FIRST_PAINT.routes(config.get_option("server.baseUrlPath")),
             middleware=[Middleware(UploadBudget)])
