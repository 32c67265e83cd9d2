"""Choropleth classes: each scheme, palettes, missing values and the edge cases uploads hit."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from fjchains.upload.classify import (
    MISSING_COLOR,
    PALETTES,
    SCHEMES,
    ClassifyError,
    classify,
)


def series(values) -> pd.Series:
    return pd.Series([float(v) for v in values], index=[f"35{i:04d}" for i in range(len(values))])


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_offered_scheme_colours_every_county(scheme):
    values = series([1, 5, 9, 40, 41, 90, 300, float("nan")])
    result = classify(values, scheme, k=3, breaks=[10, 100])
    assert set(result.colors) == set(values.index)
    assert result.colors[values.index[-1]] == "#d9d9d9"  # no data is grey, never a class colour
    assert sum(result.counts) + result.missing == len(values)


def test_quantiles():
    result = classify(series(range(1, 101)), "quantiles", k=5)
    assert result.bins == pytest.approx([20.8, 40.6, 60.4, 80.2, 100.0])
    assert result.counts == [20] * 5
    assert result.colors["350000"] == PALETTES["YlGnBu"][5][0]  # value 1
    assert result.colors["350099"] == PALETTES["YlGnBu"][5][4]  # value 100
    assert result.legend[0] == ("1.0 – 20.8", "#ffffcc")
    assert result.missing == 0 and len(result.legend) == 5


def test_natural_breaks_finds_clusters():
    result = classify(series([1, 2, 3, 50, 51, 52, 100, 101, 102]), "natural_breaks", k=3, palette="Blues")
    assert result.bins == [3.0, 52.0, 102.0]
    assert result.counts == [3, 3, 3]
    assert [label for label, _ in result.legend] == ["1.0 – 3.0", "3.0 – 52.0", "52.0 – 102"]


def test_equal_interval():
    result = classify(series(range(0, 101)), "equal_interval", k=4, palette="Greens")
    assert result.bins == [25.0, 50.0, 75.0, 100.0]
    assert result.counts == [26, 25, 25, 25]
    assert [c for _, c in result.legend] == PALETTES["Greens"][4]


def test_user_defined_adds_a_class_above_the_last_break():
    result = classify(series([5, 15, 60, 80]), "user_defined", breaks=[10, 50], palette="Oranges")
    assert result.bins == [10.0, 50.0, 80.0]
    assert result.counts == [1, 1, 2]
    assert [label for label, _ in result.legend] == ["5.0 – 10.0", "10.0 – 50.0", "50.0 – 80.0"]
    assert result.colors["350003"] == PALETTES["Oranges"][3][2]


@pytest.mark.parametrize("breaks, message", [
    ([50, 10], "strictly increasing.*10, 50"),
    ([10, 10, 20], "strictly increasing"),
    ([], "at least one break"),
    (None, "at least one break"),
    (["ten"], "must be numbers"),
    ([float("nan")], "finite"),
    ([1, 2, 3, 4, 5, 6, 7], "At most 7 classes"),  # + one above 7 for the value 100
])
def test_user_defined_breaks_are_validated(breaks, message):
    with pytest.raises(ClassifyError, match=message) as err:
        classify(series([0, 3, 100]), "user_defined", breaks=breaks)
    assert err.value.zh and isinstance(err.value, ValueError)


@pytest.mark.parametrize("palette", sorted(PALETTES))
@pytest.mark.parametrize("k", range(3, 8))
def test_palette_length_matches_k(palette, k):
    colors = PALETTES[palette][k]
    assert len(colors) == k == len(set(colors))
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)
    result = classify(series(range(100)), "quantiles", k=k, palette=palette)
    assert [c for _, c in result.legend] == colors


def test_missing_values_get_grey_and_a_legend_entry():
    values = series([1, 2, np.nan, 4, 5, 6, np.inf])
    result = classify(values, "equal_interval", k=3)
    assert result.colors["350002"] == MISSING_COLOR == "#d9d9d9"
    assert result.colors["350006"] == MISSING_COLOR  # inf is not a value to colour
    assert result.missing == 2 and sum(result.counts) == 5
    assert result.legend[-1][1] == MISSING_COLOR and "No data" in result.legend[-1][0]
    assert len(result.legend) == 4 and len(result.colors) == 7


def test_all_missing_is_a_clear_error():
    with pytest.raises(ClassifyError, match="no numeric values"):
        classify(series([np.nan, np.nan]), "quantiles")


def test_fewer_distinct_values_than_k_reduces_k():
    result = classify(series([1, 1, 2, 2, 3]), "natural_breaks", k=5)
    assert result.bins == [1.0, 2.0, 3.0] and result.counts == [2, 2, 1]
    assert [c for _, c in result.legend] == PALETTES["YlGnBu"][3]


def test_quantile_ties_leave_no_empty_class():
    result = classify(series([0] * 8 + [1, 2]), "quantiles", k=5)
    assert 0 not in result.counts and sum(result.counts) == 10
    assert len(result.legend) == len(result.bins) == len(result.counts)


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_single_distinct_value(scheme):
    result = classify(series([5, 5, 5, np.nan]), scheme, k=5)
    assert result.bins == [5.0] and result.counts == [3]
    assert result.legend == [("5.0", PALETTES["YlGnBu"][3][1]), ("No data / 无数据", MISSING_COLOR)]


def test_two_distinct_values_use_light_and_dark():
    result = classify(series([1, 9]), "equal_interval", k=5, palette="PuRd")
    assert [c for _, c in result.legend] == [PALETTES["PuRd"][3][0], PALETTES["PuRd"][3][2]]


@pytest.mark.parametrize("kwargs, message", [
    ({"scheme": "jenks"}, "Unknown classification scheme"),
    ({"scheme": "quantiles", "palette": "Rainbow"}, "Unknown palette"),
    ({"scheme": "quantiles", "k": 9}, "between 3 and 7"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(ClassifyError, match=message):
        classify(series(range(10)), **kwargs)




# ---- the breaks box (issue 23.8): refused before anything is parsed or computed


@pytest.fixture
def no_mapclassify(monkeypatch):
    """mapclassify's user-defined classes raise if called: a refusal must come before them."""
    import mapclassify

    from fjchains.upload import classify as module

    def never(*args, **kwargs):
        raise AssertionError("mapclassify.UserDefined was called")

    monkeypatch.setattr(mapclassify, "UserDefined", never)
    monkeypatch.setitem(module.SCHEMES, "user_defined", never)


def test_a_million_breaks_are_refused_unread(no_mapclassify):
    """6.9 MB pasted into the breaks box cost 12-14 s per rerun: mapclassify ran before the
    class limit was checked. Now the length is refused before the text is even split."""
    from fjchains.core import limits
    from fjchains.upload.classify import parse_breaks

    text = ",".join(str(i) for i in range(1_000_000))
    assert len(text) == 6_888_889
    with pytest.raises(ClassifyError) as err:
        parse_breaks(text)
    assert err.value.key == "classify_breaks_too_long"
    assert f"at most {limits.MAX_BREAKS_CHARS}" in err.value.en and "6,888,889 characters" in err.value.en
    assert "分界值太长" in err.value.zh


@pytest.mark.parametrize("text", ["1,2,3,4,5,6,7,8", "1，2，3，4，5，6，7，8，9", ",".join(["1"] * 100)])
def test_more_breaks_than_classes_are_refused_before_mapclassify(text, no_mapclassify):
    """Each break closes a class (values above the last get one more), so eight breaks always
    make at least eight classes: refused from the count alone, numbers unread."""
    from fjchains.upload.classify import parse_breaks

    with pytest.raises(ClassifyError, match="At most 7 breaks") as err:
        parse_breaks(text)
    assert err.value.key == "classify_too_many_breaks" and "最多 7 个分界值" in err.value.zh


def test_classify_counts_breaks_before_reading_them(no_mapclassify):
    """Breaks given as a list (not through parse_breaks) are counted first too."""
    with pytest.raises(ClassifyError) as err:
        classify(series([0, 3, 100]), "user_defined", breaks=["ten"] * 1_000_000)
    assert err.value.key == "classify_too_many_breaks" and "1,000,000" in err.value.en


def test_seven_breaks_in_200_characters_are_still_accepted():
    from fjchains.core import limits
    from fjchains.upload.classify import parse_breaks

    text = ", ".join(f"{i}.{'5' * 22}" for i in range(1, 8))
    assert len(text) <= limits.MAX_BREAKS_CHARS == 200
    breaks = parse_breaks(text)
    assert len(breaks) == 7
    assert len(classify(series([0, 3, 7]), "user_defined", breaks=breaks).bins) == 7
    with pytest.raises(ClassifyError, match="too long"):
        parse_breaks(text + " " * (201 - len(text)))
