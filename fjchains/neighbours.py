"""Which counties touch: Queen contiguity from the boundary file in use, with its islands.

Spatial statistics and chain clusters both stand on these neighbours. Counties with no
neighbour (an island such as 金门县 in the shipped file) are never given one: they are
listed, left out of Moran's I and LISA (GeoDa's choice) and said to be so on screen.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from libpysal.weights import Queen, W, w_subset


@dataclass(frozen=True)
class Neighbours:
    """Queen weights of every county (keyed by adcode) and the counties with no neighbour."""

    weights: W
    islands: tuple[str, ...]

    def of(self, adcode: str) -> list[str]:
        return list(self.weights.neighbors.get(adcode, []))


def queen_neighbours(layer: gpd.GeoDataFrame) -> Neighbours:
    """Queen contiguity (a shared border or corner) between the layer's counties, by adcode."""
    with warnings.catch_warnings():  # libpysal warns about islands: we list them ourselves
        warnings.simplefilter("ignore")
        weights = Queen.from_dataframe(layer, ids="adcode", use_index=False)
    return Neighbours(weights, tuple(sorted(weights.islands)))


def subset(neighbours: Neighbours, adcodes: list[str]) -> W:
    """The weights among `adcodes` only (neighbours outside the set are dropped)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return w_subset(neighbours.weights, adcodes, silence_warnings=True)


def contiguous_groups(neighbours: Neighbours, adcodes: list[str]) -> list[list[str]]:
    """`adcodes` split into groups that touch, largest first (ties: by first adcode).

    Two counties are in one group when a chain of shared borders inside the set joins
    them; a county touching no other in the set is a group of one.
    """
    members = list(dict.fromkeys(adcodes))
    if not members:
        return []
    labels = subset(neighbours, members).component_labels
    groups: dict[int, list[str]] = {}
    for adcode, label in zip(members, labels):
        groups.setdefault(int(label), []).append(adcode)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def chain_members(layer: pd.DataFrame, chain_id: str) -> list[str]:
    """The adcodes the opinion names for a chain, in layer order."""
    return [a for a, ids in zip(layer["adcode"], layer["chain_ids"]) if chain_id in ids]


def chain_clusters(neighbours: Neighbours, layer: pd.DataFrame, chain_id: str) -> list[list[str]]:
    """The chain's named counties grouped into contiguous clusters (contiguous_groups)."""
    return contiguous_groups(neighbours, chain_members(layer, chain_id))


def shared_counties(layer: pd.DataFrame, chain_ids: list[str]) -> pd.DataFrame:
    """Chain x chain: how many counties are named for both (the diagonal: for the chain)."""
    indicator = pd.DataFrame({c: [c in ids for ids in layer["chain_ids"]] for c in chain_ids}, dtype=int)
    return indicator.T.dot(indicator)


def counties_in_all(layer: pd.DataFrame, chain_ids: list[str]) -> list[str]:
    """The adcodes named for every one of the chains."""
    wanted = set(chain_ids)
    return [a for a, ids in zip(layer["adcode"], layer["chain_ids"]) if wanted <= set(ids)]
