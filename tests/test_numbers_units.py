"""Numbers written with 亿/万 end up in one unit per column: the header's if it names one,
plain numbers if every cell is suffixed, and never a guess when plain and suffixed cells mix
under a header with no unit (those cells are left empty and reported in both languages)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fjchains.core import paths
from fjchains.core.numbers import header_unit, parse_column, parse_number
from fjchains.upload.join import join_upload
from fjchains.upload.reader import read_upload
from fjchains.upload.userdata import load_user_file

FIXTURES = Path(__file__).parent / "fixtures"
JINJIANG, LONGHAI, CHANGLE, FUAN = "350582", "350604", "350112", "350981"
MIXED_CSV = "区县,GDP,备注\n晋江市,\"3,207.4\",a\n龙海市,12.3亿,b\n长乐区,4500万,c\n福安市,1234.5,d\n".encode()


def column(cells: list, header: str) -> tuple[list[float], int]:
    values, dropped = parse_column(pd.Series(cells, index=range(len(cells)), dtype=object), header)
    return values.tolist(), dropped


@pytest.mark.parametrize(("header", "power"), [
    ("GDP（亿元）", 8), ("GDP(亿元)", 8), ("产值（万元）", 4), ("收入 (元)", 0), ("GDP（亿）", 8), ("产值(万)", 4),
    ("产值/万元", 4), ("GDP_亿元", 8), ("GDP 亿元", 8), ("GDP【单位：亿元】", 8), ("存款（万亿元）", 12),
    ("GDP", None), ("规上工业企业数", None), ("人均GDP（元/人）", None), ("人口（万人）", None), ("GDP美元", None),
    ("GDP（美元）", None), ("GDP（亿元）/（万元）", None),  # two different units named: none is trusted
    # issue 27: English headers name the same units
    ("2023 GDP (100m yuan)", 8), ("GDP (100 million yuan)", 8), ("Output (10k yuan)", 4), ("Output (10,000 yuan)", 4),
    ("GDP (billion yuan)", 9), ("GDP, billion yuan", 9), ("GDP / 100m yuan", 8), ("GDP (100M Yuan)", 8),
    ("GDP (RMB 100m)", 8), ("Income (yuan)", 0), ("GDP (unit: 10,000 yuan)", 4),
    ("GDP (USD)", None), ("Population (10k)", None), ("Population (10k people)", None), ("GDP (million USD)", None),
])
def test_header_unit(header, power):
    assert header_unit(header) == power


def test_header_in_yi_yuan_converts_yi_wan_and_keeps_plain():
    values, dropped = column(["3,207.4", "12.3亿", "4500万", "1，234.5", "12.3亿元", "-", "5000万元"], "GDP（亿元）")
    assert values[:5] == [3207.4, 12.3, 0.45, 1234.5, 12.3]  # exact: scaled in decimal, not 12.300000000000001
    assert math.isnan(values[5]) and values[6] == 0.5
    assert dropped == 0


def test_header_in_wan_yuan():
    values, dropped = column(["1.2亿", "4500万", "300", "5000元", "0.7万亿", 88], "产值(万元)")
    assert values == [12000.0, 4500.0, 300.0, 0.5, 7e7, 88.0]
    assert dropped == 0


def test_no_unit_and_every_cell_suffixed_reads_plain_numbers():
    values, dropped = column(["12.3亿", "4500万", "NA", "8亿元", "300元"], "GDP")
    assert values[:2] == [1.23e9, 4.5e7] and math.isnan(values[2]) and values[3:] == [8e8, 300.0]
    assert dropped == 0


def test_no_unit_and_mixed_cells_are_left_empty_not_guessed():
    values, dropped = column(["3,207.4", "12.3亿", "4500万", "1234.5", "n/a", "abc"], "GDP")
    assert values[0] == 3207.4 and values[3] == 1234.5
    assert all(math.isnan(v) for v in values[1:3] + values[4:])
    assert dropped == 2


def test_no_unit_without_wan_or_yi_is_unchanged():
    values, dropped = column(["300元", "50", "5%"], "价格")
    assert values == [300.0, 50.0, 5.0] and dropped == 0


def test_parse_number_scales_exactly_and_refuses_overflow():
    assert parse_number("12.3亿") == 1230000000.0
    assert parse_number("0.1万") == 1000.0
    assert math.isnan(parse_number("1e305亿")) and math.isnan(parse_number("1e999999999亿"))


def test_fixture_column_is_in_its_header_unit(aliases, tables):
    report = join_upload(read_upload("counties_utf8.csv", (FIXTURES / "counties_utf8.csv").read_bytes()),
                         aliases, tables.counties)
    gdp = report.values["GDP（亿元）"]
    assert gdp.to_dict() == {JINJIANG: 3207.4, LONGHAI: 12.3, CHANGLE: 0.45, FUAN: 1234.5}
    assert report.mixed_units == []


def test_mixed_column_without_unit_is_reported(aliases, tables):
    report = join_upload(read_upload("mixed.csv", MIXED_CSV), aliases, tables.counties)
    assert report.numeric_columns == ["GDP"]
    assert report.mixed_units == [{"column": "GDP", "cells": 2}]
    gdp = report.values["GDP"]
    assert gdp[JINJIANG] == 3207.4 and gdp[FUAN] == 1234.5
    assert math.isnan(gdp[LONGHAI]) and math.isnan(gdp[CHANGLE])


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "不作推测"), ("en", "rather than guessed"),
])
def test_upload_page_warns_about_the_mixed_column(aliases, tables, lang, expected):
    userdata = load_user_file("mixed.csv", MIXED_CSV, aliases, tables.counties)
    at = AppTest.from_file(str(paths.ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.session_state["userdata"] = userdata
    at = at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning if expected in w.value]
    assert len(warnings) == 1 and "GDP" in warnings[0]
    assert "(2)" in warnings[0] or "（2 个）" in warnings[0]


def test_english_unit_header_converts_yi_and_wan_cells():
    """Issue 27: 420.0亿 under "2023 GDP (100m yuan)" was dropped as a unit-less mix."""
    values, dropped = column(["420.0亿", "3,207.4", "4500万", "12.3 亿元"], "2023 GDP (100m yuan)")
    assert values == [420.0, 3207.4, 0.45, 12.3] and dropped == 0
    values, dropped = column(["420.0亿", "42", "4500万"], "GDP (billion yuan)")
    assert values == [42.0, 42.0, 0.045] and dropped == 0
    values, dropped = column(["1.2亿", "300"], "Output (10,000 yuan)")
    assert values == [12000.0, 300.0] and dropped == 0


def test_english_warning_names_units_in_english():
    from fjchains.core.i18n import t

    en = t("report_mixed_units", "en", column="GDP", n="2")
    assert "GDP (100m yuan)" in en and "（" not in en and "亿元" not in en
    assert "GDP（亿元）" in t("report_mixed_units", "zh", column="GDP", n="2")
