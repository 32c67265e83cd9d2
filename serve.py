"""What `make run` starts: `streamlit run serve.py` serves dashboard.py.

Through `st.App`, so that our pages' URLs answer with Streamlit's HTML page plus the
first-paint stylesheet (fjchains/app/index_page.py); everything else is Streamlit's own
server, flags and `.streamlit/config.toml` as with `streamlit run dashboard.py`, behind
middlewares that keep each session's uploads and messages within their budgets
(fjchains/app/budgets.py) and make a reconnecting page's first run whole (fjchains/app/seam.py).
"""

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from fjchains.app import seam
from fjchains.app.budgets import SocketBudget, UploadBudget
from fjchains.app.first_paint import FIRST_PAINT

# StaticFromMemory: Streamlit's frontend bundle and our static files served from memory (the
# most of a page load's server CPU was reading them, issue 25); UploadBudget: at most a few files
# a minute per session, a new file replacing the old;
# SocketBudget: each websocket's messages paced (issue 23); WholeFirstRun: a page reconnecting
# after a restart runs whole on the new server (fjchains/app/seam.py)
app = st.App("dashboard.py", routes=FIRST_PAINT.routes(config.get_option("server.baseUrlPath")),
             middleware=[Middleware(seam.StaticFromMemory), Middleware(UploadBudget), Middleware(SocketBudget),
                         Middleware(seam.WholeFirstRun)])
