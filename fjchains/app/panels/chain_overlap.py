"""Chains page, spatial part: each chain's contiguous clusters (profile and map legend) and the
chain x chain heatmap of shared counties, whose cell click shows the counties named for both."""

from __future__ import annotations

import streamlit as st

from fjchains.app import cached, session
from fjchains.app.cached import Data
from fjchains.app.panels.map_panel import filtered_chain_ids
from fjchains.app.panels.pictures import screen_only
from fjchains.core.i18n import chain_names, t
from fjchains.geo.colouring import CHAIN_COLOURS, NOT_NAMED, Colouring
from fjchains.geo.neighbours import chain_clusters, counties_in_all
from fjchains.render.spatial_views import cluster_colouring


def _chain_names(data: Data, lang: str) -> dict[str, str]:
    return chain_names(data.tables.chains, lang)


def clusters(data: Data, chain_id: str) -> list[list[str]]:
    """The chain's named counties grouped by shared borders (fjchains.geo.neighbours.chain_clusters)."""
    return chain_clusters(cached.neighbours(data), data.layer, chain_id)


def chain_map_colouring(data: Data, chain_id: str | None, lang: str) -> Colouring | None:
    """The Chains page map: the chosen pair's shared counties if a heatmap cell was clicked,
    else the chain's clusters, each in its own colour, listed in the legend (None: no chain
    and no pair, the page shows the sidebar's map)."""
    names = cached.county_names(data, lang)
    pair = session.chain_pair()
    if pair:
        chain_names = _chain_names(data, lang)
        both = counties_in_all(data.layer, pair)
        fills = {a: (CHAIN_COLOURS[0] if a in set(both) else NOT_NAMED) for a in data.layer["adcode"]}
        legend = [(f"{t('pair_legend', lang)} ({len(both)})", CHAIN_COLOURS[0]), (t("legend_other", lang), NOT_NAMED)]
        return Colouring(fills, legend, t("pair_title", lang, a=chain_names[pair[0]], b=chain_names[pair[1]]), both)
    if chain_id is None:
        return None
    title = _chain_names(data, lang)[chain_id]
    return cluster_colouring(clusters(data, chain_id), data.layer["adcode"], lang, title, names)


def cluster_lines(data: Data, chain_id: str, lang: str) -> None:
    """The chain's clusters as text, for its profile."""
    names = cached.county_names(data, lang)
    sep = t("list_sep", lang)
    groups = clusters(data, chain_id)
    st.markdown(f"**{t('chain_clusters', lang)}**")
    lines = [t("cluster_item", lang, n=i + 1, names=sep.join(names[a] for a in g))
             for i, g in enumerate(g for g in groups if len(g) > 1)]
    singles = [g[0] for g in groups if len(g) == 1]
    if singles:
        lines.append(t("cluster_single", lang, names=sep.join(names[a] for a in singles)))
    with st.container(key="chain_clusters"):
        st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(t("cluster_note", lang))


def pair_note(data: Data, lang: str) -> None:
    """Under the map while a pair is shown: which counties, the 等 caveat, a way back."""
    pair = session.chain_pair()
    if not pair:
        return
    chain_names = _chain_names(data, lang)
    st.info(t("pair_caption", lang, a=chain_names[pair[0]], b=chain_names[pair[1]],
              n=len(counties_in_all(data.layer, pair))))
    st.button(t("pair_clear", lang), key="pair_clear", on_click=lambda: session.set_chain_pair([]))


def _on_cell_select(key: str) -> None:
    points = (session.widget_value(key) or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"][:2] for p in points if p.get("customdata")]
    if chosen:
        pair = list(dict.fromkeys(chosen[0]))
        session.set_chain_pair(pair if len(pair) == 2 else [])  # the diagonal: back to the chain's clusters
        session.request_page_rerun()  # the heatmap waits in a fragment (deferred.after_map); the map must follow
        if len(pair) == 1:
            session.set_chains(pair)  # the diagonal: that chain's profile (the page follows the sidebar)


def shared_counties_heatmap(data: Data, lang: str) -> None:
    """Chain x chain heatmap (the sidebar's chains when two or more are filtered, else all)."""
    chain_ids = list(filtered_chain_ids(data))
    if len(chain_ids) < 2:
        chain_ids = list(data.tables.chains["chain_id"])
    figure, shared_csv, clusters_csv = cached.chain_overlap(data, lang, tuple(chain_ids))
    key = session.generation_key("shared_heatmap", session.HEATMAP_GENERATION)
    with st.container(key="shared_heatmap"):
        st.plotly_chart(figure, width="stretch", key=key, on_select=lambda: _on_cell_select(key),
                        selection_mode="points")
    with screen_only("heatmap_hint"):
        st.caption(t("heatmap_hint", lang))
    st.caption(t("deng_note", lang))
    left, right = st.columns(2)
    left.download_button(t("shared_download", lang), shared_csv, "chains_shared_counties.csv", "text/csv",
                         key="dl_shared", on_click="ignore")
    right.download_button(t("clusters_download", lang), clusters_csv, "chain_clusters.csv", "text/csv",
                          key="dl_clusters", on_click="ignore")
