"""The Streamlit layer: cached loaders (cached.py) and shared widgets (widgets.py).

The only part of the package that imports Streamlit; pages import from here.
"""
