"""Which counties touch: Queen contiguity from the boundary file in use, with its islands.

Spatial statistics and chain clusters both stand on these neighbours. Counties with no
neighbour (an island such as 金门县 in the shipped file) are never given one: they are
listed, left out of Moran's I and LISA (GeoDa's choice) and said to be so on screen.

Queen contiguity (any shared point) is found with the layer's spatial index, which
geopandas has loaded already; libpysal gives the same pairs (tests/test_spatial.py) but
takes 3 s of CPU to import, so it is imported only to hand weights to esda (`subset`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

if TYPE_CHECKING:
    from libpysal.weights import W


@dataclass(frozen=True)
class Neighbours:
    """Each county's Queen neighbours (adcode -> adcodes, in layer order)."""

    neighbors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def islands(self) -> tuple[str, ...]:
        """The counties with no neighbour at all, sorted."""
        return tuple(sorted(a for a, around in self.neighbors.items() if not around))

    def of(self, adcode: str) -> list[str]:
        return list(self.neighbors.get(adcode, []))


def queen_neighbours(layer: gpd.GeoDataFrame) -> Neighbours:
    """Queen contiguity (a shared border or corner) between the layer's counties, by adcode."""
    adcodes = layer["adcode"].tolist()
    left, right = layer.sindex.query(layer.geometry.values, predicate="intersects")
    neighbors: dict[str, list[str]] = {a: [] for a in adcodes}
    for i, j in sorted(zip(left.tolist(), right.tolist())):
        if i != j:
            neighbors[adcodes[i]].append(adcodes[j])
    return Neighbours(neighbors)


def subset(neighbours: Neighbours, adcodes: list[str]) -> W:
    """libpysal weights among `adcodes` only (neighbours outside the set dropped), for esda."""
    from libpysal.weights import W

    members = set(adcodes)
    with warnings.catch_warnings():  # libpysal warns about islands: we list them ourselves
        warnings.simplefilter("ignore")
        return W({a: [b for b in neighbours.of(a) if b in members] for a in adcodes}, id_order=list(adcodes),
                 silence_warnings=True)


def contiguous_groups(neighbours: Neighbours, adcodes: list[str]) -> list[list[str]]:
    """`adcodes` split into groups that touch, largest first (ties: by first adcode).

    Two counties are in one group when a chain of shared borders inside the set joins
    them; a county touching no other in the set is a group of one.
    """
    members = set(adcodes)
    seen: set[str] = set()
    groups = []
    for start in dict.fromkeys(adcodes):
        if start in seen:
            continue
        group, todo = [], [start]
        seen.add(start)
        while todo:
            county = todo.pop()
            group.append(county)
            for other in neighbours.of(county):
                if other in members and other not in seen:
                    seen.add(other)
                    todo.append(other)
        groups.append(sorted(group))
    return sorted(groups, key=lambda g: (-len(g), g[0]))


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
