"""The Streamlit layer, split by what the user sees; the only package code that imports Streamlit.

session (every session key, the URL, widget mirroring), entry (how a page starts), sidebar,
map_panel (map + detail), overview (headline cards, charts), chain_profile, downloads,
upload_panel, pictures (map pictures, print); cached (per-process loaders).
"""
