"""Numbers as each language writes them (fjchains.core.numbers.format_number / format_value),
and every place a reader meets them: legends, tooltips, details, KPI cards."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from fjchains.core.numbers import format_number, format_value
from fjchains.upload.classify import classify


@pytest.mark.parametrize(("value", "zh", "en"), [
    (0, "0.0", "0.0"), (12, "12.0", "12.0"), (45.55, "45.5", "45.5"), (0.0123, "0.012", "0.012"),
    (450, "450", "450"), (1234, "1,234", "1,234"), (-2500, "-2,500", "-2,500"),
    (12345, "1.23万", "12,345"), (4.5e5, "45万", "450,000"), (4.5e6, "450万", "4.5 million"),
    (4.5e7, "4,500万", "45 million"), (1.23e8, "1.23亿", "123 million"), (1.23e9, "12.3亿", "1.23 billion"),
    (3.2074e11, "3,207亿", "321 billion"), (1.5e13, "15万亿", "15 trillion"), (-1.23e9, "-12.3亿", "-1.23 billion"),
    (1e17, "1e+17", "1e+17"),
])
def test_format_number(value, zh, en):
    assert format_number(value, "zh") == zh
    assert format_number(value, "en") == en


@pytest.mark.parametrize(("value", "zh", "en"), [
    (12.345, "12.345", "12.345"), (1234.5, "1,234.5", "1,234.5"),
    (1.3704e9, "13.7亿", "1.37 billion"), (123456, "12.35万", "123,456"),
])
def test_format_value_keeps_small_numbers_whole(value, zh, en):
    assert format_value(value, "zh") == zh
    assert format_value(value, "en") == en


def test_not_finite_is_not_a_unit():
    assert format_number(math.inf, "zh") == "inf" and format_number(math.nan, "en") == "nan"


@pytest.mark.parametrize(("lang", "unit", "other"), [
    ("zh", "亿", r"billion|million|\d[BMk]\b"), ("en", "billion", r"[亿万]|\d[BMk]\b"),
])
def test_legend_numbers_follow_the_language(lang, unit, other):
    values = pd.Series([1.2e9, 2.5e9, 4.0e9, 8.0e9, 1.6e10, 3.2e10], index=list("abcdef"))
    labels = [label for label, _ in classify(values, "quantiles", k=3, lang=lang).legend]
    assert all(unit in label for label in labels)
    assert not any(re.search(other, label) for label in labels)
