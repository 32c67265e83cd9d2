"""The seam (fjchains/app/seam.py, static/js/seam.js, static/css/seam-*.css): the start-up
check of Streamlit's version and internals, nothing outside the seam reaching past a public
API, every seam entry in docs/UPGRADING.md (and every test it names existing), and first paint
as one object (fjchains/app/first_paint.py)."""

from __future__ import annotations

import ast
import dataclasses
import logging
import re
import subprocess
import sys
import tomllib

import pytest
import streamlit as st

from fjchains.app import first_paint, seam
from fjchains.core import paths

WARNING = "outside the supported range"


@pytest.fixture(autouse=True)
def fresh_warnings():
    seam._warn_unsupported.cache_clear()
    yield
    seam._warn_unsupported.cache_clear()


def _pin() -> str:
    text = (paths.ROOT / "requirements.txt").read_text(encoding="utf-8")
    match = re.search(r"^streamlit==(\S+)$", text, re.M)
    assert match, "requirements.txt pins no streamlit"
    return match[1]


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == seam.__name__ and r.levelno == logging.WARNING]


def test_the_pin_is_supported_and_logs_nothing(caplog):
    caplog.set_level(logging.WARNING, logger=seam.__name__)
    assert seam.check_streamlit_version(_pin())
    assert _warnings(caplog) == []


@pytest.mark.parametrize("version", ["1.64.0", "1.68.0", "1.68.0rc1", "2.0.0", "not-a-version"])
def test_a_version_outside_the_range_logs_one_warning_line(caplog, version):
    caplog.set_level(logging.WARNING, logger=seam.__name__)
    assert not seam.check_streamlit_version(version)
    assert not seam.check_streamlit_version(version)  # once per process and version
    [line] = _warnings(caplog)
    assert version in line and WARNING in line and seam.SUPPORTED_STREAMLIT in line and "\n" not in line


def test_the_running_version_is_read_by_default(caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger=seam.__name__)
    monkeypatch.setattr(st, "__version__", "1.40.0")
    assert not seam.check_streamlit_version()
    assert "1.40.0" in _warnings(caplog)[0]
    monkeypatch.setattr(st, "__version__", _pin())
    caplog.clear()
    assert seam.check_streamlit_version()
    assert _warnings(caplog) == []


def test_pyproject_states_the_same_range():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"streamlit{seam.SUPPORTED_STREAMLIT}" in [d.replace(" ", "") for d in project["dependencies"]]


# ---- one seam (issue 25.1, 25.2): nothing outside it reaches past a public API

ROOT = paths.ROOT
SEAM_PY = ROOT / "fjchains" / "app" / "seam.py"
SEAM_JS = ROOT / "static" / "js" / "seam.js"
UPGRADING = ROOT / "docs" / "UPGRADING.md"
#: Product code: the package, the pages, the app's scripts; the browser code and its CSS.
PRODUCT_PY = sorted([*(ROOT / "fjchains").rglob("*.py"), *(ROOT / "pages").glob("*.py"),
                     ROOT / "dashboard.py", ROOT / "serve.py"])
PRODUCT_JS = sorted([*(ROOT / "static" / "js").glob("*.js"), *(ROOT / "static" / "map-frame").glob("*.js")])
PRODUCT_CSS = sorted((ROOT / "static" / "css").glob("*.css"))
#: Streamlit's DOM: a test id (data-testid, data-test-script-state, ...) or a keyed element's class.
DOM = re.compile(r"data-test(?:id|-[\w-]+)|\bst-key-")
#: Streamlit's modules that are not its API.
PRIVATE_MODULES = ("streamlit.runtime", "streamlit.web", "streamlit.proto", "streamlit.elements")


#: A library's underscore member in browser code (Leaflet's `layer._path`, Plotly's `gd._fullLayout`).
JS_PRIVATE = re.compile(r"\.(_[A-Za-z]\w*)")


def js_private_reaches(text: str) -> list[str]:
    """Every underscore member that browser code `text` reads or writes."""
    return JS_PRIVATE.findall(text)


def _is_seam(path) -> bool:
    return path in (SEAM_PY, SEAM_JS) or path.name.startswith("seam-")


def dom_reaches(text: str) -> list[str]:
    """Every test id or st-key- class that `text` (JavaScript, CSS, or Python) spells."""
    return DOM.findall(text)


def python_reaches(source: str, own: tuple[str, ...] = ("fjchains",)) -> list[str]:
    """What Python `source` reaches past another package's public API: an import of Streamlit's
    private modules, an underscore name imported from another package, an underscore attribute
    of anything but `self`/`cls` or a module of ours (also through getattr/hasattr/setattr with
    a literal name), and a test id or st-key- class in a string."""
    tree = ast.parse(source)
    ours = {alias.asname or alias.name.split(".")[0]
            for node in ast.walk(tree) if isinstance(node, ast.ImportFrom | ast.Import)
            for alias in node.names
            if ((node.module or "") if isinstance(node, ast.ImportFrom) else alias.name).startswith(own)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom) and node.module:
                modules += [f"{node.module}.{a.name}" for a in node.names]
            found += [m for m in modules if m.startswith(PRIVATE_MODULES)][:1]
            if isinstance(node, ast.ImportFrom) and node.level == 0 and not (node.module or "").startswith(own):
                found += [f"{node.module}.{a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            if not (isinstance(base, ast.Name) and base.id in {"self", "cls", *ours}):
                found.append(ast.unparse(node))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr", "setattr") and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and _private(str(node.args[1].value))):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += dom_reaches(node.value)
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _rel(path) -> str:
    return str(path.relative_to(ROOT))


def test_product_python_reaches_past_no_public_api_outside_the_seam():
    found = {_rel(p): python_reaches(p.read_text(encoding="utf-8")) for p in PRODUCT_PY if not _is_seam(p)}
    assert {k: v for k, v in found.items() if v} == {}


def test_product_browser_code_and_css_spell_no_test_id_or_key_class_outside_the_seam():
    found = {_rel(p): dom_reaches(p.read_text(encoding="utf-8")) for p in PRODUCT_JS + PRODUCT_CSS
             if not _is_seam(p)}
    assert {k: v for k, v in found.items() if v} == {}


def test_benchmarks_and_tests_take_streamlits_protocol_from_the_seam():
    """The benchmarks' browserless sessions and the AppTest helpers read Streamlit's messages
    through fjchains.app.seam (protocol, apptest_component_args)."""
    tracked = subprocess.run(["git", "ls-files", "benchmarks", "tests/appmap.py"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    found = {}
    for name in tracked:
        if name.endswith(".py"):
            tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
            found[name] = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                           and (n.module or "").startswith("streamlit.proto")]
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize(("source", "reach"), [
    ("from streamlit.runtime.pages_manager import PagesManager\n", "streamlit.runtime.pages_manager"),
    ("def f():\n    import streamlit.web.server as s\n", "streamlit.web.server"),
    ("from streamlit.proto.BackMsg_pb2 import BackMsg\n", "streamlit.proto.BackMsg_pb2"),
    ("from streamlit.elements import lib\n", "streamlit.elements"),
    ("import streamlit as st\nst.session_state._state\n", "st.session_state._state"),
    ("from streamlit.runtime import Runtime\nRuntime.instance()._session_mgr\n", "Runtime.instance()._session_mgr"),
    ("from pandas.core import _internal\n", "pandas.core._internal"),
    ("x = getattr(runtime, '_session_mgr', None)\n", "getattr(runtime, '_session_mgr', None)"),
    ("CSS = '[data-testid=stSidebar] { color: red }'\n", "data-testid"),
    ("key = '.st-key-detail_panel'\n", "st-key-"),
])
def test_a_planted_reach_is_found(source, reach):
    assert reach in python_reaches(source)


def test_our_own_private_names_and_public_apis_are_not_reaches():
    assert python_reaches("from fjchains.app import seam\nseam._warn_once('x')\nself._lock\n") == []
    assert python_reaches("import streamlit as st\nst.fragment\nst.session_state.get('_upload_id')\n") == []
    assert python_reaches("from streamlit.testing.v1 import AppTest\nfrom streamlit import config\n") == []


def test_product_browser_code_reads_no_librarys_underscore_member_outside_the_seam():
    """Leaflet's and Plotly's public APIs only (layer.getElement(), tooltip.getElement(), the
    map's tooltipopen and mousemove events, the chart's own box)."""
    found = {_rel(p): js_private_reaches(p.read_text(encoding="utf-8")) for p in PRODUCT_JS if not _is_seam(p)}
    assert {k: v for k, v in found.items() if v} == {}


def test_a_planted_underscore_member_in_browser_code_is_found():
    assert js_private_reaches("const path = l._path; L.Tooltip.prototype._setPosition = f;") == ["_path", "_setPosition"]
    assert js_private_reaches("chart._fullLayout?.height") == ["_fullLayout"]
    assert js_private_reaches("l.getElement().focus(); const my_var = a.b;") == []


def test_a_planted_test_id_or_key_class_in_browser_code_or_css_is_found(tmp_path):
    planted = tmp_path / "planted.js"
    planted.write_text("document.querySelector('[data-testid=stSidebar]');\nconst k = '.st-key-x';\n")
    assert dom_reaches(planted.read_text()) == ["data-testid", "st-key-"]
    assert dom_reaches(".stApp[data-test-script-state=running] { }") == ["data-test-script-state"]
    assert dom_reaches("const seam = fjchains.seam; seam.key('detail_panel');") == []


# ---- every seam entry in docs/UPGRADING.md, every test it names exists (datasette's test_docs)


def seam_entries() -> dict[str, list[str]]:
    """The seam's names: public functions and constants of seam.py, the members of
    fjchains.seam (static/js/seam.js), the seam-*.css files."""
    tree = ast.parse(SEAM_PY.read_text(encoding="utf-8"))
    python = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not _private(n.name)]
    python += [t.id for n in tree.body if isinstance(n, ast.Assign | ast.AnnAssign)
               for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
               if isinstance(t, ast.Name) and t.id.isupper() and not _private(t.id)]
    members = re.search(r"return \{([^}]*)\};\s*\}\)\(\),\s*\);\s*$", SEAM_JS.read_text(encoding="utf-8"))
    assert members, "static/js/seam.js no longer ends by returning its members"
    js = re.findall(r"\b([A-Za-z_]\w*)\b", members.group(1))
    css = [p.name for p in PRODUCT_CSS if p.name.startswith("seam-")]
    return {"seam.py": python, "seam.js": js, "css": css}


def undocumented(entries: dict[str, list[str]], doc: str) -> list[str]:
    """The names `doc` does not give in backticks (alone, after a path or module, or called)."""
    return [name for names in entries.values() for name in names
            if not re.search(rf"`(?:[\w./-]*[./])?{re.escape(name)}(?:\(\))?`", doc)]


def named_tests(doc: str) -> list[tuple[str, str | None]]:
    """(test file, test name or None) for each test docs/UPGRADING.md names; `::test_x` after a
    file name is a test of that file."""
    found = []
    for cell in re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`((?:,?\s*(?:and\s*)?`::\w+`)*)", doc):
        path, first_test, more = cell
        found.append((path, first_test or None))
        found += [(path, name) for name in re.findall(r"`::(\w+)`", more)]
    return found


def missing_tests(named: list[tuple[str, str | None]]) -> list[str]:
    missing = []
    for path, name in named:
        file = ROOT / path
        if not file.exists():
            missing.append(path)
        elif name and not re.search(rf"^(?:async )?def {name}\(", file.read_text(encoding="utf-8"), re.M):
            missing.append(f"{path}::{name}")
    return missing


def test_every_seam_entry_is_in_upgrading():
    entries = seam_entries()
    assert entries["seam.py"] and entries["seam.js"] and entries["css"]
    assert undocumented(entries, UPGRADING.read_text(encoding="utf-8")) == []


def test_every_test_upgrading_names_exists():
    named = named_tests(UPGRADING.read_text(encoding="utf-8"))
    assert len(named) > 20
    assert missing_tests(named) == []


def test_a_planted_undocumented_entry_or_missing_test_is_found():
    doc = "| `fjchains/app/seam.py` `upload_target` | … | `tests/test_seam.py::test_no_such_test`, `::test_a_planted_undocumented_entry_or_missing_test_is_found` |"
    assert undocumented({"seam.py": ["upload_target", "planted_reach"]}, doc) == ["planted_reach"]
    assert missing_tests(named_tests(doc)) == ["tests/test_seam.py::test_no_such_test"]
    assert missing_tests([("tests/test_no_such_file.py", None)]) == ["tests/test_no_such_file.py"]


# ---- degrade, never break (issue 25.3)


@pytest.fixture
def fresh_checks():
    seam.check.cache_clear()
    yield
    seam.check.cache_clear()


def test_the_start_up_check_finds_every_reach_of_the_pinned_streamlit(fresh_checks, caplog):
    caplog.set_level(logging.WARNING, logger=seam.__name__)
    assert seam.check() == dict.fromkeys(seam.CHECKS, True)
    assert _warnings(caplog) == []


def test_a_missing_internal_is_one_log_line_and_its_feature_is_off(fresh_checks, caplog, monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    caplog.set_level(logging.WARNING, logger=seam.__name__)
    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    monkeypatch.setattr(seam, "STREAMLIT_INDEX_HTML", paths.ROOT / "no-such-index.html")
    found = seam.check()
    assert not found["pages_manager"] and not found["index_html"] and found["uploads"]
    lines = _warnings(caplog)
    assert len(lines) == 2 and all("missing: off" in line and "\n" not in line for line in lines)
    assert seam.check() is found and len(_warnings(caplog)) == 2  # once per process
    assert seam.use_dashboard_navigation() is False  # the deep-link fix is off: no rerun, the page runs as is
    assert not hasattr(PagesManager, "uses_pages_directory")


def test_a_check_that_raises_turns_its_reach_off(fresh_checks, monkeypatch):
    def moved():
        raise ImportError("streamlit.runtime.memory_session_storage moved")

    monkeypatch.setitem(seam.CHECKS, "sessions", (moved, "closed tabs stay"))
    assert seam.check()["sessions"] is False


def test_an_upload_or_session_store_found_missing_is_left_alone(fresh_checks, monkeypatch):
    """Off means off: the reaches check() found missing are not tried again on every upload."""
    monkeypatch.setitem(seam.CHECKS, "uploads", (lambda: False, "uploads stay"))
    monkeypatch.setitem(seam.CHECKS, "sessions", (lambda: False, "closed tabs stay"))
    monkeypatch.setattr(seam, "_runtime", lambda: pytest.fail("an internal that is off was reached"))
    assert seam.held_upload_bytes() == 0 and seam.reap_closed_sessions() == 0
    seam.keep_only_upload("session", "file")


def test_the_sandbox_starts_children_with_a_neutral_main():
    from fjchains.upload import sandbox

    seam.install()
    assert sandbox.START_GUARD is seam.neutral_main
    main = sys.modules["__main__"]
    with seam.neutral_main():
        assert sys.modules["__main__"] is seam.NEUTRAL_MAIN
    assert sys.modules["__main__"] is main


# ---- first paint as one object (issue 25.5)


def test_pages_and_panels_do_not_ask_whether_the_run_is_held():
    """Only the map panel (where a held run ends) and the headline row (its boxes) know of a held
    run; dashboard.py makes one call; a page rerun from a fragment goes through one function."""
    asking = {}
    for path in PRODUCT_PY:
        text = path.read_text(encoding="utf-8")
        calls = re.findall(r"FIRST_PAINT\.(held|map_sent|placeholders|page)\(", text)
        calls += re.findall(r"\bholding_for_map\b|\bHOLD_FOR_MAP\b", text)
        if calls and path.name not in ("first_paint.py", "session.py"):
            asking[_rel(path)] = sorted(set(calls))
    assert asking == {"dashboard.py": ["page"], "fjchains/app/panels/map_panel.py": ["map_sent"],
                      "fjchains/app/panels/overview.py": ["placeholders"]}
    requests = {_rel(p) for p in PRODUCT_PY if "_PAGE_RERUN" in p.read_text(encoding="utf-8")}
    assert requests == {"fjchains/app/session.py"}
    fragments = {_rel(p) for p in PRODUCT_PY if "@st.fragment" in p.read_text(encoding="utf-8")}
    assert fragments == set(), "fragments are seam.fragment: they honour request_page_rerun"


def test_the_first_paint_docstring_draws_its_states():
    doc = first_paint.__doc__ or ""
    assert all(state in doc for state in ("HELD", "FULL", "DRAWN", "CHARTS"))
    assert [f.name for f in dataclasses.fields(first_paint.Mechanisms)] == [
        "hide_until_sidebar", "hold_first_run", "defer_charts", "sized_placeholders"]
