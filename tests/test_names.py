"""Names users type resolve to adcodes in one place."""

from __future__ import annotations

import pytest

from fjchains.data.names import normalise, resolve, short_zh, suggest, suggest_counties


@pytest.mark.parametrize("typed, adcode", [
    ("晋江", "350582"), ("晋江市", "350582"), ("Jinjiang", "350582"), ("jinjiang", "350582"),
    (" JIN JIANG ", "350582"), ("Jinjiang City", "350582"), ("泉州市晋江市", "350582"), ("福建省晋江市", "350582"),
    ("350582", "350582"), ("晋江县", "350582"),
    ("龙海市", "350604"), ("长乐市", "350112"), ("梅列区", "350404"), ("沙县", "350405"), ("建阳市", "350703"),
    ("永定县", "350803"), ("长泰县", "350605"), ("Shaxian", "350405"), ("Jin'an", "350111"), ("jinan", "350111"),
    ("武夷山", "350782"), ("金门", "350527"), ("Putian Licheng", "350304"), ("泉州鲤城", "350502"),
    ("ｊｉｎｊｉａｎｇ", "350582"), ("Kinmen", "350527"), ("kinmen county", "350527"), ("Jinmen", "350527"),
    ("Sha County", "350405"), ("Shaxian District", "350405"),
])
def test_resolves(typed, adcode, aliases, tables):
    assert resolve(typed, aliases, tables.counties) == [adcode]


@pytest.mark.parametrize("typed", ["晋\u200b江市", "\ufeff晋江市", "晋江\u202e市", "\u2066晋江\u2069", "晋\u00ad江",
                                   "Jin\u200cjiang", "\u200d350582"])
def test_invisible_characters_in_a_typed_name_are_ignored(typed, aliases, tables):
    """Zero-width characters, BOM, soft hyphen and bidi controls draw nothing (issue 23.5)."""
    assert resolve(typed, aliases, tables.counties) == ["350582"]


def test_licheng_is_ambiguous_in_english(aliases, tables):
    assert resolve("Licheng", aliases, tables.counties) == ["350304", "350502"]


@pytest.mark.parametrize("typed", ["", "   ", "北京", "<script>alert(1)</script>", "xyz", "35"])
def test_unknown_resolves_to_nothing(typed, aliases, tables):
    assert resolve(typed, aliases, tables.counties) == []


def test_suggestions_for_typos(aliases):
    assert "晋江" in suggest("晋江县城", aliases) or "晋江市" in suggest("晋江县城", aliases)
    assert suggest("Jinjian", aliases)[0].lower().startswith("jinjiang")


def test_search_suggestions_are_counties_for_the_readers_language(aliases):
    """The search box says its 'did you mean' in the interface language: adcodes, not the alias matched."""
    assert suggest_counties("Jinjian", aliases)[0] == "350582"
    found = suggest_counties("gulangyu", aliases)
    assert found and all(len(a) == 6 and a.startswith("35") for a in found) and len(set(found)) == len(found)


def test_every_county_resolves_by_each_of_its_names(tables, aliases):
    for c in tables.counties.itertuples():
        for name in (c.name_zh, short_zh(c.name_zh), c.adcode):
            assert resolve(name, aliases, tables.counties) == [c.adcode], name
        assert c.adcode in resolve(c.name_en, aliases, tables.counties)


def test_names_in_source_resolve_to_their_adcode(tables, aliases):
    for row in tables.county_chains.itertuples():
        assert resolve(row.name_in_source, aliases, tables.counties) == [row.adcode]
    for row in tables.golden_cards.itertuples():
        assert resolve(row.name_in_source, aliases, tables.counties) == [row.adcode]


def test_normalise_folds_width_case_and_marks():
    assert normalise("Ｊｉｎ’Ｊｉａｎｇ ") == "jinjiang"
