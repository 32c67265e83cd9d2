"""The joined county layer."""

from __future__ import annotations

import pytest

from fjchains.core.errors import DataValidationError
from fjchains.data.layer import build_county_layer


def test_one_row_per_county(layer):
    assert len(layer) == 84
    assert layer["adcode"].is_unique
    assert layer.geometry.notna().all()


def test_every_assignment_joins_to_exactly_one_county(layer, tables):
    for row in tables.county_chains.itertuples():
        hits = layer[layer["adcode"] == row.adcode]
        assert len(hits) == 1
        assert row.chain_id in hits.iloc[0]["chain_ids"]
    assert layer["chain_count"].sum() == len(tables.county_chains) == 54


def test_jinjiang_row(layer):
    jj = layer.set_index("adcode").loc["350582"]
    assert jj["name_zh"] == "晋江市"
    assert jj["prefecture_zh"] == "泉州市"
    assert jj["chain_ids"] == ["textile_apparel", "integrated_circuits", "food"]
    assert jj["categories"] == ["pillar", "traditional"]
    assert jj["chain_count"] == 3


def test_golden_card_joined(layer):
    row = layer.set_index("adcode").loc["350902"]
    assert row["card_zh"] == "时代锂电池"
    assert row["chain_ids"] == ["lithium_battery"]


def test_county_with_nothing_has_empty_lists(layer):
    row = layer.set_index("adcode").loc["350527"]
    assert row["chain_ids"] == [] and row["chain_count"] == 0


def test_missing_polygon_refused(boundaries, tables):
    with pytest.raises(DataValidationError, match="no polygon for adcode"):
        build_county_layer(boundaries[boundaries["adcode"] != "350582"], tables)
