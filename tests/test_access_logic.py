"""Logic behind issue 11 without a browser: the county table, compare, the view in the URL,
keyboard points inside each county, the chain in the URL."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from fjchains.core import limits, paths
from fjchains.geo import maps, view
from fjchains.geo.selection import county_at
from fjchains.geo.view import parse_view
from fjchains.render.county_rows import county_rows
from fjchains.render.side_by_side import compare_table, parse_compare

JINJIANG, FUQING = "350582", "350181"


def row_of(table: pd.DataFrame, adcode: str | None) -> int | None:
    """Position of a county's row in the table (None: not in it)."""
    if adcode is None:
        return None
    hits = table.index[table["adcode"] == adcode]
    return int(table.index.get_loc(hits[0])) if len(hits) else None



@pytest.fixture(scope="module")
def layer_and_chains(layer, tables):
    return layer, tables.chains


def test_county_table_lists_the_matching_counties_with_chains_and_card(layer_and_chains):
    layer, chains = layer_and_chains
    table = county_rows(layer, chains, ["350205", "350206", "350213", JINJIANG], "zh")
    assert list(table.columns) == ["adcode", "县（市、区）", "所属设区市", "《意见》点名的重点产业链", "点名的产业链数", "金名片"]
    assert table["县（市、区）"].tolist() == ["海沧区", "湖里区", "翔安区", "晋江市"]
    row = table.iloc[row_of(table, JINJIANG)]
    assert row["所属设区市"] == "泉州市"
    assert row["《意见》点名的重点产业链"] == "现代纺织服装、集成电路、食品"
    assert row["点名的产业链数"] == 3 and table["点名的产业链数"].dtype.kind == "i"  # sorts as a number
    assert row_of(table, FUQING) is None
    assert len(county_rows(layer, chains, None, "en")) == 84


def test_county_table_carries_an_uploaded_column(layer_and_chains):
    import pandas as pd

    layer, chains = layer_and_chains
    values = pd.Series({JINJIANG: 3000.5})
    table = county_rows(layer, chains, [JINJIANG, FUQING], "en", values, "upload: =GDP")
    assert table["upload: =GDP"].iloc[row_of(table, JINJIANG)] == 3000.5
    assert pd.isna(table["upload: =GDP"].iloc[row_of(table, FUQING)])
    assert "Jinjiang" in table["County"].iloc[row_of(table, JINJIANG)]


def test_compare_link_keeps_known_adcodes_in_order_without_repeats():
    adcodes = {JINJIANG, FUQING, "350981", "350105", "350206"}
    known, unknown = parse_compare([f"{JINJIANG},{FUQING}", f"{JINJIANG},999999"], adcodes)
    assert known == [JINJIANG, FUQING] and unknown == ["999999"]
    known, _ = parse_compare([",".join(sorted(adcodes))], adcodes)
    assert len(known) == limits.MAX_COMPARE


def test_compare_table_puts_counties_side_by_side(layer_and_chains):
    import pandas as pd

    layer, chains = layer_and_chains
    uploaded = pd.DataFrame({"upload: GDP": [1.0]}, index=[JINJIANG])
    table = compare_table(layer, chains, [JINJIANG, FUQING], "zh", uploaded)
    assert list(table.columns) == ["晋江市", "福清市"]
    assert table.loc["所属设区市"].tolist() == ["泉州市", "福州市"]
    assert "集成电路" in table.loc["《意见》点名的重点产业链", "晋江市"]
    assert table.loc["upload: GDP"].tolist() == ["1", "—"]


def test_compare_table_shows_counts_formatted_values_and_lists_that_tell_items_apart(layer_and_chains):
    """Issue 27: "支柱产业、传统、特色产业" read as three categories (传统、特色产业 is one); uploaded
    numbers were shown raw (3207.4, 1350.0) and the number of chains was not shown."""
    import pandas as pd

    layer, chains = layer_and_chains
    uploaded = pd.DataFrame({"上传：GDP": [3207.4, 1.37e9], "上传：备注": ["a、b", None]}, index=[JINJIANG, FUQING])
    zh = compare_table(layer, chains, [JINJIANG, FUQING], "zh", uploaded)
    assert zh.loc["产业类别", "晋江市"] == "支柱产业／传统、特色产业"
    assert zh.loc["《意见》点名的重点产业链", "晋江市"] == "现代纺织服装／集成电路／食品"
    assert zh.loc["点名的产业链数"].tolist() == ["3", "3"]
    assert zh.loc["上传：GDP"].tolist() == ["3,207.4", "13.7亿"]
    assert zh.loc["上传：备注"].tolist() == ["a、b", "—"]
    en = compare_table(layer, chains, [JINJIANG, FUQING], "en", uploaded)
    assert en.loc["Categories", "Jinjiang City"] == "Pillar; Traditional / characteristic"
    assert en.loc["上传：GDP"].tolist() == ["3,207.4", "1.37 billion"]


#: The same cases test the map's side (tests/js/map-logic.test.js): the browser restores only
#: a view the server keeps.
VIEW_CASES = json.loads((paths.ROOT / "tests" / "fixtures" / "view_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VIEW_CASES["cases"], ids=lambda c: f"{c['z']}&{c['ll']}")
def test_view_in_the_url_is_kept_only_when_valid(case):
    assert parse_view(case["z"], case["ll"]) == case["kept"]


def test_the_map_gets_the_view_limits_the_server_checks():
    assert view.limits() == VIEW_CASES["limits"]
    assert maps.frame_base("/x.json")["view"] == view.limits()


def test_keyboard_points_lie_inside_their_county(layer_and_chains):
    layer, _ = layer_and_chains
    points = maps.inner_points(layer)
    assert len(points) == 84
    wrong = [a for a, (lat, lng) in points.items() if county_at(layer, lat, lng) != a]
    assert wrong == []


def test_base_map_carries_points_and_its_texts_in_each_language():
    def rendered(**kwargs) -> str:
        slots = maps.DataSlots()
        return slots.fill(maps.base_map(slots, "/x.json", **kwargs).get_root().render())

    zh, en = rendered(lang="zh", points={JINJIANG: [24.7, 118.6]}), rendered(lang="en")
    assert "fjchains.access(map, opts)" in zh and '"350582":[24.7,118.6]' in zh
    assert "回到全省视图" in zh and "Back to the whole province" in en
    assert "底图需要联网" in zh and "basemap needs internet" in en.lower()


def test_bar_chart_highlights_the_filtered_chains(tables):
    from fjchains.render.charts import counties_per_chain

    plain = counties_per_chain(tables, "zh")
    assert {t.marker.opacity for t in plain.data} == {None}
    fig = counties_per_chain(tables, "zh", ["food"])
    opacity = {t.name: t.marker.opacity for t in fig.data}
    assert opacity["food"] == 1 and {v for k, v in opacity.items() if k != "food"} == {0.3}
    assert [t.marker.line.width for t in fig.data if t.name == "food"] == [2.5]
