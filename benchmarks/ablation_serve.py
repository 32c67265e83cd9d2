"""serve.py with one first-paint mechanism off, for benchmarks/first_paint_ablation.py.

The mechanism (a field of fjchains.app.first_paint.Mechanisms) is named by the environment
variable FJ_FIRST_PAINT_OFF; empty or unset: all on, exactly as serve.py.
"""

import os
from dataclasses import replace

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from fjchains.app import seam
from fjchains.app.budgets import SocketBudget, UploadBudget
from fjchains.app.first_paint import FIRST_PAINT
from fjchains.core import paths

OFF = os.environ.get("FJ_FIRST_PAINT_OFF", "")
if OFF:
    FIRST_PAINT.mechanisms = replace(FIRST_PAINT.mechanisms, **{OFF: False})

app = st.App(str(paths.ROOT / "dashboard.py"), routes=FIRST_PAINT.routes(config.get_option("server.baseUrlPath")),
             middleware=[Middleware(seam.StaticFromMemory), Middleware(UploadBudget), Middleware(SocketBudget),
                         Middleware(seam.WholeFirstRun)])
