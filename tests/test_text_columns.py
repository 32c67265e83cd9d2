"""A user's own chain list as lists of values: splitting, counting, grouping, duplicates, unknowns, budgets."""

from __future__ import annotations

import pytest

from fjchains.core import limits
from fjchains.geo.colouring import NOT_NAMED, SEVERAL
from fjchains.render.export import to_csv_bytes
from fjchains.upload.text_columns import (
    OTHER,
    PALETTE_SIZE,
    palette,
    split_cell,
    values_colouring,
    values_tips,
)
from fjchains.upload.userdata import load_user_file, value_lines, with_user_columns

PAIRS = "县,产业链\n晋江,纺织鞋服\n晋江,食品\n石狮,纺织鞋服\n福清,新型显示；绿色石化、食品\n火星县,食品\n晋江,食品\n"


def _load(text: str, tables, aliases, name: str = "链.csv", encoding: str = "gbk"):
    return load_user_file(name, text.encode(encoding), aliases, tables.counties)


@pytest.mark.parametrize(("cell", "values"), [
    ("纺织鞋服", ["纺织鞋服"]),
    ("新型显示；绿色石化、食品", ["新型显示", "绿色石化", "食品"]),
    ("a; b,c，d、e;", ["a", "b", "c", "d", "e"]),
    (" ;、 ", []),
    ("食品、食品", ["食品", "食品"]),  # repeats stay: the caller reports them
])
def test_split_cell(cell, values):
    assert split_cell(cell) == values


def test_pairs_file_counts_every_row_of_a_county(tables, aliases):
    data = _load(PAIRS, tables, aliases)
    col = data.text_columns.columns["产业链"]
    assert col.values_of == {"350582": ("纺织鞋服", "食品"), "350581": ("纺织鞋服",),
                             "350181": ("新型显示", "绿色石化", "食品")}
    assert col.counts == {"纺织鞋服": 2, "食品": 2, "新型显示": 1, "绿色石化": 1}  # most first, ties in file order
    assert col.multi_value_cells == 1


def test_unknown_county_reported_with_suggestion(tables, aliases):
    data = _load(PAIRS.replace("火星县", "晋将市"), tables, aliases)
    unknown = data.report.unmatched
    assert [u["row"] for u in unknown] == [6] and "晋江市" in unknown[0]["suggestions"]
    assert data.text_columns.columns["产业链"].counts["食品"] == 2  # the unknown row's value is not counted


def test_repeated_county_value_pair_reported_and_counted_once(tables, aliases):
    col = _load(PAIRS, tables, aliases).text_columns.columns["产业链"]
    assert col.repeats == [{"adcode": "350582", "value": "食品", "rows": [3, 7]}]
    assert col.repeat_count == 1 and col.counts["食品"] == 2


def test_name_and_numeric_columns_are_not_categories(tables, aliases):
    text = "adcode,name_zh,产值,链\n350582,晋江市,12.5,食品\n350581,石狮市,3,纺织\n"
    data = _load(text, tables, aliases, encoding="utf-8")
    assert list(data.text_columns.columns) == ["链"]
    assert data.numeric_columns == ["产值"]


def test_budgets_refuse_a_column_with_a_message(tables, aliases):
    crowded = ";".join(f"v{i}" for i in range(limits.MAX_VALUES_PER_CELL + 1))
    data = _load(f"县,链,另\n晋江,{crowded},a\n石狮,x,b\n", tables, aliases, encoding="utf-8")
    assert list(data.text_columns.columns) == ["另"]
    refused = data.text_columns.refused[0]
    assert refused.key == "userlist_too_many_in_cell" and refused.values["line"] == 2
    assert str(limits.MAX_VALUES_PER_CELL) in refused.text("en")
    names = list(tables.counties["name_zh"])
    many = "\n".join(f"{names[i % len(names)]},值{i}" for i in range(limits.MAX_TEXT_VALUES + 1))
    data = _load("县,链\n" + many, tables, aliases, encoding="utf-8")
    assert not data.text_columns.columns and data.text_columns.refused[0].key == "userlist_too_many_values"


def test_invisible_values_are_no_values(tables, aliases):
    """Zero-width space, BOM, right-to-left override and left-to-right isolate alone were four
    more categories whose legend entries read "(1)" (issue 23.5): they are empty cells."""
    text = "县,链\n晋江,\u200b\n石狮,\ufeff\n福清,\u202e\n长乐,\u2066\n连江,锂\u200b电\u2069\n"
    col = _load(text, tables, aliases, encoding="utf-8").text_columns.columns["链"]
    assert col.counts == {"锂电": 1}
    assert col.values_of == {"350122": ("锂电",)}
    legend = [label for label, _ in values_colouring(col, list(tables.counties["adcode"]), "en").legend]
    assert legend[0] == "锂电 (1)" and not any(label.startswith(" (") for label in legend)


def test_colours_legend_counts_and_several(tables, aliases):
    col = _load(PAIRS, tables, aliases).text_columns.columns["产业链"]
    adcodes = list(tables.counties["adcode"])
    colouring = values_colouring(col, adcodes, "en")
    colours = dict(zip(col.values, palette(4)))
    assert colouring.fills["350581"] == colours["纺织鞋服"]
    assert colouring.fills["350582"] == SEVERAL and colouring.fills["350181"] == SEVERAL
    assert colouring.fills["350102"] == NOT_NAMED
    labels = [label for label, _ in colouring.legend]
    assert labels[:4] == ["纺织鞋服 (2)", "食品 (2)", "新型显示 (1)", "绿色石化 (1)"]
    assert "Several values (2 counties)" in labels and f"No value ({len(adcodes) - 3} counties)" in labels
    assert sorted(colouring.matching) == ["350181", "350581", "350582"]


def test_filter_by_value_keeps_its_colour(tables, aliases):
    col = _load(PAIRS, tables, aliases).text_columns.columns["产业链"]
    adcodes = list(tables.counties["adcode"])
    colour = dict(zip(col.values, palette(4)))["食品"]
    colouring = values_colouring(col, adcodes, "zh", ["食品"])
    assert colouring.fills["350582"] == colour and colouring.fills["350181"] == colour
    assert colouring.fills["350581"] == NOT_NAMED
    assert colouring.legend[0] == ("食品 (2)", colour)


def test_more_than_twelve_values_grouped_as_other(tables, aliases):
    names = list(tables.counties["name_zh"])
    rows = [f"{names[i]},链{i:02d}" for i in range(15)] + [f"{names[20]},链00"]
    col = _load("县,链\n" + "\n".join(rows), tables, aliases, encoding="utf-8").text_columns.columns["链"]
    colouring = values_colouring(col, list(tables.counties["adcode"]), "en")
    own = [c for label, c in colouring.legend if label.startswith("链")]
    assert len(own) == PALETTE_SIZE == len(set(own)) and OTHER not in own
    assert ("3 other values (3 counties)", OTHER) in colouring.legend
    assert colouring.legend[0] == ("链00 (2)", own[0])


def test_palettes_are_distinct_and_sized():
    for n in range(1, PALETTE_SIZE + 1):
        colours = palette(n)
        assert len(colours) == n == len(set(colours))
    assert palette(3) == ["#CC6677", "#332288", "#DDCC77"]  # Tol's muted


def test_tooltips_details_and_downloads_carry_all_values(tables, aliases):
    data = _load(PAIRS, tables, aliases)
    col = data.text_columns.columns["产业链"]
    tips = values_tips(col, ["350582", "350102"], "zh")
    assert tips == {"350582": ["产业链：纺织鞋服、食品"], "350102": ["产业链：无数据"]}
    assert value_lines(data, "350582", "zh")["产业链"] == "纺织鞋服; 食品"  # three rows: all their values
    assert value_lines(data, "350181", "zh")["产业链"] == "新型显示；绿色石化、食品"  # one row: as written
    import pandas as pd
    table = with_user_columns(pd.DataFrame({"adcode": ["350582", "350181", "350102"]}), data)
    assert table["upload: 产业链"].tolist()[:2] == ["纺织鞋服; 食品", "新型显示；绿色石化、食品"]
    assert "纺织鞋服; 食品" in to_csv_bytes(table).decode("utf-8-sig")


def test_a_formula_value_is_neutralised_in_downloads(tables, aliases):
    import pandas as pd
    data = _load("县,链\n晋江,=HYPERLINK(\"x\")\n", tables, aliases, encoding="utf-8")
    table = with_user_columns(pd.DataFrame({"adcode": ["350582"]}), data)
    assert "'=HYPERLINK" in to_csv_bytes(table).decode("utf-8-sig")


def test_columns_past_the_cell_budget_are_reported_not_read(tables, aliases, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CELLS", 3)
    data = _load("县,链,另\n晋江,a,x\n石狮,b,y\n", tables, aliases, encoding="utf-8")
    assert list(data.text_columns.columns) == ["链"]
    assert [m.key for m in data.text_columns.refused] == ["userlist_cells_budget"]
    assert "另" in data.text_columns.refused[0].text("zh")


def test_title_file_name_and_picture(tables, aliases, layer):
    from fjchains.render.captions import values_filename, values_title
    from fjchains.render.picture import values_picture

    data = _load(PAIRS, tables, aliases)
    assert values_title("产业链", "链.csv", ["食品"], "zh") == "福建各县 · 产业链（链.csv） · 只显示：食品"
    assert values_filename("产业链", "png", ["食品"]) == "fujian_产业链_values_食品.png"
    assert values_filename("a/b", "svg") == "fujian_a_b_values.svg"
    png = values_picture(layer, tables, data, "产业链", ["食品"], "en", "png")
    assert png[:4] == b"\x89PNG"
