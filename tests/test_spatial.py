"""Spatial statistics on data with a known answer: Queen neighbours and islands, Moran's I,
LISA, chain vs rest, chain clusters and shared counties (fjchains.geo.neighbours, spatial,
comparison, spatial_views)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from fjchains.analysis.chain_vs_rest import compare_groups, effect_words
from fjchains.analysis.spatial import (
    SpatialError,
    global_reading,
    lisa_labels,
    moran_analysis,
    significance_cutoff,
)
from fjchains.core import limits
from fjchains.geo.neighbours import (
    chain_clusters,
    chain_members,
    contiguous_groups,
    counties_in_all,
    queen_neighbours,
    shared_counties,
    subset,
)
from fjchains.render.export import to_csv_bytes
from fjchains.render.spatial_views import cluster_colouring, lisa_colouring, moran_scatter, statistics_table

#: The counties of the shipped boundary file that touch no other county (checked by hand on
#: the map: 平潭岛, 金门 and 东山岛 are separated from the mainland by sea in the file).
SHIPPED_ISLANDS = {"350128": "平潭县", "350527": "金门县", "350626": "东山县"}


@pytest.fixture(scope="module")
def neighbours(layer):
    return queen_neighbours(layer)


@pytest.fixture(scope="module")
def names(layer):
    return dict(zip(layer["adcode"], layer["name_zh"]))


@pytest.fixture(scope="module")
def latitude(layer):
    return pd.Series(layer.geometry.representative_point().y.to_numpy(), index=layer["adcode"])


@pytest.fixture(scope="module")
def latitude_result(latitude, neighbours):
    return moran_analysis(latitude, neighbours)


def direct_moran_i(y: np.ndarray, dense_weights: np.ndarray) -> float:
    """Moran's I written out: n / S0 · Σij wij zi zj / Σi zi² (the check on esda)."""
    z = y - y.mean()
    return float(len(y) / dense_weights.sum() * (z @ dense_weights @ z) / (z @ z))



def _assert_islands_never_significant(result, islands=SHIPPED_ISLANDS):
    for alpha in (0.05, 0.01):
        for fdr in (False, True):
            labels = lisa_labels(result, alpha, fdr)
            assert set(labels[list(islands)]) == {"island"}


# ---- neighbours and islands


def test_the_shipped_islands_are_listed(neighbours, names):
    assert {a: names[a] for a in neighbours.islands} == SHIPPED_ISLANDS


def test_queen_neighbours_are_symmetric_and_local(neighbours, names):
    by_name = {v: k for k, v in names.items()}
    assert by_name["石狮市"] in neighbours.of(by_name["晋江市"])
    assert by_name["晋江市"] in neighbours.of(by_name["石狮市"])
    assert by_name["福鼎市"] not in neighbours.of(by_name["晋江市"])
    for a, around in neighbours.neighbors.items():
        assert a not in around
        assert all(a in neighbours.of(b) for b in around)


def test_islands_are_left_out_and_never_significant(latitude_result):
    assert set(latitude_result.islands) == set(SHIPPED_ISLANDS)
    assert latitude_result.n == 84 - 3
    assert latitude_result.table.loc[list(SHIPPED_ISLANDS), "p"].isna().all()
    _assert_islands_never_significant(latitude_result)


def test_a_county_whose_neighbours_all_lack_a_value_becomes_an_island(latitude, neighbours, names):
    by_name = {v: k for k, v in names.items()}
    lonely = by_name["武夷山市"]
    values = latitude.copy()
    values[neighbours.of(lonely)] = np.nan
    result = moran_analysis(values, neighbours)
    assert lonely in result.islands
    assert set(neighbours.of(lonely)) <= set(result.missing)
    _assert_islands_never_significant(result, {**SHIPPED_ISLANDS, lonely: "武夷山市"})
    assert set(lisa_labels(result)[neighbours.of(lonely)]) == {"missing"}


# ---- global Moran's I


def test_latitude_is_strongly_clustered(latitude_result):
    assert latitude_result.moran_i > 0.6
    assert latitude_result.p_value < 0.01
    assert global_reading(latitude_result)[0] == "moran_clustered"


def test_shuffled_values_are_not_clustered_for_most_seeds(latitude, neighbours):
    p_values = []
    for seed in range(20):
        shuffled = pd.Series(np.random.default_rng(seed).permutation(latitude.to_numpy()), index=latitude.index)
        p_values.append(moran_analysis(shuffled, neighbours).p_value)
    assert sum(p > 0.05 for p in p_values) >= 16  # 19 of 20 expected; 16 leaves room for chance
    assert min(p_values) > 0 and max(p_values) <= 1


def test_global_i_equals_the_formula_on_the_same_weights(latitude, latitude_result, neighbours):
    used = latitude_result.table.index[latitude_result.table["status"] == "ok"].tolist()
    weights = subset(neighbours, used)
    weights.transform = "r"
    dense, ids = weights.full()
    y = latitude[ids].to_numpy()
    assert latitude_result.moran_i == pytest.approx(direct_moran_i(y, dense), abs=1e-12)
    assert latitude_result.expected_i == pytest.approx(-1 / (len(used) - 1))


def test_direct_formula_on_a_hand_made_line():
    """Four places in a line, values 1 2 3 4, binary weights: I = 4/6 · 2.5 / 5 = 1/3."""
    dense = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    assert direct_moran_i(np.array([1.0, 2.0, 3.0, 4.0]), dense) == pytest.approx(1 / 3)


def test_same_input_same_answer(latitude, neighbours, latitude_result):
    again = moran_analysis(latitude, neighbours)
    assert again.p_value == latitude_result.p_value
    pd.testing.assert_frame_equal(again.table, latitude_result.table)


def test_unusable_columns_get_a_message_in_both_languages(latitude, neighbours):
    with pytest.raises(SpatialError) as constant:
        moran_analysis(latitude * 0 + 7, neighbours)
    assert "全部相同" in constant.value.zh and "equal" in constant.value.en
    few = latitude.copy()
    few.iloc[5:] = np.nan
    with pytest.raises(SpatialError) as too_few:
        moran_analysis(few, neighbours)
    assert str(limits.SPATIAL_MIN_COUNTIES) in too_few.value.en


# ---- values at the ends of floating point (issue 23.4): never NaN reported as a finding


@pytest.mark.parametrize("scale", [1e200, 1e300, 1e-310])
def test_huge_and_subnormal_values_give_the_same_answer(latitude, neighbours, latitude_result, scale):
    """Moran's I does not depend on the unit: esda's sums of squares overflowed at 1e200
    (I = nan, p = 0.001, every county Low-Low) and lost every digit for subnormal values."""
    result = moran_analysis(latitude * scale, neighbours)
    assert result.moran_i == pytest.approx(latitude_result.moran_i, abs=1e-9)
    assert result.z_score == pytest.approx(latitude_result.z_score, abs=1e-6)
    assert result.p_value == pytest.approx(latitude_result.p_value, abs=0.002)
    ok = result.table["status"] == "ok"
    for name in ("z", "lag", "local_i"):
        np.testing.assert_allclose(result.table.loc[ok, name], latitude_result.table.loc[ok, name], atol=1e-9)
    # a county with one neighbour draws its real neighbour's value in ~1/80 of the permutations:
    # those exact ties with the observed I fall either way once the values differ in the last bit
    assert np.isfinite(result.table.loc[ok, "p"]).all()
    np.testing.assert_allclose(result.table.loc[ok, "p"], latitude_result.table.loc[ok, "p"], atol=0.03)
    assert (lisa_labels(result) == lisa_labels(latitude_result)).mean() > 0.95


def test_values_spanning_all_of_floating_point_give_a_finite_answer(latitude, neighbours, latitude_result):
    """-1.7e308 ... 1.7e308: the spread itself is larger than the largest double."""
    centred = (latitude - latitude.mean()) / (latitude - latitude.mean()).abs().max() * 1.7e308
    result = moran_analysis(centred, neighbours)
    assert result.moran_i == pytest.approx(latitude_result.moran_i, abs=1e-9)


def test_values_too_small_to_hold_their_digits_are_refused(latitude, neighbours):
    """Near 5e-324 a double keeps a handful of bits: refused with what to do, not computed."""
    with pytest.raises(SpatialError) as tiny:
        moran_analysis(latitude * 1e-321, neighbours)
    assert tiny.value.key == "spatial_too_small"
    assert "太小" in tiny.value.zh and "rescale" in tiny.value.en


def test_a_non_finite_statistic_is_refused_not_reported(latitude, neighbours, monkeypatch):
    """Whatever esda returns, NaN never becomes a reading, a p or a LISA label."""
    import esda.moran

    real = esda.moran.Moran

    def broken(*args, **kwargs):
        result = real(*args, **kwargs)
        result.I = float("nan")
        return result

    monkeypatch.setattr(esda.moran, "Moran", broken)
    with pytest.raises(SpatialError) as exc:
        moran_analysis(latitude, neighbours)
    assert exc.value.key == "spatial_not_finite"
    assert "重新" in exc.value.zh and "rescale" in exc.value.en


def test_lisa_labels_are_never_read_from_nan(latitude_result):
    table = latitude_result.table.copy()
    table["z"] = table["lag"] = table["local_i"] = np.nan  # as esda gave them at 1e200
    broken = dataclasses.replace(latitude_result, table=table)
    labels = lisa_labels(broken)
    assert not labels.isin(["HH", "LL", "HL", "LH"]).any()
    assert (labels == "island").sum() == 3


# ---- LISA


def test_a_planted_hot_spot_is_found_as_high_high(layer, neighbours, names):
    rng = np.random.default_rng(7)
    values = pd.Series(rng.normal(0, 1, len(layer)), index=layer["adcode"])
    by_name = {v: k for k, v in names.items()}
    centre = by_name["尤溪县"]  # inland, many neighbours
    hot = [centre, *neighbours.of(centre)]
    assert len(hot) >= 6
    values[hot] = 10.0
    result = moran_analysis(values, neighbours)
    labels = lisa_labels(result, 0.05)
    assert labels[centre] == "HH"
    assert (labels[hot] == "HH").sum() >= len(hot) - 1
    outside = [a for a in labels.index if a not in hot and a not in SHIPPED_ISLANDS]
    assert (labels[outside] == "HH").sum() <= 3
    _assert_islands_never_significant(result)


def test_fdr_is_stricter_than_the_plain_cut_off(latitude_result):
    assert significance_cutoff(latitude_result, 0.05, True) <= 0.05
    plain = (lisa_labels(latitude_result, 0.05) != "ns").sum()
    fdr = (lisa_labels(latitude_result, 0.05, fdr=True) != "ns").sum()
    strict = (lisa_labels(latitude_result, 0.01) != "ns").sum()
    assert fdr <= plain and strict <= plain


def test_latitude_gives_high_high_in_the_north_and_low_low_in_the_south(latitude, latitude_result):
    labels = lisa_labels(latitude_result)
    assert latitude[labels == "HH"].min() > latitude.median()
    assert latitude[labels == "LL"].max() < latitude.median()


def test_lisa_colouring_legend_counts_and_download_table(layer, latitude_result):
    labels = lisa_labels(latitude_result)
    colouring = lisa_colouring(labels, [], "zh", "LISA")
    legend = dict(colouring.legend)
    assert f"高-高（热点） ({(labels == 'HH').sum()})" in legend
    assert "无相邻县区 (3)" in legend
    assert set(colouring.matching) == set(labels.index[labels.isin(["HH", "LL", "HL", "LH"])])
    table = statistics_table(layer, latitude_result, labels, 0.05, ["350582"], "=HYPERLINK(1)", "en")
    assert len(table) == 84 and {"p", "local_i", "lisa_label", "moran_p", "in_chain_group"} <= set(table.columns)
    assert table.loc[table["adcode"] == "350128", "lisa_label_text"].item() == "No neighbours"
    assert b"'=HYPERLINK(1)" in to_csv_bytes(table)  # the user's header cannot run as a formula


def test_moran_scatter_points_carry_adcodes_and_its_slope_is_i(latitude_result, names):
    labels = lisa_labels(latitude_result)
    fig = moran_scatter(latitude_result, labels, names, "en", selected="350582")
    points = [row[0] for trace in fig.data if trace.customdata is not None for row in trace.customdata]
    assert sorted(points) == sorted(latitude_result.table.index[latitude_result.table["status"] == "ok"])
    line = next(trace for trace in fig.data if trace.mode == "lines")
    assert (line.y[1] - line.y[0]) / (line.x[1] - line.x[0]) == pytest.approx(latitude_result.moran_i)


# ---- chain counties vs the rest


def test_chain_counties_higher_than_the_rest(layer):
    named = chain_members(layer, "food")
    values = pd.Series(np.where(layer["adcode"].isin(named), 100.0, 1.0), index=layer["adcode"])
    values += np.random.default_rng(1).normal(0, 0.1, len(values))
    result = compare_groups(values, named)
    assert result.p_value < 0.01
    assert result.cliffs_delta == 1.0 and effect_words(result.cliffs_delta) == "effect_large"
    assert result.median_named > 99 and result.median_rest < 2


def test_chain_counties_like_the_rest(layer):
    named = chain_members(layer, "food")
    values = pd.Series(np.arange(len(layer), dtype=float) % 7, index=layer["adcode"])
    result = compare_groups(values, named)
    assert result.p_value > 0.05
    assert abs(result.cliffs_delta) < 0.33


def test_chain_groups_too_small(layer):
    values = pd.Series(1.0, index=layer["adcode"])
    values[chain_members(layer, "food")[2:]] = np.nan
    with pytest.raises(SpatialError):
        compare_groups(values, chain_members(layer, "food"))


# ---- chain clusters and shared counties


def _named(groups, names):
    return [[names[a] for a in g] for g in groups]


def test_lithium_battery_clusters_by_hand(layer, neighbours, names):
    """宁德's four coastal counties touch in a chain; 同安 and 翔安 touch; the rest stand alone."""
    groups = [set(g) for g in _named(chain_clusters(neighbours, layer, "lithium_battery"), names)]
    assert groups[0] == {"蕉城区", "霞浦县", "福安市", "福鼎市"}
    assert groups[1] == {"同安区", "翔安区"}
    assert sorted(map(sorted, groups[2:])) == [["上杭县"], ["海沧区"], ["连江县"]]


def test_stainless_steel_clusters_by_hand(layer, neighbours, names):
    """周宁 and 柘荣 both border 福安; 长乐 and 罗源 border none of them."""
    groups = [set(g) for g in _named(chain_clusters(neighbours, layer, "stainless_steel"), names)]
    assert groups == [{"周宁县", "柘荣县", "福安市"}, {"长乐区"}, {"罗源县"}] or \
        groups == [{"周宁县", "柘荣县", "福安市"}, {"罗源县"}, {"长乐区"}]


def test_contiguous_groups_of_nothing_and_of_an_island(neighbours):
    assert contiguous_groups(neighbours, []) == []
    assert contiguous_groups(neighbours, ["350128"]) == [["350128"]]


def test_cluster_colouring_lists_each_cluster(layer, neighbours, names):
    clusters = chain_clusters(neighbours, layer, "lithium_battery")
    colouring = cluster_colouring(clusters, layer["adcode"], "zh", "锂电", names)
    labels = [label for label, _ in colouring.legend]
    assert labels[0].startswith("连片区 1：") and "福鼎市" in labels[0]
    assert any(label.startswith("不与其他点名县区相邻") and "上杭县" in label for label in labels)
    assert colouring.fills[clusters[0][0]] != colouring.fills[clusters[1][0]]
    assert len(colouring.matching) == len(chain_members(layer, "lithium_battery"))


def test_shared_counties_matrix(layer, tables):
    ids = list(tables.chains["chain_id"])
    matrix = shared_counties(layer, ids)
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    per_chain = tables.county_chains.groupby("chain_id").size()
    assert all(matrix.at[c, c] == per_chain.get(c, 0) for c in ids)
    textile, food = set(chain_members(layer, "textile_apparel")), set(chain_members(layer, "food"))
    assert matrix.at["textile_apparel", "food"] == len(textile & food) > 0
    assert set(counties_in_all(layer, ["textile_apparel", "food"])) == textile & food


def test_clusters_table_numbers_clusters_and_singles(layer, neighbours, names):
    from fjchains.render.spatial_views import clusters_table

    by_chain = {c: chain_clusters(neighbours, layer, c) for c in ("lithium_battery", "stainless_steel")}
    table = clusters_table(layer, by_chain, {"lithium_battery": "锂电", "stainless_steel": "不锈钢"})
    lithium = table[table["chain_id"] == "lithium_battery"]
    assert len(lithium) == len(chain_members(layer, "lithium_battery"))
    assert set(lithium.loc[lithium["cluster"] == 1, "name_zh"]) == {"蕉城区", "霞浦县", "福安市", "福鼎市"}
    assert set(lithium.loc[lithium["cluster"] == 2, "name_zh"]) == {"同安区", "翔安区"}
    assert set(lithium.loc[lithium["cluster"] == 0, "cluster_size"]) == {1}


def test_statistics_table_carries_the_group_test(layer, latitude, latitude_result):
    named = chain_members(layer, "food")
    comparison = compare_groups(latitude, named)
    table = statistics_table(layer, latitude_result, lisa_labels(latitude_result), 0.05, named, "lat", "zh",
                             comparison)
    assert table["group_p"].eq(comparison.p_value).all()
    assert table.loc[table["in_chain_group"], "adcode"].tolist() == named


def test_heatmap_cells_carry_both_chain_ids_and_the_count(layer, tables):
    from fjchains.render.spatial_views import shared_heatmap

    ids = list(tables.chains["chain_id"])
    matrix = shared_counties(layer, ids)
    fig = shared_heatmap(matrix, dict(zip(ids, tables.chains["name_zh"])), "zh")
    cells = {(row, col): n for row, col, n in fig.data[0].customdata}
    assert len(cells) == len(ids) ** 2
    assert cells[("textile_apparel", "food")] == matrix.at["textile_apparel", "food"]
    assert fig.data[0].type == "scatter"  # Streamlit returns no selection for go.Heatmap (#8760)


def test_neighbours_are_libpysal_queen_contiguity(layer, neighbours):
    """The spatial index's pairs are exactly libpysal's Queen weights on the shipped file."""
    from libpysal.weights import Queen

    queen = Queen.from_dataframe(layer, ids="adcode", use_index=False, silence_warnings=True)
    assert {a: sorted(b) for a, b in queen.neighbors.items()} == \
        {a: sorted(b) for a, b in neighbours.neighbors.items()}
    assert set(queen.islands) == set(neighbours.islands)


# ---------------------------------------------------------------- issue 27: "no data" apart from "not significant"

#: Machado, Oliveira and Fernandes (2009), severity 1.0: linear RGB as people with each type of
#: colour blindness see it (the matrices colour-vision simulators such as Chromium's use).
CVD = {
    "normal": np.eye(3),
    "protan": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                        [-0.003882, -0.048116, 1.051998]]),
    "deutan": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]]),
    "tritan": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                        [0.004733, 0.691367, 0.303900]]),
}


def _lab(colour: str, vision: str) -> np.ndarray:
    """CIELAB (D65) of a hex colour as `vision` sees it."""
    srgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(CVD[vision] @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    ratio = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(ratio > 0.008856, np.cbrt(ratio), 7.787 * ratio + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_no_data_is_clearly_apart_from_every_other_lisa_label_for_every_vision():
    """White "no data" was ΔE 6 from the light grey of "not significant" (and from the white of
    the page); now at least ΔE 15 from each, and from every other label, for normal vision and
    protanopia, deuteranopia and tritanopia."""
    from fjchains.analysis.spatial import LISA_COLOURS

    others = {label: c for label, c in LISA_COLOURS.items() if label != "missing"} | {"page": "#ffffff"}
    nearest = min((float(np.linalg.norm(_lab(LISA_COLOURS["missing"], v) - _lab(c, v))), label, v)
                  for label, c in others.items() for v in CVD)
    assert nearest[0] >= 15, nearest
