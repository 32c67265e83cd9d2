"""The naive reference app the benchmark compares against (not part of the dashboard).

What a first version of the explorer would look like: no caching, the full-resolution
84 county polygons sent as ONE folium.GeoJson with a style_function and a tooltip, and
st_folium with its default arguments (no key, no returned_objects, no
feature_group_to_add). A click is read from last_active_drawing / last_object_clicked.

The only concession: it must work offline, so Leaflet comes from the app's static folder
(benchmarks/static -> ../static; start with --server.enableStaticServing true) and there
is no tile layer.

    .venv/bin/streamlit run benchmarks/naive_app.py --server.enableStaticServing true
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from fjchains.data.boundaries import load_boundaries
from fjchains.data.layer import build_county_layer
from fjchains.data.tables import load_tables
from fjchains.geo.colouring import Filters, colour_counties


class LocalLeafletMap(folium.Map):
    """folium.Map with Leaflet from /app/static (the page would otherwise need a CDN)."""

    default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]


st.set_page_config(page_title="naive reference map", layout="wide")

# No caching: every rerun reads the CSVs and the GeoJSON again and rebuilds the layer.
tables = load_tables()
layer = build_county_layer(load_boundaries(), tables)
chains = tables.chains
chain_name = chains.set_index("chain_id")["name_zh"].to_dict()

with st.sidebar:
    chosen = st.multiselect("产业链", chains["chain_id"].tolist(), key="w_chains",
                            format_func=lambda c: chain_name[c], placeholder="全部")

colouring = colour_counties(layer, chains, Filters(chains=tuple(chosen)), "zh")
fills = colouring.fills

geo = layer[["adcode", "name_zh", "prefecture_zh", "geometry"]].copy()
geo["chains"] = ["、".join(chain_name[c] for c in ids) or "—" for ids in layer["chain_ids"]]

st.title("福建县域重点产业链 · naive map")
left, right = st.columns([3, 2])
with left:
    m = LocalLeafletMap(location=[25.95, 118.25], zoom_start=7, tiles=None)
    folium.GeoJson(
        geo.to_json(),
        name="counties",
        style_function=lambda f: {"fillColor": fills.get(f["properties"]["adcode"], "#e6e6e6"),
                                  "fillOpacity": 0.88, "color": "#ffffff", "weight": 0.8},
        tooltip=folium.GeoJsonTooltip(fields=["name_zh", "prefecture_zh", "chains"],
                                      aliases=["县(市、区)", "设区市", "产业链"]),
    ).add_to(m)
    out = st_folium(m, width=700, height=600)

clicked = (out or {}).get("last_active_drawing") or (out or {}).get("last_object_clicked")
props = (clicked or {}).get("properties") if isinstance(clicked, dict) else None
with right:
    st.subheader("县(市、区)详情")
    if props and props.get("adcode"):
        row = layer.set_index("adcode").loc[props["adcode"]]
        with st.container(border=True, key="detail_panel"):
            st.markdown(f"### {row['name_zh']}")
            st.caption(f"{row['prefecture_zh']} · {props['adcode']}")
            names = [chain_name[c] for c in row["chain_ids"]]
            for name in names:
                st.markdown(f"- {name}")
            if not names:
                st.caption("未列入重点产业链")
    else:
        st.info("点击地图上的县(市、区)查看详情")
