"""Fujian county key industry chains: data, boundaries, maps, charts and the dashboard.

Layers, each a subpackage that imports only those before it (tests/test_layers.py):
core -> geo -> data -> upload -> analysis -> render -> app. Only ``fjchains.app`` imports
Streamlit.
"""
