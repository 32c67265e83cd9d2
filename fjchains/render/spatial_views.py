"""What the spatial statistics look like: LISA map colours, Plotly figures, the download table.

Pure functions over the results of fjchains.analysis.spatial, fjchains.analysis.chain_vs_rest
and fjchains.geo.neighbours; the Streamlit layer (fjchains/app/panels/spatial_panel.py) only
places them. Points and cells carry adcodes or chain
ids as customdata, so a click can select a county or a pair of chains.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from fjchains.analysis.chain_vs_rest import GroupComparison
from fjchains.analysis.spatial import LABELS, LISA_COLOURS, SpatialResult
from fjchains.data.layer import county_columns
from fjchains.geo.colouring import CHAIN_COLOURS, NOT_NAMED, Colouring

_FONT = dict(family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif", size=13)
CLUSTER_SINGLE = "#9e9e9e"  # a named county touching no other named county


def label_text(label: str, lang: str) -> str:
    from fjchains.core.i18n import t

    return t(f"lisa_{label}", lang)


def lisa_colouring(labels: pd.Series, faded: list[str], lang: str, title: str) -> Colouring:
    """Map colours of the LISA labels; the legend lists every label (and the faded ones)."""
    from fjchains.core.i18n import t
    from fjchains.upload.userdata import FADED  # loads mapclassify: only on the Your data page

    fills = {a: LISA_COLOURS[label] for a, label in labels.items()}
    counts = labels.value_counts()
    legend = [(f"{label_text(label, lang)} ({int(counts.get(label, 0))})", LISA_COLOURS[label]) for label in LABELS
              if label not in ("missing", "island") or counts.get(label, 0)]
    if faded:
        legend.append((t("legend_faded", lang), FADED))
    matching = [a for a, label in labels.items() if label in ("HH", "LL", "HL", "LH") and a not in set(faded)]
    return Colouring(fills, legend, title, matching)


def lisa_tooltips(result: SpatialResult, labels: pd.Series, column: str, lang: str) -> dict[str, list[str]]:
    """One extra tooltip line per county: the value, its label and its p."""
    from fjchains.core.i18n import t

    out = {}
    for adcode, row in result.table.iterrows():
        value = t("missing", lang) if pd.isna(row["value"]) else f"{row['value']:,.6g}"
        line = f"{column}: {value} · {label_text(labels[adcode], lang)}"
        if pd.notna(row.get("p")):
            line += f" · p = {row['p']:.3f}"
        out[str(adcode)] = [line]
    return out


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    fig.update_layout(title=title, font=_FONT, height=height, margin=dict(l=10, r=10, t=50, b=10),
                      plot_bgcolor="white", legend_title_text="")
    return fig


def moran_scatter(result: SpatialResult, labels: pd.Series, names: dict[str, str], lang: str,
                  selected: str | None = None) -> go.Figure:
    """Standardised value against the neighbours' mean, one trace per LISA label; slope = I."""
    from fjchains.core.i18n import t

    used = result.table[result.table["status"] == "ok"]
    fig = go.Figure()
    for label in ("HH", "LL", "HL", "LH", "ns"):
        part = used[labels[used.index] == label]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["z"], y=part["lag"], mode="markers", name=label_text(label, lang),
            marker=dict(color=LISA_COLOURS[label], size=10, line=dict(color="#555555", width=0.6)),
            customdata=[[a, names.get(a, a), p] for a, p in zip(part.index, part["p"])],
            hovertemplate=f"%{{customdata[1]}}<br>z = %{{x:.2f}}<br>{t('scatter_lag', lang)} = %{{y:.2f}}"
                          "<br>p = %{customdata[2]:.3f}<extra></extra>"))
    if selected is not None and selected in used.index:
        fig.add_trace(go.Scatter(x=[used.at[selected, "z"]], y=[used.at[selected, "lag"]], mode="markers",
                                 name=names.get(selected, selected), hoverinfo="skip",
                                 marker=dict(size=18, color="rgba(0,0,0,0)", line=dict(color="#000000", width=2.5))))
    span = max(float(used["z"].abs().max()), 1.0) * 1.1
    slope = result.moran_i
    fig.add_trace(go.Scatter(x=[-span, span], y=[-span * slope, span * slope], mode="lines", name=f"I = {slope:.3f}",
                             hoverinfo="skip", line=dict(color="#333333", dash="dash")))
    fig.add_hline(y=0, line=dict(color="#bbbbbb", width=1))
    fig.add_vline(x=0, line=dict(color="#bbbbbb", width=1))
    fig.update_xaxes(title=t("scatter_x", lang), zeroline=False)
    fig.update_yaxes(title=t("scatter_y", lang), zeroline=False)
    return _layout(fig, t("scatter_title", lang))


def group_plot(groups: GroupComparison, names: dict[str, str], column: str, lang: str) -> go.Figure:
    """Box and every county as a point, for the chain counties and the rest."""
    from fjchains.core.i18n import t

    fig = go.Figure()
    for label, part, colour in ((t("group_named", lang), groups.named, CHAIN_COLOURS[0]),
                                (t("group_rest", lang), groups.rest, "#777777")):
        fig.add_trace(go.Box(
            y=part.to_numpy(), name=f"{label} ({len(part)})", boxpoints="all", jitter=0.4, pointpos=0,
            marker=dict(color=colour, size=7), line=dict(color=colour), fillcolor="rgba(0,0,0,0)",
            customdata=[[a, names.get(a, a)] for a in part.index],
            hovertemplate="%{customdata[1]}: %{y:,.6g}<extra></extra>"))
    fig.update_layout(showlegend=False)
    fig.update_yaxes(title=html.escape(column))  # the user's header: Plotly reads tags in titles
    return _layout(fig, t("group_title", lang))


def shared_heatmap(matrix: pd.DataFrame, chain_names: dict[str, str], lang: str) -> go.Figure:
    """Chain x chain: counties named for both; customdata = the two chain ids.

    Drawn as square markers, not go.Heatmap: Streamlit's on_select returns no points for a
    heatmap (streamlit/streamlit#8760), and a click must select a cell.
    """
    from fjchains.core.i18n import t

    ids = list(matrix.index)
    cells = [(row, col) for row in ids for col in ids]
    counts = [int(matrix.at[row, col]) for row, col in cells]
    top = max(counts) or 1
    fig = go.Figure(go.Scatter(
        x=[chain_names[col] for _, col in cells], y=[chain_names[row] for row, _ in cells], mode="markers+text",
        marker=dict(symbol="square", size=40, color=counts, colorscale="Blues", cmin=0, cmax=top,
                    line=dict(color="#ffffff", width=1)),
        text=[str(n) for n in counts], textfont=dict(color=["#ffffff" if n > top / 2 else "#222222" for n in counts]),
        customdata=[[row, col, n] for (row, col), n in zip(cells, counts)],
        hovertemplate=t("heatmap_hover", lang) + "<extra></extra>"))
    labels = [chain_names[c] for c in ids]
    fig.update_xaxes(categoryorder="array", categoryarray=labels, showgrid=False, side="bottom")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], showgrid=False)
    return _layout(fig, t("heatmap_title", lang), height=460)


def cluster_colouring(clusters: list[list[str]], all_adcodes, lang: str, title: str,
                      names: dict[str, str]) -> Colouring:
    """A chain's clusters on the map: a colour per cluster of two or more, grey for the rest."""
    from fjchains.core.i18n import t

    fills = {a: NOT_NAMED for a in all_adcodes}
    legend, sep = [], t("list_sep", lang)
    singles = [g[0] for g in clusters if len(g) == 1]
    for i, group in enumerate(g for g in clusters if len(g) > 1):
        colour = CHAIN_COLOURS[i % len(CHAIN_COLOURS)]
        fills.update({a: colour for a in group})
        legend.append((t("cluster_item", lang, n=i + 1, names=sep.join(names[a] for a in group)), colour))
    if singles:
        fills.update({a: CLUSTER_SINGLE for a in singles})
        legend.append((t("cluster_single", lang, names=sep.join(names[a] for a in singles)), CLUSTER_SINGLE))
    legend.append((t("legend_other", lang), NOT_NAMED))
    return Colouring(fills, legend, title, [a for g in clusters for a in g])


def statistics_table(layer: pd.DataFrame, result: SpatialResult, labels: pd.Series, cutoff: float,
                     named: list[str], column: str, lang: str,
                     groups: GroupComparison | None = None) -> pd.DataFrame:
    """Per-county statistics for the CSV download: who, value, lag, local I, p, labels, and
    the global I and the chain-vs-rest test repeated on every row (one flat table)."""
    table = county_columns(layer).set_index("adcode")
    stats = result.table.reindex(table.index)
    table["indicator"] = column
    for name in ("value", "z", "lag", "local_i", "p", "quadrant", "status"):
        table[name] = stats[name]
    table["lisa_label"] = labels.reindex(table.index)
    table["lisa_label_text"] = table["lisa_label"].map(lambda v: label_text(v, lang))
    table["p_cutoff"] = cutoff
    table["in_chain_group"] = table.index.isin(named)
    table["moran_i"] = result.moran_i
    table["moran_p"] = result.p_value
    if groups is not None:
        table["group_median_chain"] = groups.median_named
        table["group_median_rest"] = groups.median_rest
        table["group_p"] = groups.p_value
        table["group_cliffs_delta"] = groups.cliffs_delta
    return table.reset_index()


def clusters_table(layer: pd.DataFrame, clusters_by_chain: dict[str, list[list[str]]],
                   chain_names: dict[str, str]) -> pd.DataFrame:
    """One row per chain and named county: its cluster (1, 2 ... by size; 0 = touching no
    other named county) and the cluster's size, for the CSV download."""
    who = county_columns(layer).set_index("adcode")
    rows = []
    for chain_id, groups in clusters_by_chain.items():
        numbered = iter(range(1, len(groups) + 1))
        for group in groups:
            number = next(numbered) if len(group) > 1 else 0
            rows += [{"chain_id": chain_id, "chain": chain_names[chain_id], "cluster": number,
                      "cluster_size": len(group), "adcode": a, **who.loc[a].to_dict()} for a in group]
    return pd.DataFrame(rows)
