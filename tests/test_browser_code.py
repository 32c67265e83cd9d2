"""The seams between Python and the browser code (static/js, static/map-frame): one namespace,
no hooks for the tests in product code, settings from Python in one place. The browser code's
own rules are unit-tested in node (tests/js, `make test-js`); Biome lints it (`make lint`)."""

from __future__ import annotations

import re

from fjchains.app import scripts
from fjchains.core import paths
from harness.server import MAP_IFRAME

BROWSER_CODE = sorted([*(paths.STATIC_DIR / "js").glob("*.js"), *(paths.STATIC_DIR / "map-frame").glob("*.js")])
#: What the browser code no longer offers; tests read the page instead (tests/e2e/helpers.py:
#: STYLED, look, wait_restyled, wait_selected, fills) and the map as fjchains.map.
GONE = re.compile(r"dataset\.fj(?:Applied|Counties|Selected|Gestures|ViewReady|TileNotice|PrintFitted)\b"
                  r"|\bfjState\b|\bfjApply\b|\bfjCountyLayer\b|\bfjMapAccess\b|\bfjSkipTexts\b")
#: Our map is fjchains.map (the benchmark's probes also drive the naive app's window.map).
OLD_MAP = re.compile(r"\b(?:window|contentWindow|w)\.map\b")


def test_the_browser_code_shares_one_namespace():
    found = {p.name: sorted(set(re.findall(r"window\.fj\w*", p.read_text(encoding="utf-8")))) for p in BROWSER_CODE}
    assert {name: names for name, names in found.items() if names not in ([], ["window.fjchains"])} == {}
    assert all(found[name] == ["window.fjchains"] for name in ("county-layer.js", "map-access.js", "frame.js"))


def test_product_code_sets_no_state_for_the_tests_on_the_document():
    for path in BROWSER_CODE:
        assert not re.search(r"(body|documentElement)\.dataset", path.read_text(encoding="utf-8")), path.name


def test_what_python_calls_in_the_browser_is_defined_there():
    python = "\n".join(p.read_text(encoding="utf-8") for p in (paths.ROOT / "fjchains").rglob("*.py"))
    called = set(re.findall(r"\bfjchains\.(\w+)\(", python)) - {"app", "core", "data", "geo", "render", "upload"}
    defined = set(re.findall(r"\bfjchains\.(\w+) = ", "\n".join(p.read_text(encoding="utf-8") for p in BROWSER_CODE)))
    assert called and called <= defined, called - defined


def test_the_tests_and_benchmarks_read_no_hook_that_is_gone():
    stale = {}
    for root in ("tests", "benchmarks", "harness"):
        for path in (paths.ROOT / root).rglob("*"):
            if path.suffix not in (".py", ".js") or path.name == "test_browser_code.py":
                continue
            text = path.read_text(encoding="utf-8")
            found = GONE.findall(text) + (OLD_MAP.findall(text) if root != "benchmarks" else [])
            if found:
                stale[str(path.relative_to(paths.ROOT))] = found
    assert stale == {}


def test_the_map_frames_title_is_written_once():
    assert scripts.MAP_FRAMES == MAP_IFRAME  # the tests' copy (harness/server.py) agrees
    for path in BROWSER_CODE:
        assert "map_frame.county_map" not in path.read_text(encoding="utf-8"), path.name


def test_a_page_script_carries_its_settings_as_json_that_cannot_end_the_script():
    html = scripts.page_script("page-access.js", skip={"detail": "</script><script>alert(1)"})
    assert html.startswith("<script>") and html.endswith("</script>") and html.count("</script>") == 1
    assert "window.fjchains.page = Object.assign(window.fjchains.page || {}, " in html
    assert '"mapFrames":"iframe[title=\\"fjchains.app.map_frame.county_map\\"]"' in html
    assert html.index("fjchains.pageLogic = logic") < html.index("fj-skip-")  # the shared rules first
