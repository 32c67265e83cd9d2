"""The floor: a Streamlit page with only a title, started like the other apps, so the
benchmark shows how much of a first paint is Streamlit's own start-up (benchmarks/README.md)."""

import streamlit as st

st.title("福建县域重点产业链地图")
