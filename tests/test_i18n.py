"""The translation catalogues (fjchains/core/locales/*.toml) are complete and have no dead keys."""

from __future__ import annotations

import re

import pytest

from fjchains.analysis.spatial import LABELS
from fjchains.core import paths
from fjchains.core.i18n import CATALOGUES, LANGUAGES, t
from fjchains.data.headline import CARD_METRICS
from fjchains.data.tables import CATEGORIES
from fjchains.render.picture import FORMATS
from fjchains.upload.classify import SCHEMES
from fjchains.upload.reader import DELIMITERS

SOURCES = [*sorted((paths.ROOT / "fjchains").rglob("*.py")), *sorted((paths.ROOT / "pages").glob("*.py")),
           paths.ROOT / "dashboard.py"]
CODE = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
#: Keys built at run time from data: t(f"cat_{c}"), t(f"level_{v}"), t("kpi_" + metric) ...
FAMILIES = {
    "cat_": set(CATEGORIES),
    "level_": {"district", "county_city", "county"},
    "scheme_": set(SCHEMES),
    "key_": {"adcode", "name"},
    "kpi_": set(CARD_METRICS) | {"chains", "chains_help", "counties", "counties_help"},
    "unit_": {"km", "m"},  # matplotlib-scalebar's units
    "download_": set(FORMATS),  # picture formats
    "delimiter_": set(DELIMITERS.values()),
    "lisa_": set(LABELS) | {"island_why", "missing_why"},  # t(f"lisa_{label}"), t(f"lisa_{status}_why")
    # the budgets fjchains.upload.reader and fjchains.upload.userdata name: _too_big(name, "<reason>", ...)
    "budget_": set(re.findall(r'_too_big\(name, "([a-z_]+)"', CODE)) | {"time", "memory"},
}


def _used_literally(key: str) -> bool:
    return re.search(rf"""["']{re.escape(key)}["']""", CODE) is not None


def test_both_languages_define_the_same_keys():
    zh, en = (set(CATALOGUES[lang]) for lang in LANGUAGES)
    assert zh - en == set(), "missing in en.toml"
    assert en - zh == set(), "missing in zh.toml"


def test_every_key_used_in_the_code_is_defined():
    literal_calls = set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""", CODE))
    assert literal_calls - set(CATALOGUES["zh"]) == set()


def test_every_key_defined_is_used():
    unused = []
    for key in CATALOGUES["zh"]:
        family = next((prefix for prefix in FAMILIES if key.startswith(prefix)), None)
        if family and key[len(family):] in FAMILIES[family]:
            continue
        if key.startswith("col_") and _used_literally(key[len("col_"):]):  # a column the tables show
            continue
        if not _used_literally(key):
            unused.append(key)
    assert unused == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_family_is_complete(lang):
    for prefix, members in FAMILIES.items():
        for member in members:
            assert f"{prefix}{member}" in CATALOGUES[lang], f"{prefix}{member}"


def test_separators_follow_the_language():
    assert t("list_sep", "zh") == "、" and t("list_sep", "en") == ", "
    assert t("colon", "zh") == "：" and t("colon", "en") == ": "
    assert t("no_such_key", "en") == "no_such_key"  # a missing key shows itself, never a crash
