"""Fujian county key industry chains: data, boundaries, maps and charts.

Everything in this package is plain Python (pandas, geopandas, folium, plotly) except
``fjchains.app``, the only place that imports Streamlit.
"""
