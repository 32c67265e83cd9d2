"""One language at a time, without a browser: the catalogues, the tables (drawn on a canvas,
which the browser walk cannot read), citations, KPI cards, chart layout and the detail's
sources. The browser walk over every page is tests/e2e/test_every_page.py."""

from __future__ import annotations

import re

import pytest

from fjchains.core.i18n import CATALOGUES, LANGUAGES, t
from fjchains.data.detail import citation, county_detail
from fjchains.data.headline import headline_cards
from fjchains.render import charts, export
from tests.language import foreign_text, proper_names

OTHER = {"zh": "en", "en": "zh"}


@pytest.fixture(scope="module")
def names(tables):
    return proper_names(tables)


def test_the_rule_finds_both_ways(names):
    assert foreign_text("来源: 福建省政府网 (Fujian Provincial Government portal)", "zh", names)
    assert foreign_text("Boundaries: not approved (no 审图号)", "en", names)
    assert foreign_text("图例 1.23B – 4.5B", "zh", names)
    assert foreign_text("level: county_city", "zh", names)
    assert not foreign_text("晋江市 Jinjiang City · 行政区划代码 350582", "zh", names)
    assert not foreign_text("Jinjiang City · 晋江市 · the opinion's words “纺织鞋服”", "en", names)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalogue_string_is_in_its_language(lang, names):
    """Help texts and messages too: the browser walk only sees what a page shows at once."""
    found = {key: foreign_text(text, lang, names) for key, text in CATALOGUES[lang].items()}
    assert {key: lines for key, lines in found.items() if lines} == {}


def test_chinese_strings_use_full_width_colons_and_brackets():
    half_width = {key: text for key, text in CATALOGUES["zh"].items()
                  if re.search(r"[\u4e00-\u9fff][:;]|[:;] ?[\u4e00-\u9fff]|[\u4e00-\u9fff]\(|\)[\u4e00-\u9fff]", text)}
    assert half_width == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_display_tables_show_labels_not_codes(layer, tables, lang, names):
    shown = export.localised(export.county_records(layer, tables, lang), lang)
    codes = set(tables.chains["chain_id"]) | {"pillar", "traditional", "emerging", "district", "county_city",
                                               "county"} | set(tables.sources["source_id"])
    cells = {str(v) for column in shown.columns for v in shown[column]}
    assert not any(code in cell.split("; ") for cell in cells for code in codes)
    text = "\n".join([*map(str, shown.columns), *(str(v) for c in shown.columns if c != t("col_boundary_source", lang)
                                                   for v in shown[c])])
    assert foreign_text(text, lang, names) == []


def test_downloads_carry_codes_and_labels(layer, tables):
    table = export.county_records(layer, tables, "zh").set_index("adcode")
    row = table.loc["350582"]
    assert row["level"] == "county_city" and row["level_label"] == "县级市"
    assert row["chain_ids"] == "textile_apparel; integrated_circuits; food"
    assert row["categories"] == "pillar; traditional" and row["category_labels"] == "支柱产业；传统、特色产业"
    english = export.county_records(layer, tables, "en").set_index("adcode").loc["350582"]
    assert english["level_label"] == "County-level city" and english["chains"].startswith("Modern textiles")


def test_sources_table_shows_no_ids_or_paths(tables):
    src = tables.sources.rename(columns={"title_zh": "title", "publisher_zh": "publisher"})
    shown = export.localised(src[["source_id", "title", "publisher", "date", "url", "file", "licence", "note"]], "zh")
    assert t("col_source_id", "zh") not in shown and t("col_file", "zh") not in shown
    assert t("col_title", "zh") in shown and t("col_url", "zh") in shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_citations_name_publisher_title_date_and_an_address(tables, lang):
    for source_id in tables.sources["source_id"]:
        text = citation(tables, source_id, lang)
        row = tables.sources.set_index("source_id").loc[source_id]
        assert not row["file"] or row["file"] not in text  # never a repository path
        assert row[f"publisher_{lang}"] in text and row["date"] in text
        assert row[f"publisher_{OTHER[lang]}"] not in text or row["publisher_zh"] == row["publisher_en"]
    fjgov = citation(tables, "fjgov-2024-07-29", lang)
    assert fjgov.endswith("http://yongtai.gov.cn/xjwz/zwgk/zcjd/sjzcjd/202409/t20240924_4898240.htm")
    two = citation(tables, "minzhengban-2024-25-art2", lang)
    assert two.endswith("http://kyfz.org.cn/show-36009.html")  # the first of two addresses, openable
    if lang == "zh":
        assert fjgov.startswith("福建省政府网，《我省出台意见推进县域重点产业链高质量发展》，2024-07-29")


def test_each_source_once_per_detail_panel(layer, tables):
    """A county whose chains and golden card share a source lists that source once."""
    shared = [a for a in tables.golden_cards["adcode"]
              if set(tables.county_chains.loc[tables.county_chains["adcode"] == a, "source"])
              & set(tables.golden_cards.loc[tables.golden_cards["adcode"] == a, "source"])]
    assert shared, "no county shares a source between chains and card: the test would prove nothing"
    d = county_detail(shared[0], layer, tables, "zh")
    all_sources = [line.source for line in d.chains] + [d.golden_card.source]
    assert len(all_sources) > len(set(all_sources)) and d.sources() == list(dict.fromkeys(all_sources))
    assert d.sources(with_chains=False) == [d.golden_card.source]


def test_kpi_cards_short_labels_full_help(tables):
    english = headline_cards(tables, "en")
    assert max(len(card.label) for card in english) <= 26  # fits a third of a laptop screen
    stats = tables.headline_stats.set_index("metric_id")
    assert stats.at["avg_industrial_revenue", "label_en"] in english[2].help
    assert english[2].value == "68 billion yuan"
    chinese = headline_cards(tables, "zh")
    assert all("来源：" in card.help and "(" not in card.label for card in chinese)


def test_prefecture_chart_legend_clear_of_axis_labels(tables):
    fig = charts.pairs_per_prefecture(tables, "en")
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0  # at the figure's foot
    assert all(": " not in trace.hovertemplate for trace in charts.pairs_per_prefecture(tables, "zh").data)
