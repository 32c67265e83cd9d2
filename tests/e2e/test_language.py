"""One language at a time: every page, in each language, shows no text of the other language
outside names, quotes and source titles (issue 12, part 4).

Reads what a reader sees: the page's text (main area and sidebar), the Plotly charts' SVG
text, and inside the map's iframe the legend, the attribution and every county's tooltip
lines. Data tables are drawn on a canvas, so their cells are checked without a browser
(tests/test_language.py).
"""

from __future__ import annotations

import re

import pytest

from fjchains.tables import load_tables
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import map_frame, wait_idle

pytestmark = pytest.mark.e2e

PAGES = ("", "explorer", "chains", "upload", "sources")
UPLOAD_NAME, UPLOAD_COLUMN = "county_gdp.csv", "GDP"

#: Text a Chinese page may show in Latin letters: file formats and units, product and
#: licence names, the language switcher, the search box's example, and user text.
LATIN_ALLOWED = {"CSV", "Excel", "GeoJSON", "HTML", "PNG", "SVG", "ZIP", "UTF", "BOM", "GBK", "GB18030", "MB",
                 "xlsx", "csv", "txt", "OpenStreetMap", "fast", "geocn", "MIT", "PyPI", "Language", "English",
                 "Jinjiang", "Leaflet", "km", "GDP", "county_gdp", "adcode"}
#: Chinese a English page may show: the language switcher and the characters the English
#: text explains ("等", the county names the search box takes as examples).
HAN_ALLOWED = ("语言 / Language", "中文", "晋江 / Jinjiang / 龙海市", "等")
_HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff60]+")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|\"[^\"]*\"")
_URL = re.compile(r"https?://\S+")

GATHER = """() => [document.querySelector('[data-testid=stSidebar]')?.innerText || '',
  document.querySelector('[data-testid=stMain]')?.innerText || '',
  ...[...document.querySelectorAll('.main-svg text')].map(e => e.textContent)].join('\\n')"""
MAP_TEXT = """() => [document.body.innerText,
  ...Object.values((window.fjState && window.fjState.tips) || {}).flat()].join('\\n')"""


@pytest.fixture(scope="module")
def names():
    """Proper names of the data in both scripts (a county's other name is shown beside it)."""
    tables = load_tables()
    c = tables.counties
    zh = set(c["name_zh"]) | set(c["prefecture_zh"]) | set(tables.sources["title_zh"])
    en = set(c["name_en"]) | set(c["prefecture_en"]) | set(tables.sources["title_en"])
    return {"zh": sorted(zh, key=len, reverse=True), "en": sorted(en, key=len, reverse=True)}


@pytest.fixture(scope="module")
def upload_file(tmp_path_factory):
    """A GDP-like column in yuan (1e9 to 1e11), so big numbers meet each language's format."""
    counties = load_tables().counties
    lines = ["adcode,GDP"] + [f"{a},{(i + 1) * 1.37e9:.0f}" for i, a in enumerate(counties["adcode"])]
    path = tmp_path_factory.mktemp("lang") / UPLOAD_NAME
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def foreign_text(text: str, lang: str, names: dict[str, list[str]]) -> list[str]:
    """The lines of `text` holding text of the other language, once names, quotes, URLs and
    allowed words are taken out."""
    found = []
    for line in text.splitlines():
        rest = _URL.sub(" ", _QUOTED.sub(" ", line))
        if lang == "en":
            for allowed in (*HAN_ALLOWED, *names["zh"]):
                rest = rest.replace(allowed, " ")
            if _HAN.search(rest):
                found.append(line.strip())
        else:
            for allowed in names["en"]:
                rest = rest.replace(allowed, " ")
            words = set(re.findall(r"[A-Za-z][A-Za-z_]+", rest)) - LATIN_ALLOWED
            if words:
                found.append(f"{line.strip()}  <- {sorted(words)}")
    return list(dict.fromkeys(found))


def test_foreign_text_finds_both_ways(names):
    assert foreign_text("来源: 福建省政府网 (Fujian Provincial Government portal)", "zh", names)
    assert foreign_text("Boundaries: not approved (no 审图号)", "en", names)
    assert foreign_text("legend 1.23B", "zh", names)
    assert not foreign_text("晋江市 Jinjiang City · 行政区划代码 350582", "zh", names)
    assert not foreign_text("Jinjiang City · 晋江市 · the opinion's words “纺织鞋服”", "en", names)


def _walk(p, url: str, path: str, lang: str, upload_file) -> str:
    p.goto(f"{url}/{path}?lang={lang}&county=350582")
    if path == "upload":
        p.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload_file))
        p.locator(".st-key-detail_values").wait_for(timeout=60_000)
    _, handle = map_frame(p) if path != "sources" else (None, None)
    wait_idle(p)
    p.wait_for_timeout(1500)  # the charts' first draw
    shot = ARTIFACTS / "language"
    shot.mkdir(parents=True, exist_ok=True)
    p.screenshot(path=str(shot / f"{lang}_{path or 'overview'}.png"), full_page=True)
    text = p.evaluate(GATHER)
    if handle is not None:
        text += "\n" + handle.evaluate(MAP_TEXT)
    return text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(app_url, page, lang, names, upload_file):
    p = page.page
    problems = {}
    for path in PAGES:
        text = _walk(p, app_url, path, lang, upload_file)
        (ARTIFACTS / "language" / f"{lang}_{path or 'overview'}.txt").write_text(text, encoding="utf-8")
        if UPLOAD_COLUMN not in text and path == "upload":
            pytest.fail("the uploaded column is not on the page: the walk did not load the file")
        found = foreign_text(text.replace(UPLOAD_NAME, " "), lang, names)
        if found:
            problems[path or "overview"] = found
    assert not problems, "\n".join(f"[{k}] {line}" for k, lines in problems.items() for line in lines)
