"""Plotly figures for comparing chains, prefectures and categories."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fjchains.core import layout
from fjchains.core.i18n import column, t
from fjchains.data.tables import CATEGORIES, Tables
from fjchains.geo.colouring import chain_colours

CATEGORY_COLOURS = {"pillar": "#0072B2", "traditional": "#E69F00", "emerging": "#009E73"}
_FONT = dict(family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif", size=13)



def _pairs(tables: Tables, lang: str) -> pd.DataFrame:
    """County–chain pairs with chain, category and prefecture labels."""
    name, prefecture = column("name", lang), column("prefecture", lang)
    chains = tables.chains[["chain_id", name, "category"]].rename(columns={name: "chain"})
    counties = tables.counties[["adcode", prefecture]].rename(columns={prefecture: "prefecture"})
    pairs = tables.county_chains.merge(chains, on="chain_id").merge(counties, on="adcode")
    pairs["category_label"] = pairs["category"].map(lambda c: t(f"cat_{c}", lang))
    return pairs


def _layout(fig: go.Figure, title: str, height: int = layout.BAR_CHART_HEIGHT) -> go.Figure:
    # modebar upright at the right edge: on a phone a horizontal one covered the title
    fig.update_layout(title=title, font=_FONT, height=height, margin=dict(l=10, r=10, t=50, b=10),
                      legend_title_text="", plot_bgcolor="white", modebar_orientation="v")
    fig.update_xaxes(automargin=True)
    return fig


def counties_per_chain(tables: Tables, lang: str, highlight: list[str] | None = None) -> go.Figure:
    """Horizontal bars, one per chain in the map's chain colours; customdata = chain_id.

    `highlight`: the chains the map is filtered to (a bar click): their bars outlined, the
    others faded, so the chart says what the map now shows.
    """
    counts = tables.county_chains.groupby("chain_id").size().rename("n").reset_index()
    data = tables.chains.merge(counts, on="chain_id", how="left").fillna({"n": 0})
    data["label"] = data[column("name", lang)] + " · " + data["category"].map(lambda c: t(f"cat_{c}", lang))
    data = data.iloc[::-1]
    colours = chain_colours(tables.chains)
    fig = px.bar(data, x="n", y="label", orientation="h", color="chain_id", color_discrete_map=colours,
                 custom_data=["chain_id"], labels={"n": t("counties", lang), "label": ""})
    fig.update_traces(hovertemplate=f"%{{y}}{t('colon', lang)}%{{x}}<extra></extra>")
    if highlight:
        for trace in fig.data:  # one trace per chain, named by its chain_id
            chosen = trace.name in highlight
            trace.update(marker_opacity=1 if chosen else 0.3, marker_line_width=2.5 if chosen else 0,
                         marker_line_color="#111111")
    fig.update_layout(showlegend=False)
    fig.update_xaxes(dtick=2)
    return _layout(fig, t("chart_counties_per_chain", lang))


def pairs_per_prefecture(tables: Tables, lang: str, chain_ids: list[str] | None = None) -> go.Figure:
    """Stacked bars: county–chain pairs per prefecture (all nine shown), by chain."""
    pairs = _pairs(tables, lang)
    if chain_ids:
        pairs = pairs[pairs["chain_id"].isin(chain_ids)]
    order = tables.counties.drop_duplicates("prefecture_adcode")[column("prefecture", lang)].tolist()
    counts = pairs.groupby(["prefecture", "chain"]).size().rename("n").reset_index()
    if counts.empty:
        counts = pd.DataFrame({"prefecture": order, "chain": "", "n": 0})
    colours = chain_colours(tables.chains)
    names = tables.chains.set_index("chain_id")[column("name", lang)]
    fig = px.bar(counts, x="prefecture", y="n", color="chain", category_orders={"prefecture": order},
                 color_discrete_map={names[c]: colours[c] for c in names.index},
                 labels={"n": t("pairs", lang), "prefecture": "", "chain": ""})
    fig.update_traces(hovertemplate=f"%{{x}} · %{{fullData.name}}{t('colon', lang)}%{{y}}<extra></extra>")
    fig.update_xaxes(categoryorder="array", categoryarray=order, range=[-0.5, len(order) - 0.5])
    fig.update_yaxes(dtick=1 if counts.groupby("prefecture")["n"].sum().max() <= 8 else None, rangemode="tozero")
    # The legend at the foot of the figure (container coordinates), not at a fixed fraction
    # below the plot: slanted English prefecture names would run under a legend placed there.
    fig.update_layout(legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, x=0))
    fig.update_xaxes(automargin=True)
    return _layout(fig, t("chart_chains_per_prefecture", lang), height=layout.CHART_HEIGHT)


def category_mix(tables: Tables, lang: str) -> go.Figure:
    """County–chain pairs per category."""
    pairs = _pairs(tables, lang)
    counts = pairs.groupby(["category", "category_label"]).size().rename("n").reset_index()
    counts["order"] = counts["category"].map(CATEGORIES.index)
    counts = counts.sort_values("order")
    fig = px.bar(counts, x="category_label", y="n", color="category_label",
                 color_discrete_map={t(f"cat_{c}", lang): CATEGORY_COLOURS[c] for c in CATEGORIES},
                 labels={"n": t("pairs", lang), "category_label": ""})
    fig.update_traces(hovertemplate=f"%{{x}}{t('colon', lang)}%{{y}}<extra></extra>")
    fig.update_layout(showlegend=False)
    return _layout(fig, t("chart_category_mix", lang), height=layout.CHART_HEIGHT)
