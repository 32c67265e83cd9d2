"""Separately published chain lists (三明市 2023): sourced, verbatim, validated, mapped."""

from __future__ import annotations

import pytest

from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.data.chain_lists import (
    colour_by_list,
    counts_per_county,
    county_lines,
    list_caveats,
    list_source,
    load_lists,
)
from fjchains.data.names import resolve
from fjchains.data.tables import load_tables
from fjchains.geo.colouring import COUNT_COLOURS

SANMING_PAGE = "http://www.sm.gov.cn/zw/ztzl/qfwtdgzlfzcy/gzld/202311/t20231121_1977548.htm"

# Typed from the stored page (data/sources/sanming-county-chains-2023-11-15-excerpt.txt) by
# hand, independently of data/lists/sanming_2023.csv: county -> its chains, in page order.
EXPECTED_SANMING = {
    "350404": ["钢铁与装备制造产业链", "氟硅新材料产业链"],  # 三元区
    "350405": ["高端装备制造产业链", "硅及化工新材料产业链", "小吃食品加工产业链"],  # 沙县区
    "350481": ["汽车及机械加工产业链", "石墨和石墨烯产业链", "林竹产业链"],  # 永安市
    "350428": ["轻合金产业链", "精细化工产业链"],  # 将乐县
    "350425": ["铸造和装备制造产业链", "石墨和石墨烯产业链"],  # 大田县
    "350424": ["安全应急产业链", "有机硅新材料产业链"],  # 宁化县
    "350421": ["生物医药产业链", "氟新材料产业链"],  # 明溪县
    "350426": ["纺织全产业链", "竹木产业链"],  # 尤溪县
    "350423": ["氟新材料产业链"],  # 清流县
    "350429": ["水资源及食品加工产业链", "竹制"],  # 泰宁县: the stored copy ends at 竹制
    "350430": ["特色食品加工产业链"],  # 建宁县
}


@pytest.fixture(scope="module")
def sanming(tables):
    return load_lists(tables)["sanming_2023"]


def test_sanming_list_matches_the_page(sanming):
    got = {}
    for r in sanming.rows.itertuples():
        got.setdefault(r.adcode, []).append(r.chain_name_zh)
    assert got == EXPECTED_SANMING


def test_sanming_counts_per_county(sanming):
    counts = counts_per_county(sanming)
    assert counts == {a: len(c) for a, c in EXPECTED_SANMING.items()}
    assert sum(counts.values()) == 22  # "涉及8大产业,22条县域重点产业链"
    assert sanming.meta["announced_chains"] == "22"
    assert sanming.rows["industry_zh"].nunique() == 8
    assert len(counts) == 11  # every county of 三明市


def test_sanming_source_and_what_is_missing(sanming, tables):
    assert sanming.meta["url"] == SANMING_PAGE
    assert sanming.meta["date"] == "2023-11-15"
    citation = list_source(sanming, tables, "zh")
    assert SANMING_PAGE in citation and "2023-11-15" in citation
    truncated = sanming.rows[sanming.rows["name_complete"] == "false"]
    assert truncated[["adcode", "chain_name_zh", "chain_name_en"]].values.tolist() == [["350429", "竹制", ""]]
    assert "泰宁县竹制" in sanming.meta["missing_zh"] and "泰宁县竹制" in sanming.meta["missing_en"]
    stored = (paths.DATA_DIR / "sources" / "sanming-county-chains-2023-11-15-excerpt.txt").read_text(encoding="utf-8")
    assert stored.rstrip().endswith("泰宁县竹制")


def test_names_in_the_list_resolve_to_their_adcode(sanming, aliases, tables):
    for r in sanming.rows.itertuples():
        assert resolve(r.name_in_source, aliases, tables.counties) == [r.adcode]


def test_a_countys_detail_lines(sanming):
    lines = county_lines(sanming, "350405", "zh")
    assert [(x.chain, x.industry) for x in lines] == [
        ("高端装备制造产业链", "钢铁与装备制造产业"), ("硅及化工新材料产业链", "硅新材料产业"),
        ("小吃食品加工产业链", "食品加工产业")]
    assert [x.quote for x in lines] == ["沙县区高端装备制造产业链", "沙县区硅及化工新材料产业链", "沙县区小吃食品加工产业链"]
    taining = county_lines(sanming, "350429", "en")
    assert taining[1].chain == "竹制…"  # no English for a name the source cuts off; the cut is shown
    assert county_lines(sanming, "350582", "zh") == []  # 晋江 is not in a 三明 list


def test_map_colours_and_legend_count_counties(sanming, layer):
    c = colour_by_list(layer, sanming, "zh")
    assert c.fills["350405"] == COUNT_COLOURS[3] and c.fills["350423"] == COUNT_COLOURS[1]
    assert c.fills["350582"] == COUNT_COLOURS[0]
    assert c.legend == [("未列出（73 个县区）", COUNT_COLOURS[0]), ("1 条（2 个县区）", COUNT_COLOURS[1]),
                        ("2 条（7 个县区）", COUNT_COLOURS[2]), ("3 条（2 个县区）", COUNT_COLOURS[3])]
    assert sorted(c.matching) == sorted(EXPECTED_SANMING)
    assert "三明" in c.title
    # tooltips name the list's chains, not the opinion's
    assert c.tips["350405"] == ["沙县区", "三明市", "三明市名单（2023）：高端装备制造产业链、硅及化工新材料产业链、小吃食品加工产业链"]
    assert c.tips["350582"][2] == "该名单未列出"
    assert "三元区" in c.tips["350404"][0] and "建材" not in " ".join(c.tips["350404"])  # the opinion names 三元 for 建材


def test_caveats_say_separate_taxonomy_and_missing_text(sanming):
    notes = list_caveats(sanming, "en")
    assert any("does not share the provincial opinion" in n for n in notes)
    assert any("泰宁县竹制" in n for n in notes)
    assert any("等" in n for n in notes)  # the 钢铁与装备制造 group ends with 等


# --- corrupted copies are refused, naming file, line and problem ------------------------

def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, message", [
    ("lists/sanming_2023.csv", "sanming_2023,350404,三元区", "sanming_2023,350582,三元区",
     r"sanming_2023.csv, line 2.*outside the list's prefecture"),
    ("lists/sanming_2023.csv", "sanming_2023,350404,三元区", "sanming_2023,350499,三元区",
     r"sanming_2023.csv, line 2.*unknown adcode"),
    ("lists/sanming_2023.csv", ",三元区钢铁与装备制造产业链\n", ",三元区钢铁产业链\n",
     r"sanming_2023.csv, line 2.*not found verbatim"),
    ("lists/sanming_2023.csv", "三元区,钢铁与装备制造产业,", "三元区,林竹产业,",
     r"sanming_2023.csv, line 2.*does not stand under '林竹产业培育'"),
    ("lists/sanming_2023.csv", "sanming-2023-11-15,三元区钢铁", "sanming-2099,三元区钢铁",
     r"sanming_2023.csv, line 2.*unknown source"),
    ("lists/sanming_2023.csv", "sanming_2023,350404,三元区", "sanming_2024,350404,三元区",
     r"sanming_2023.csv, line 2.*list id must be sanming_2023"),
    ("lists/sanming_2023.csv", "Fine chemicals,true,false", "Fine chemicals,true,true",
     r"industry_ends_with_deng does not match"),
    ("lists/sanming_2023.csv", "竹制,,false", "竹制,Bamboo products,false", r"no English name for a name the source cuts off"),
    ("lists.csv", "涉及8大产业,22条县域重点产业链", "涉及8大产业,23条县域重点产业链", r"lists.csv, line 2.*not found verbatim"),
    ("lists.csv", ",350400,", ",350500,", r"outside the list's prefecture 350500"),
])
def test_corrupted_list_is_refused(data_copy, file, old, new, message):
    _edit(data_copy / file, old, new)
    tables = load_tables(data_copy)
    with pytest.raises(DataValidationError, match=message):
        load_lists(tables, data_copy)


def test_duplicate_row_is_refused(data_copy):
    path = data_copy / "lists" / "sanming_2023.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"line 24.*duplicate"):
        load_lists(load_tables(data_copy), data_copy)


def test_download_table_follows_the_list(sanming, layer):
    from fjchains.data.chain_lists import list_table

    table = list_table(layer, sanming, "en").set_index("adcode")
    assert len(table) == 84
    assert table.at["350405", "chain_count"] == 3
    assert table.at["350405", "chains"] == ("High-end equipment manufacturing; Silicon and chemical new materials; "
                                           "Snack food processing")
    assert table.at["350429", "chains_zh"] == "水资源及食品加工产业链; 竹制…"
    assert table.at["350481", "source_quotes"] == "永安市汽车及机械加工产业链; 永安市、大田县石墨和石墨烯产业链; 永安市林竹产业链"
    assert table.at["350582", "chain_count"] == 0 and table.at["350582", "chains"] == ""
    assert set(table["source"]) == {"sanming-2023-11-15"}


def test_map_payload_carries_the_list_tooltips_and_legend(sanming, layer, tables):
    from fjchains.data.chain_lists import list_table
    from fjchains.geo import maps
    from fjchains.geo.colouring import Filters
    from fjchains.render import export

    payload = maps.style_payload(layer, tables.chains, colour_by_list(layer, sanming, "zh"), Filters(), "zh")
    assert payload["tips"]["350423"] == ["清流县", "三明市", "三明市名单（2023）：氟新材料产业链"]
    assert payload["legend"]["title"] == "三明市名单（2023）：各县区产业链数"
    csv_text = export.to_csv_bytes(list_table(layer, sanming, "zh")).decode("utf-8-sig")
    assert "沙县区,Shaxian District" in csv_text and "小吃食品加工产业链" in csv_text
