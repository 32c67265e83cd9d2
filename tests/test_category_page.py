"""The Your data page with a chain list (AppTest): categorical map, legend counts, filter, detail."""

from __future__ import annotations

import html

import pytest

from fjchains.data.names import build_aliases
from fjchains.data.tables import load_tables
from fjchains.geo.colouring import SEVERAL
from fjchains.upload.text_columns import palette
from fjchains.upload.userdata import load_user_file
from tests.appmap import first_map
from tests.test_upload_page import _run  # the upload page with a file in the session

PAIRS = "县,产业链\n晋江,纺织鞋服\n晋江,食品\n石狮,纺织鞋服\n福清,新型显示；绿色石化、食品\n火星县,食品\n晋江,食品\n"


@pytest.fixture(scope="module")
def pairs():
    tables = load_tables()
    return load_user_file("链.csv", PAIRS.encode("gbk"), build_aliases(tables.counties, tables.former_names),
                          tables.counties)


@pytest.fixture(scope="module")
def mixed():
    tables = load_tables()
    text = "县,产值,产业链\n晋江,10,纺织鞋服;食品\n石狮,5,纺织鞋服\n"
    return load_user_file("mixed.csv", text.encode("utf-8"), build_aliases(tables.counties, tables.former_names),
                          tables.counties)


def test_a_list_without_numbers_is_mapped_by_value(pairs):
    at = _run(pairs)
    assert not at.exception, at.exception
    payload = first_map(at)["payload"]
    items = [label for label, _ in payload["legend"]["items"]]
    assert items[:4] == ["纺织鞋服 (2)", "食品 (2)", "新型显示 (1)", "绿色石化 (1)"]
    assert "多个值（2 个县）" in items
    assert payload["fill"]["350581"] == palette(4)[0] and payload["fill"]["350582"] == SEVERAL
    assert payload["tips"]["350582"][-1] == "产业链：纺织鞋服、食品"
    assert "未匹配的行（1）" in [e.label for e in at.expander]  # 火星县
    assert "重复的县–值组合（1）：只计一次" in [e.label for e in at.expander]
    assert not at.warning  # no "no numeric column" warning for a list


def test_filter_by_value(pairs):
    at = _run(pairs, ud_cat_values=["食品"], w_ud_cat_values=["食品"])
    fills = first_map(at)["payload"]["fill"]
    food = palette(4)[1]
    assert fills["350582"] == food and fills["350181"] == food and fills["350581"] == "#e6e6e6"


def test_detail_panel_lists_every_value(pairs):
    at = _run(pairs, county="350582")  # 晋江市: three rows in the file
    lines = [html.unescape(m.value).replace("\u2060", "") for m in at.markdown]
    assert any("产业链：纺织鞋服; 食品" in line for line in lines), lines


def test_a_file_with_both_kinds_asks_which(mixed):
    at = _run(mixed)
    assert at.radio[0].value == "numbers"
    assert "fill" in first_map(at)["payload"]
    at.radio[0].set_value("values").run()
    assert not at.exception
    items = [label for label, _ in first_map(at)["payload"]["legend"]["items"]]
    assert items[0] == "纺织鞋服 (2)"


def test_english(pairs):
    at = _run(pairs, lang="en")
    items = [label for label, _ in first_map(at)["payload"]["legend"]["items"]]
    assert "Several values (2 counties)" in items and first_map(at)["payload"]["legend"]["title"] == "产业链: value (counties)"


def test_markup_in_a_list_stays_text():
    tables = load_tables()
    crowded = ";".join(f"v{i}" for i in range(60))
    text = f'县,"![x](http://e.com/i.png)",**链**\n晋江,"{crowded}",<b>x</b>\n石狮,a,[y](http://e.com)\n'
    data = load_user_file("m.csv", text.encode("utf-8"), build_aliases(tables.counties, tables.former_names),
                          tables.counties)
    at = _run(data)
    assert not at.exception
    warning = at.warning[0].value
    assert "![x]" not in warning and "&#33;&#91;x&#93;" in warning  # the refused column's name, as text
    payload = first_map(at)["payload"]
    assert [label for label, _ in payload["legend"]["items"]][:2] == ["<b>x</b> (1)", "[y](http://e.com) (1)"]
    assert payload["legend"]["title"].startswith("**链**")  # drawn with textContent by county-layer.js
    source_note = next(c.value for c in at.caption if "列的值按文件原文显示" in c.value)
    assert "**链**" not in source_note and "&#42;&#42;链&#42;&#42;" in source_note  # the column's name, as text
