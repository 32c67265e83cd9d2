"""Pure logic behind the pages: colours, URL state, clicks, detail, charts, exports, user data."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from fjchains.core.i18n import t
from fjchains.data.detail import county_detail
from fjchains.data.query import parse_query, to_query
from fjchains.geo.colouring import (
    COUNT_COLOURS,
    NOT_NAMED,
    SEVERAL,
    Filters,
    chain_colours,
    colour_counties,
    effective_chains,
)
from fjchains.geo.selection import county_at
from fjchains.render import charts, export
from fjchains.upload.userdata import choropleth, load_user_file, tooltip_extra, value_lines, with_user_columns

# --- colouring ------------------------------------------------------------------------

def test_count_colours_by_default(layer, tables):
    c = colour_counties(layer, tables.chains, Filters(), "zh")
    assert c.fills["350122"] == COUNT_COLOURS[4]  # 连江县: 4 chains
    assert c.fills["350582"] == COUNT_COLOURS[3]
    assert c.fills["350527"] == COUNT_COLOURS[0]
    assert len(c.matching) == 35
    assert c.legend[0] == ("未点名", COUNT_COLOURS[0])


def test_one_chain_colours_its_counties(layer, tables):
    c = colour_counties(layer, tables.chains, Filters(chains=("stainless_steel",)), "en")
    colour = chain_colours(tables.chains)["stainless_steel"]
    assert {a for a, f in c.fills.items() if f == colour} == {"350981", "350112", "350123", "350925", "350926"}
    assert ("Stainless steel and new materials", colour) in c.legend


def test_several_chains_mark_overlaps(layer, tables):
    c = colour_counties(layer, tables.chains, Filters(chains=("lithium_battery", "stainless_steel")), "zh")
    assert c.fills["350981"] == SEVERAL  # 福安: both
    assert c.fills["350902"] == chain_colours(tables.chains)["lithium_battery"]
    assert c.fills["350527"] == NOT_NAMED


def test_category_narrows_chosen_chains(tables):
    f = Filters(chains=("food", "lithium_battery"), categories=("emerging",))
    assert effective_chains(f, tables.chains) == ["lithium_battery"]
    assert effective_chains(Filters(categories=("pillar",)), tables.chains) == [
        "textile_apparel", "integrated_circuits", "new_display", "green_petrochemical"]


# --- URL state ------------------------------------------------------------------------

def test_query_round_trip(tables):
    chain_ids = tables.chains["chain_id"].tolist()
    f = Filters(chains=("food", "lithium_battery"), categories=("emerging",), county="350582")
    query = to_query(f, "en")
    assert query == {"county": "350582", "chain": ["food", "lithium_battery"], "cat": ["emerging"], "lang": "en"}
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    parsed = parse_query(params, {"350582"}, chain_ids)
    assert parsed.filters == f and parsed.lang == "en"


def test_query_drops_unknown_values(tables):
    parsed = parse_query({"county": ["<script>"], "chain": ["food,bogus"], "cat": ["x"]}, {"350582"},
                         tables.chains["chain_id"].tolist())
    assert parsed.filters == Filters(chains=("food",))
    assert parsed.unknown_county == "<script>" and parsed.unknown_chains == ["bogus"]
    assert parsed.lang == "zh"


# --- clicks -----------------------------------------------------------------------------

def test_click_inside_a_county(layer):
    p = layer.set_index("adcode").geometry["350582"].representative_point()
    assert county_at(layer, p.y, p.x) == "350582"
    assert county_at(layer, 24.0, 121.5) is None  # the strait


# --- detail -------------------------------------------------------------------------------

def test_detail_of_jinjiang_cites_sources(layer, tables):
    d = county_detail("350582", layer, tables, "zh")
    assert (d.name, d.other_name, d.prefecture, d.level) == ("晋江市", "Jinjiang City", "泉州市", "县级市")
    assert [c.label for c in d.chains] == ["现代纺织服装", "集成电路", "食品"]
    assert [c.value for c in d.chains] == ["支柱产业", "支柱产业", "传统、特色产业"]
    assert all("福建省政府网" in c.source and "2024-07-29" in c.source for c in d.chains)
    assert d.golden_card is None


def test_detail_second_source_and_former_name(layer, tables):
    d = county_detail("350112", layer, tables, "en")
    sources = {c.label: c.source for c in d.chains}
    assert "kyfz.org.cn" in sources["New display"]
    assert d.golden_card.value == "Textiles and chemical fibre"
    assert d.former_names == ["Changle City"]


def test_detail_unknown_county_raises(layer, tables):
    with pytest.raises(KeyError):
        county_detail("999999", layer, tables, "zh")


# --- charts ---------------------------------------------------------------------------------

def test_counties_per_chain_bars(tables):
    fig = charts.counties_per_chain(tables, "zh")
    bars = {cd[0]: x for trace in fig.data for cd, x in zip(trace.customdata, trace.x)}
    assert bars["food"] == 16 and bars["integrated_circuits"] == 4 and bars["new_display"] == 5
    labels = {y for trace in fig.data for y in trace.y}
    assert "食品 · 传统、特色产业" in labels
    ids = {cd[0] for trace in fig.data for cd in trace.customdata}
    assert ids == set(tables.chains["chain_id"])


def test_pairs_per_prefecture_sum(tables):
    fig = charts.pairs_per_prefecture(tables, "en")
    assert sum(sum(trace.y) for trace in fig.data) == 54
    one = charts.pairs_per_prefecture(tables, "zh", ["integrated_circuits"])
    assert {x: y for trace in one.data for x, y in zip(trace.x, trace.y)} == {"厦门市": 3, "泉州市": 1}


def test_category_mix(tables):
    fig = charts.category_mix(tables, "zh")
    assert {x: y for trace in fig.data for x, y in zip(trace.x, trace.y)} == {
        "支柱产业": 20, "传统、特色产业": 20, "新兴产业": 14}


# --- exports --------------------------------------------------------------------------------

def test_county_table_and_files(layer, tables):
    table = export.county_records(layer, tables, "zh")
    assert len(table) == 84
    row = table.set_index("adcode").loc["350582"]
    assert row["chains"] == "现代纺织服装、集成电路、食品" and row["chain_sources"] == "fjgov-2024-07-29"
    assert row["chain_source_labels"] == "福建省政府网，2024-07-29" and row["level_label"] == "县级市"
    csv_bytes = export.to_csv_bytes(table)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(io.BytesIO(csv_bytes), dtype=str)) == 84
    assert len(pd.read_excel(io.BytesIO(export.to_excel_bytes(table)), dtype=str)) == 84
    # with its notes: the caveats on a second sheet, the table still first (it uploads again)
    book = pd.read_excel(io.BytesIO(export.to_excel_bytes(table, notes=["标题", t("deng_note", "zh"), "=1+1"])),
                         sheet_name=None, dtype=str)
    assert list(book) == ["counties", "notes"] and len(book["counties"]) == 84
    assert book["notes"]["notes"].tolist() == ["标题", t("deng_note", "zh"), "'=1+1"]
    geo = json.loads(export.to_geojson_bytes(layer, table))
    assert len(geo["features"]) == 84 and geo["features"][0]["properties"]["adcode"]


# --- user data --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def userdata(tables, aliases):
    # every GDP cell plain: "12.3亿" next to "3,207.4" under a header with no unit is left empty
    text = "区县,GDP,备注\n晋江市,\"3,207.4\",a\n龙海市,\"1,230,000,000\",b\n长乐区,,c\nJinjiang,1,dup\n"
    return load_user_file("gdp.csv", text.encode("gbk"), aliases, tables.counties)


def test_userdata_values_and_missing(layer, tables, userdata):
    colouring, result, faded = choropleth(layer, tables.chains, userdata, "GDP", Filters(), "zh", "equal_interval", 3)
    assert result.missing == 82  # 84 counties, 2 with values
    assert colouring.legend[-1] == ("无数据", "#d9d9d9")
    assert faded == []
    assert value_lines(userdata, "350582", "zh")["GDP"] == "3,207.4"
    assert value_lines(userdata, "350527", "zh") == {"gdp.csv": "无数据"}
    assert tooltip_extra(userdata, "GDP", ["350604"], "en") == {"350604": ["GDP: 1.23 billion"]}
    assert tooltip_extra(userdata, "GDP", ["350604"], "zh") == {"350604": ["GDP：12.3亿"]}


def test_userdata_chain_filter_fades(layer, tables, userdata):
    _, _, faded = choropleth(layer, tables.chains, userdata, "GDP", Filters(chains=("integrated_circuits",)), "zh")
    assert len(faded) == 80 and "350582" not in faded


def test_user_columns_joined_to_table(layer, tables, userdata):
    table = with_user_columns(export.county_records(layer, tables, "zh"), userdata)
    assert table.set_index("adcode").loc["350582", "upload: GDP"] == pytest.approx(3207.4)
    assert len(table) == 84


# --- the pillar list is incomplete -----------------------------------------------------

def test_pillar_chains_carry_the_incomplete_list_note(layer, tables):
    jinjiang = county_detail("350582", layer, tables, "zh")  # textiles, ICs (pillar), food
    assert any("支柱产业名单不完整" in n and "以蕉城" in n for n in jinjiang.notes)
    guangze = county_detail("350723", layer, tables, "en")  # food only (traditional)
    assert guangze.notes == []
    assert "incomplete" in county_detail("350213", layer, tables, "en").notes[0]


def test_query_carries_the_chosen_list(tables):
    chain_ids = tables.chains["chain_id"].tolist()
    query = to_query(Filters(county="350405"), "zh", "sanming_2023")
    assert query == {"list": "sanming_2023", "county": "350405"}
    parsed = parse_query({k: [v] for k, v in query.items()}, {"350405"}, chain_ids, ("sanming_2023",))
    assert parsed.list_id == "sanming_2023" and parsed.unknown_list is None
    bad = parse_query({"list": ["<b>x</b>"]}, set(), chain_ids, ("sanming_2023",))
    assert bad.list_id is None and bad.unknown_list == "<b>x</b>"
    assert to_query(Filters(), "zh") == {}  # the opinion's examples: no list parameter


def test_headline_values_come_from_the_stats_table(tables):
    from fjchains.data.headline import headline_cards, headline_value

    stats = tables.headline_stats.set_index("metric_id", drop=False)
    assert headline_value(stats.loc["county_gdp_avg_rank"], "zh") == "第 3 位"
    assert headline_value(stats.loc["county_gdp_avg_rank"], "en") == "No. 3"
    assert headline_value(stats.loc["avg_industrial_revenue"], "zh") == "680亿元"  # 680 x 1e8 yuan, written in 亿
    assert headline_value(stats.loc["avg_industrial_revenue"], "en") == "68 billion yuan"  # 680 x 1e8 yuan
    assert headline_value(stats.loc["top100_counties"], "zh") == "11 个"
    cards = headline_cards(tables, "en")
    assert len(cards) == 4 and all("Source: " in c.help for c in cards)


def test_display_table_speaks_the_interface_language(layer, tables):
    from fjchains.render.export import county_records, localised

    shown = localised(county_records(layer, tables, "zh"), "zh")
    assert "县级市" in set(shown[t("col_level", "zh")])  # levels as labels, not codes
    assert t("col_adcode", "zh") in shown.columns and "adcode" not in shown.columns


def test_breaks_typed_with_either_comma():
    from fjchains.upload.classify import parse_breaks

    assert parse_breaks("10, 50，100 ,") == ["10", "50", "100"]
    assert parse_breaks("  ") == []
