"""Your data, spatial statistics: Moran's I, the LISA cluster map, the Moran scatter, chain
counties vs the rest, and the per-county statistics as CSV.

Opened with a toggle: esda and libpysal take seconds to import, paid only by a process whose
user asks (a background import would hold the GIL while other sessions click); computed once
per file and column (fjchains.app.cached.moran).
The cluster map is the same map component as above.
"""

from __future__ import annotations

import streamlit as st

from fjchains.analysis.chain_vs_rest import GroupComparison, effect_words
from fjchains.analysis.spatial import SpatialError, SpatialResult, global_reading, lisa_labels, significance_cutoff
from fjchains.app import cached, entry, session
from fjchains.app.cached import Data
from fjchains.app.panels.map_panel import county_map, filtered_chain_ids
from fjchains.core import limits
from fjchains.core.i18n import t
from fjchains.core.textsafe import md_literal, md_text
from fjchains.render import export
from fjchains.render.spatial_views import (
    group_plot,
    label_text,
    lisa_colouring,
    lisa_tooltips,
    moran_scatter,
    statistics_table,
)
from fjchains.upload.userdata import UserData

ALPHAS = (0.05, 0.01)


def spatial_section(data: Data, uploaded: UserData, settings, lang: str) -> None:
    """The whole analysis under the choropleth, for the mapped numeric column."""
    column = getattr(settings, "column", None)
    if column not in uploaded.numeric_columns:
        return
    st.divider()
    st.subheader(t("spatial_title", lang))
    st.caption(t("spatial_intro", lang))
    if not session.state_widget(st.toggle, t("spatial_toggle", lang), session.SPATIAL_ON, False):
        return
    with entry.guarded("spatial"):
        values = uploaded.column(column, data.layer["adcode"])
        try:
            with st.spinner(t("spatial_computing", lang)):
                result = cached.moran(data, column, values)
        except SpatialError as exc:
            st.warning(md_text(exc.message(lang)))
            return
        _analysis(data, uploaded, result, column, lang)


def _analysis(data: Data, uploaded: UserData, result: SpatialResult, column: str, lang: str) -> None:
    names = cached.county_names(data, lang)
    sep = t("list_sep", lang)
    left, right = st.columns(2)
    with left:
        alpha = session.state_widget(st.radio, t("significance", lang), session.SPATIAL_ALPHA, ALPHAS[0],
                                     options=ALPHAS, horizontal=True, format_func=lambda a: f"p < {a:g}")
    with right:
        fdr = session.state_widget(st.checkbox, t("fdr", lang), session.SPATIAL_FDR, False, help=t("fdr_help", lang))
    cutoff = significance_cutoff(result, alpha, fdr)
    labels = lisa_labels(result, alpha, fdr)
    key, values = global_reading(result, alpha)
    with st.container(key="moran_global"):
        st.info(t(key, lang, column=md_literal(column), **values))
    if result.islands:
        st.caption(t("spatial_islands", lang, names=sep.join(names[a] for a in result.islands)))
    if result.missing:
        st.caption(t("spatial_missing", lang, n=len(result.missing)))
    faded = _faded(data)
    title = t("lisa_title", lang, column=column)
    colouring = lisa_colouring(labels, faded, lang, title)
    map_col, stat_col = st.columns([3, 2], gap="medium")
    with map_col:
        county_map(data, colouring, "map_lisa", lang, extra_lines=lisa_tooltips(result, labels, column, lang),
                   faded=faded)
        st.caption(t("lisa_note", lang, cutoff=f"{cutoff:.4g}", perms=limits.SPATIAL_PERMUTATIONS))
    with stat_col:
        county_statistic(result, labels, names, lang)
    scatter_col, group_col = st.columns(2, gap="medium")
    with scatter_col:
        _scatter(result, labels, names, lang)
    with group_col:
        named, groups = _chain_group(data, uploaded, column, names, lang)
    table = statistics_table(data.layer, result, labels, cutoff, named, column, lang, groups)
    st.download_button(t("spatial_download", lang), export.to_csv_bytes(table), "spatial_statistics.csv",
                       "text/csv", key="dl_spatial", on_click="ignore")


def _faded(data: Data) -> list[str]:
    """Counties outside the sidebar's chain filter (faded on the map, as on the choropleth)."""
    wanted = set(filtered_chain_ids(data))
    if not wanted:
        return []
    return [a for a, ids in zip(data.layer["adcode"], data.layer["chain_ids"]) if not wanted & set(ids)]


def county_statistic(result: SpatialResult, labels, names: dict[str, str], lang: str) -> None:
    """The selected county's local statistic (or a hint to click one)."""
    adcode = session.county()
    st.markdown(f"**{t('lisa_county_title', lang)}**")
    if not adcode or adcode not in result.table.index:
        st.caption(t("lisa_click_hint", lang))
        return
    row = result.table.loc[adcode]
    colon = t("colon", lang)
    with st.container(border=True, key="lisa_statistic"):
        st.markdown(f"**{names.get(adcode, adcode)}** · {label_text(labels[adcode], lang)}")
        if row["status"] == "ok":
            st.markdown("  \n".join([  # z is the county's own standardised value; the lag its neighbours' mean z
                f"{t('stat_value', lang)}{colon}{row['value']:,.6g}",
                f"{t('stat_z', lang)}{colon}{row['z']:.3f}",
                f"{t('stat_lag', lang)}{colon}{row['lag']:.3f}",
                f"{t('stat_local_i', lang)}{colon}{row['local_i']:.3f}",
                f"{t('stat_p', lang)}{colon}{row['p']:.3f}"]))
        else:
            st.caption(t(f"lisa_{row['status']}_why", lang))


def _on_scatter_select(key: str) -> None:
    points = (session.widget_value(key) or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"][0] for p in points if p.get("customdata")]
    if chosen:
        session.select_county(chosen[0])
        session.bump(session.SCATTER_GENERATION)  # a fresh chart: the county, not the box, is the state


def _scatter(result: SpatialResult, labels, names: dict[str, str], lang: str) -> None:
    key = session.generation_key("moran_scatter", session.SCATTER_GENERATION)
    with st.container(key="moran_scatter"):
        st.plotly_chart(moran_scatter(result, labels, names, lang, session.county()), width="stretch", key=key,
                        on_select=lambda: _on_scatter_select(key), selection_mode="points")
    st.caption(t("scatter_hint", lang))


def _chain_group(data: Data, uploaded: UserData, column: str, names: dict[str, str],
                 lang: str) -> tuple[list[str], GroupComparison | None]:
    """Chain counties (the sidebar's chains, else all) vs the rest; returns the chain counties
    and the groups (None when a group is too small)."""
    chain_ids = filtered_chain_ids(data) or tuple(data.tables.chains["chain_id"])
    named = [a for a, ids in zip(data.layer["adcode"], data.layer["chain_ids"]) if set(chain_ids) & set(ids)]
    chain_names = data.tables.chains.set_index("chain_id")["name_en" if lang == "en" else "name_zh"]
    st.markdown(f"**{t('group_heading', lang)}**")
    st.caption(t("group_chains", lang, chains=t("list_sep", lang).join(chain_names[c] for c in chain_ids)))
    try:
        groups = cached.chain_vs_rest(uploaded.column(column, data.layer["adcode"]), named)
    except SpatialError as exc:
        st.warning(md_text(exc.message(lang)))
        return named, None
    with st.container(key="group_comparison"):
        st.plotly_chart(group_plot(groups, names, column, lang), width="stretch", key="group_plot")
        st.markdown(t("group_result", lang, named=f"{groups.median_named:,.6g}",
                      rest=f"{groups.median_rest:,.6g}", p=f"{groups.p_value:.3f}",
                      delta=f"{groups.cliffs_delta:+.2f}", size=t(effect_words(groups.cliffs_delta), lang)))
    st.caption(t("group_deng", lang))
    return named, groups
