"""Which colour each county gets, and the legend that explains it.

Pure functions over the county layer: the map module turns their output into Leaflet
styles, the pages into legends. Palettes are colour-blind safe (ColorBrewer Blues for
counts, Okabe–Ito for chains).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from fjchains.core.i18n import column, t

NOT_NAMED = "#e6e6e6"
SEVERAL = "#3b3b3b"
COUNT_COLOURS = ("#e6e6e6", "#c6dbef", "#6baed6", "#2171b5", "#08306b")  # 0, 1, 2, 3, 4+
CHAIN_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#8C564B")


@dataclass(frozen=True)
class Filters:
    """What the user asked to see: chains, categories and a selected county."""

    chains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    county: str | None = None


@dataclass
class Colouring:
    """Fill colour per adcode, the legend (label, colour) and which counties match."""

    fills: dict[str, str]
    legend: list[tuple[str, str]]
    title: str
    matching: list[str] = field(default_factory=list)
    tips: dict[str, list[str]] | None = None  # tooltip lines replacing the default ones (another list)
    list_id: str | None = None  # a prefecture list (fjchains.data.chain_lists), not the opinion


def chain_colours(chains: pd.DataFrame) -> dict[str, str]:
    """A fixed colour per chain, in the order of chains.csv."""
    return {cid: CHAIN_COLOURS[i % len(CHAIN_COLOURS)] for i, cid in enumerate(chains["chain_id"])}


def effective_chains(filters: Filters, chains: pd.DataFrame) -> list[str]:
    """Chains in play: the chosen ones (or all), narrowed to the chosen categories."""
    ids = list(chains["chain_id"])
    if filters.chains:
        ids = [c for c in ids if c in filters.chains]
    if filters.categories:
        in_cats = set(chains.loc[chains["category"].isin(filters.categories), "chain_id"])
        ids = [c for c in ids if c in in_cats]
    return ids


def colour_by_count(layer: pd.DataFrame, lang: str) -> Colouring:
    """Default view: how many chains name each county."""
    fills = {a: COUNT_COLOURS[min(n, 4)] for a, n in zip(layer["adcode"], layer["chain_count"])}
    legend = [(t("legend_other", lang), COUNT_COLOURS[0])]
    legend += [(str(n) if n < 4 else "4+", COUNT_COLOURS[n]) for n in range(1, 5)]
    matching = layer.loc[layer["chain_count"] > 0, "adcode"].tolist()
    return Colouring(fills, legend, t("legend_count", lang), matching)


WAITING_COLOUR = "#f0f0f0"  # lighter than "no data" (fjchains.upload.classify.MISSING_COLOR)


def colour_waiting(layer: pd.DataFrame, lang: str) -> Colouring:
    """"Your data" before a file: every county one light grey, the legend saying what comes.

    The map is drawn while the user picks a file, so the file's colours restyle it in place.
    """
    return Colouring({a: WAITING_COLOUR for a in layer["adcode"]}, [(t("upload_waiting_item", lang), WAITING_COLOUR)],
                     t("upload_waiting_title", lang))


def colour_by_chains(layer: pd.DataFrame, chains: pd.DataFrame, filters: Filters, lang: str) -> Colouring:
    """Filtered view: each matching county in its chain's colour, others grey."""
    wanted = effective_chains(filters, chains)
    palette = chain_colours(chains)
    names = chains.set_index("chain_id")[column("name", lang)]
    fills, matching, several = {}, [], False
    for adcode, ids in zip(layer["adcode"], layer["chain_ids"]):
        hit = [c for c in ids if c in wanted]
        if not hit:
            fills[adcode] = NOT_NAMED
            continue
        matching.append(adcode)
        fills[adcode] = palette[hit[0]] if len(hit) == 1 else SEVERAL
        several = several or len(hit) > 1
    legend = [(names[c], palette[c]) for c in wanted]
    if several:
        legend.append((t("legend_several", lang), SEVERAL))
    legend.append((t("legend_other", lang), NOT_NAMED))
    return Colouring(fills, legend, t("legend_chains", lang), matching)


def colour_counties(layer: pd.DataFrame, chains: pd.DataFrame, filters: Filters, lang: str) -> Colouring:
    """Count colours when nothing is filtered, chain colours otherwise."""
    if not filters.chains and not filters.categories:
        return colour_by_count(layer, lang)
    return colour_by_chains(layer, chains, filters, lang)
