"""Owns the Streamlit layer, the only code that imports Streamlit: the shell (entry,
session: every session key, seam: every reach past Streamlit's public API, budgets,
index_page and deferred: first paint, cached, map_frame) and panels/ (what the user sees).
May import: every layer.
"""
