"""The CSV tables of data/: complete, sourced, faithful to the article, and guarded."""

from __future__ import annotations

import csv

import pytest

from fjchains.core import paths
from fjchains.core.errors import DataValidationError
from fjchains.data.tables import SCHEMAS, load_tables

# Typed from the article (and, for the two article-2 chains, the republished opinion text)
# by hand, independently of data/county_chains.csv.
EXPECTED_PAIRS = {
    "textile_apparel": {"350582": "晋江", "350112": "长乐", "350581": "石狮", "350304": "荔城", "350122": "连江"},
    "integrated_circuits": {"350205": "海沧", "350213": "翔安", "350206": "湖里", "350582": "晋江"},
    "new_display": {"350213": "翔安", "350181": "福清", "350112": "长乐", "350206": "湖里", "350824": "武平"},
    "green_petrochemical": {"350623": "漳浦", "350505": "泉港", "350521": "惠安", "350181": "福清",
                            "350305": "秀屿", "350122": "连江"},
    "food": {"350582": "晋江", "350604": "龙海", "350181": "福清", "350505": "泉港", "350212": "同安",
             "350581": "石狮", "350521": "惠安", "350802": "新罗", "350303": "涵江", "350105": "马尾",
             "350122": "连江", "350921": "霞浦", "350624": "诏安", "350626": "东山", "350722": "浦城",
             "350723": "光泽"},
    "building_materials": {"350583": "南安", "350881": "漳平", "350404": "三元", "350124": "闽清"},
    "lithium_battery": {"350902": "蕉城", "350205": "海沧", "350213": "翔安", "350212": "同安", "350122": "连江",
                        "350982": "福鼎", "350981": "福安", "350823": "上杭", "350921": "霞浦"},
    "stainless_steel": {"350981": "福安", "350112": "长乐", "350123": "罗源", "350925": "周宁", "350926": "柘荣"},
}


def _rows(name):
    with open(paths.DATA_DIR / SCHEMAS[name].file, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", [n for n in SCHEMAS if SCHEMAS[n].cited])
def test_every_row_cites_a_known_source(name, tables):
    source_ids = set(tables.sources["source_id"])
    rows = _rows(name)
    assert rows
    for row in rows:
        assert row["source"] in source_ids, row


def test_every_source_is_described(tables):
    for row in tables.sources.itertuples():
        assert row.title_zh and row.publisher_zh and row.publisher_en and row.date
        assert row.url or row.file or row.source_id == "pinyin-romanisation"


def test_84_counties_by_level(tables):
    assert len(tables.counties) == 84
    assert tables.counties["level"].value_counts().to_dict() == {"county": 42, "district": 31, "county_city": 11}


def test_county_chain_pairs_match_the_sources_exactly(tables):
    got = {}
    for row in tables.county_chains.itertuples():
        got.setdefault(row.chain_id, {})[row.adcode] = row.name_in_source
    assert got == EXPECTED_PAIRS


def test_chains_and_categories(tables):
    chains = tables.chains.set_index("chain_id")
    assert set(chains.index) == set(EXPECTED_PAIRS)
    assert chains.loc["textile_apparel", "category"] == "pillar"
    assert chains.loc["food", "category"] == "traditional"
    assert chains.loc["lithium_battery", "category"] == "emerging"
    assert (chains["list_ends_with_deng"] == "true").all()


def _stored_copies():
    """source_id -> text of the stored copy named in sources.csv (read here, not by fjchains)."""
    texts = {}
    for row in _rows("sources"):
        if row["file"].endswith(".txt"):
            texts[row["source_id"]] = (paths.ROOT / row["file"]).read_text(encoding="utf-8")
    return texts


def _quoted_tables():
    """Every CSV under data/ (lists included) that has a source_quote column."""
    found = {}
    for path in sorted(paths.DATA_DIR.rglob("*.csv")):
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if rows and "source_quote" in rows[0]:
            found[str(path.relative_to(paths.DATA_DIR))] = rows
    return found


def test_quotes_are_verbatim_from_their_source():
    texts = _stored_copies()
    tables = _quoted_tables()
    assert {"chains.csv", "golden_cards.csv", "headline_stats.csv"} <= set(tables)
    for name, rows in tables.items():
        for number, row in enumerate(rows, start=2):
            assert row["source_quote"], f"{name} line {number}: no quote"
            assert row["source_quote"] in texts[row["source"]], f"{name} line {number}: {row['source_quote']}"


def test_article_2_chains_quote_the_opinion_exactly(tables):
    quotes = tables.chains.set_index("chain_id")["source_quote"]
    assert quotes["new_display"] == "以翔安、福清、长乐、湖里、武平等县域为重点依托的新型显示产业链"
    assert quotes["green_petrochemical"] == "以漳浦、泉港、惠安、福清、秀屿、连江等县域为重点依托的绿色石化产业链"
    opening = _stored_copies()["minzhengban-2024-25-art2"]
    assert opening.startswith("福建省人民政府办公厅关于推进县域")
    assert "闽政办〔2024〕25号" in opening
    # the stored copies end inside article 2: the next pillar chain's name is not there
    assert opening.rstrip().endswith("绿色石化产业链;以蕉城")


def test_every_headline_value_is_in_its_quote(tables):
    chinese_numerals = {"3": "三"}
    for row in tables.headline_stats.itertuples():
        assert row.value in row.source_quote or chinese_numerals.get(row.value, "?") in row.source_quote, row.metric_id
    stats = tables.headline_stats.set_index("metric_id")["value"].to_dict()
    assert stats["county_gdp_avg_rank"] == "3"
    assert stats["top100_counties"] == "11"
    assert stats["avg_industrial_revenue"] == "680"
    assert (stats["opinion_parts"], stats["opinion_articles"]) == ("7", "25")
    assert (stats["white_paper_paths"], stats["white_paper_measures"]) == ("5", "7")


def test_golden_cards(tables):
    cards = tables.golden_cards.set_index("adcode")["card_zh"].to_dict()
    assert cards == {"350902": "时代锂电池", "350981": "青拓不锈钢", "350112": "纺织化纤",
                     "350526": "陶瓷工艺", "350723": "圣农肉鸡"}


# --- corrupted copies must fail loudly, naming file, line and problem -------------------

def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, message", [
    ("county_chains.csv", "350582,textile_apparel", "359999,textile_apparel", r"county_chains.csv, line 2.*unknown adcode"),
    ("county_chains.csv", "350582,textile_apparel", "350582,textiles", r"county_chains.csv, line 2.*unknown chain id"),
    ("county_chains.csv", "晋江,fjgov-2024-07-29\n", "晋江,\n", r"county_chains.csv, line 2, column 'source'.*no source"),
    ("county_chains.csv", "350112,textile_apparel", "350582,textile_apparel", r"county_chains.csv, line 3.*duplicate"),
    ("county_chains.csv", "晋江,fjgov-2024-07-29\n", "晋江,fjgov-1999\n", r"county_chains.csv, line 2.*unknown source"),
    ("chains.csv", "textile_apparel,现代纺织服装", "textile_apparel,", r"chains.csv, line 2, column 'name_zh'.*empty"),
    ("chains.csv", ",pillar,", ",core,", r"chains.csv, line 2.*category"),
    ("golden_cards.csv", "350902,蕉城", "350999,蕉城", r"golden_cards.csv, line 2.*unknown adcode"),
    ("headline_stats.csv", ",3,位", ",third,位", r"headline_stats.csv, line 2.*not a number"),
    ("headline_stats.csv", "2023,fjgov-2024-07-29,\"2023年", "2023,,\"2023年", r"headline_stats.csv, line 2.*no source"),
    ("counties.csv", "350102,鼓楼区", "35010,鼓楼区", r"counties.csv, line 2.*6-digit adcode"),
    ("former_names.csv", "长乐市,Changle City,350182,350112", "长乐市,Changle City,350182,350181", r"ambiguous alias '长乐'"),
    ("former_names.csv", "长乐市,Changle City,350182", "长乐市,Changle, City,350182", r"former_names.csv, line 2.*fields"),
    ("former_names.csv", "350182,350112", "350112,350112", r"former_names.csv, line 2.*former adcode"),
    ("former_names.csv", "-350784 建阳市>建阳区", "-350784 建阳市>建阳区 (2015)", r"former_names.csv, line 3.*not found verbatim"),
    ("former_names.csv", ",2014-05-02,", ",2014-5-2,", r"former_names.csv, line 3.*YYYY-MM-DD"),
    ("chains.csv", "以翔安、福清、长乐、湖里、武平等", "以翔安、福清、长乐、湖里等",
     r"chains.csv, line 4, column 'source_quote'.*not found verbatim"),
    ("golden_cards.csv", "蕉城的时代锂电池", "蕉城的宁德时代锂电池", r"golden_cards.csv, line 2.*not found verbatim"),
    ("golden_cards.csv", ",蕉城的时代锂电池", ",", r"golden_cards.csv, line 2, column 'source_quote'.*empty"),
    ("sources.csv", "data/sources/minzhengban-2024-25-opening-excerpt.txt", "data/sources/nowhere.txt",
     r"stored copy data/sources/nowhere.txt.*missing"),
])
def test_corrupted_copy_is_refused(data_copy, file, old, new, message):
    _edit(data_copy / file, old, new)
    with pytest.raises(DataValidationError, match=message):
        load_tables(data_copy)


def test_gbk_encoded_table_is_refused(data_copy):
    path = data_copy / "golden_cards.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(DataValidationError, match="golden_cards.csv.*not UTF-8"):
        load_tables(data_copy)


def test_missing_column_is_refused(data_copy):
    _edit(data_copy / "chains.csv", "source,source_quote", "src,source_quote")
    with pytest.raises(DataValidationError, match="missing column.*source"):
        load_tables(data_copy)


def test_shipped_data_untouched_by_corruption_tests(tables):
    assert load_tables().county_chains.equals(tables.county_chains)


# --- history: renamed and merged units, with their approval documents ----------------

# Typed from issue 13 (checked against yescallop/areacodes diff files), independently of
# data/former_names.csv: name -> (adcode today, old adcode, date, document, approver).
EXPECTED_HISTORY = {
    "建阳市": ("350703", "350784", "2014-05-02", "国函〔2014〕57号", "国务院"),
    "永定县": ("350803", "350822", "2014-12-13", "国函〔2014〕159号", "国务院"),
    "长乐市": ("350112", "350182", "2017-07-18", "国函〔2017〕103号", "国务院"),
    "龙海市": ("350604", "350681", "2021-02-02", "闽政文〔2021〕48号", "福建省人民政府（经报国务院同意）"),
    "长泰县": ("350605", "350625", "2021-02-02", "闽政文〔2021〕48号", "福建省人民政府（经报国务院同意）"),
    "沙县": ("350405", "350427", "2021-02-02", "闽政文〔2021〕49号", "福建省人民政府（经报国务院同意）"),
    "梅列区": ("350404", "350402", "2021-02-02", "闽政文〔2021〕49号", "福建省人民政府（经报国务院同意）"),
}


def _approval_blocks():
    """The stored areacodes excerpt split into one block per approval (## title ...)."""
    text = _stored_copies()["areacodes-diff"]
    return [b for b in text.split("\n## ")[1:]]


def test_history_rows_carry_their_documents(tables):
    got = {r.former_name_zh: (r.adcode, r.former_adcode, r.date, r.document, r.approver_zh)
           for r in tables.former_names.itertuples()}
    assert got == EXPECTED_HISTORY
    assert (tables.former_names["year"] == tables.former_names["date"].str[:4]).all()
    assert set(tables.former_names["source"]) == {"areacodes-diff"}


def test_each_history_row_matches_its_approval_in_the_stored_diff(tables):
    blocks = _approval_blocks()
    assert len(blocks) == 5
    for r in tables.former_names.itertuples():
        block = [b for b in blocks if r.source_quote in b]
        assert len(block) == 1, r.former_name_zh
        year, month, day = (int(x) for x in r.date.split("-"))
        assert f"# 文号：{r.document}\n" in block[0]
        assert f"{year}年{month}月{day}日" in block[0]
        assert r.source_quote.startswith(f"-{r.former_adcode} {r.former_name_zh}>")
        by_province = "经报国务院同意" in block[0]
        assert by_province == r.document.startswith("闽政文"), r.former_name_zh
        assert block[0].startswith("国务院关于") != by_province


def test_meilie_and_old_sanyuan_both_abolished_for_a_new_sanyuan(tables):
    block = [b for b in _approval_blocks() if "梅列区" in b][0]
    assert "-350402 梅列区>三元区" in block
    assert "-350403 三元区>_" in block  # the old 三元区 was abolished too
    assert "+350404 三元区<_,梅列区" in block  # the new 三元区 covers both
    meilie = tables.former_names.set_index("former_name_zh").loc["梅列区"]
    assert "350403" in meilie["change_en"] and "new Sanyuan" in meilie["change_en"]
    assert "merged into" not in meilie["change_en"]


# --- openable sources -------------------------------------------------------------------

def test_sources_with_an_official_copy_have_a_url(tables):
    src = tables.sources.set_index("source_id")
    assert src.at["fjgov-2024-07-29", "url"] == (
        "http://yongtai.gov.cn/xjwz/zwgk/zcjd/sjzcjd/202409/t20240924_4898240.htm")
    assert "NOT verified" in src.at["fjgov-2024-07-29", "note"]  # no stored copy could be compared
    assert "kyfz.org.cn/show-36009.html" in src.at["minzhengban-2024-25-art2", "url"]
    assert src.at["areacodes-diff", "url"].startswith("https://github.com/yescallop/areacodes/")
    assert src.at["areacodes-diff", "licence"] == "CC0 1.0"


def test_divisions_are_the_2023_edition(tables):
    src = tables.sources.set_index("source_id")
    assert "nbs-divisions-2022" not in src.index
    assert src.at["nbs-divisions-2023", "date"] == "2023-06-30"
    assert "2023-06-30" in src.at["nbs-divisions-2023", "title_zh"]
    assert set(tables.counties["source"]) == {"nbs-divisions-2023"}


def test_the_article_and_the_opinion_agree_on_the_chains_both_name():
    texts = _stored_copies()
    for phrase in ("合力打造以晋江、长乐、石狮、荔城、连江等县域为重点依托的现代纺织服装产业链",
                   "以海沧、翔安、湖里、晋江等县域为重点依托的集成电路产业链"):
        assert phrase in texts["fjgov-2024-07-29"] and phrase in texts["minzhengban-2024-25-art2"]


def test_english_names_from_issue_13(tables):
    chains = tables.chains.set_index("chain_id")["name_en"]
    assert chains["lithium_battery"] == "Lithium batteries and new energy"
    assert chains["stainless_steel"] == "Stainless steel and new materials"
    former = tables.former_names.set_index("former_name_zh")["former_name_en"]
    assert former["沙县"] == "Sha County"
    label = tables.headline_stats.set_index("metric_id").at["avg_industrial_revenue", "label_en"]
    assert label.lower() == "average revenue of industrial enterprises above designated size, per county"
