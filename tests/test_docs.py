"""Docs that are true (issue 24.4): every command the docs and docstrings give runs as written,
every `make X` the READMEs name is a Makefile target, every file the README names exists, and
the README's layout and each subpackage's docstring name every module of the package.

Commands are run with `--help` only, in this process: seconds, nothing is built.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import re
import runpy
import sys
import warnings
from pathlib import Path

import pytest

from fjchains.core import paths

ROOT = paths.ROOT
README = ROOT / "README.md"
#: Where commands are documented: the READMEs and docs, the Makefile, and the docstrings of
#: everything that is run as a command.
DOCS = [README, ROOT / "benchmarks" / "README.md", ROOT / "data" / "README.md", ROOT / "geo" / "README.md",
        ROOT / "Makefile", *sorted((ROOT / "docs").glob("*.md"))]
COMMAND_SOURCES = [ROOT / "serve.py", ROOT / "dashboard.py", *sorted((ROOT / "benchmarks").glob("*.py")),
                   *sorted((ROOT / "deploy").glob("*.py")), *sorted((ROOT / "scripts").glob("*.py")),
                   *sorted((ROOT / "harness").glob("*.py")), *sorted((ROOT / "tests" / "hostile").glob("*.py"))]
#: Our own top-level packages: `python -m` of anything else (venv, pytest, pip) is not ours to check.
OURS = ("benchmarks", "deploy", "scripts", "tests", "harness", "fjchains")
#: Paths the README names that a command writes (git-ignored): `make figures`.
WRITTEN_BY_COMMANDS = {"figures/zh/", "figures/en/"}
#: Paths benchmarks/README.md names that a run writes: --url runs, the server logs.
WRITTEN_BY_BENCHMARKS = {"results/load_url.json", "results/load_url.md", "results/logs/"}
EXTENSIONS = r"\.(py|md|sh|toml|csv|json|js|css|yaml|txt|html|geojson|ttf|in|conf)$"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _docstrings(path: Path) -> str:
    """A module's docstring and its functions' and classes' (where usage lines live)."""
    tree = ast.parse(_text(path))
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))]
    return "\n".join(ast.get_docstring(n) or "" for n in nodes)


def _commands() -> dict[str, set[str]]:
    """`python -m module` and `python path/to/script.py` as documented -> where each is named."""
    found: dict[str, set[str]] = {}
    texts = {p: _text(p) for p in DOCS} | {p: _docstrings(p) for p in COMMAND_SOURCES}
    for path, text in texts.items():
        where = str(path.relative_to(ROOT))
        for module in re.findall(r"python3? -m ([A-Za-z_]\w*(?:\.\w+)*)", text):
            if module.split(".")[0] in OURS:
                found.setdefault(f"-m {module}", set()).add(where)
        for script in re.findall(r"python3? ((?:[\w-]+/)+[\w-]+\.py)\b", text):
            found.setdefault(script, set()).add(where)
    return found


#: Our packages that are not installed: a script run by its path (its own folder first on
#: sys.path, not the repo root) cannot import them (benchmarks/x.py: ModuleNotFoundError).
NOT_INSTALLED = ("benchmarks", "deploy", "scripts", "tests", "harness")


def _help(command: str, monkeypatch) -> str:
    """`python COMMAND --help`, in this process (the imports are shared, so it takes seconds for all)."""
    out = io.StringIO()
    script = not command.startswith("-m ")
    name = command if script else command.removeprefix("-m ")
    if script:
        path = ROOT / name
    else:  # run_path of the module's file, not run_module: pytest's import hook claims *_test.py
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin, f"no module {name}"
        path = Path(spec.origin)
    monkeypatch.setattr(sys, "argv", [name, "--help"])
    with contextlib.redirect_stdout(out), warnings.catch_warnings(), pytest.raises(SystemExit) as exit_:
        warnings.simplefilter("ignore", RuntimeWarning)  # a module the other tests imported already
        runpy.run_path(str(path), run_name="__main__")
    assert exit_.value.code in (0, None), f"python {command} --help exited {exit_.value.code}"
    return out.getvalue()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(_text(path))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    return names | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}


def test_every_documented_command_runs_as_written(monkeypatch):
    """Each with --help: a missing module, an import error, a command that runs instead of
    answering --help, or a script that cannot be run by its path fails here."""
    commands = _commands()
    assert {"-m benchmarks.run_benchmark", "-m benchmarks.load_test", "-m benchmarks.session_cost",
            "-m benchmarks.picture_benchmark", "-m benchmarks.spatial_benchmark", "-m deploy.cluster",
            "-m tests.hostile.generate", "scripts/build_boundaries.py", "scripts/make_figures.py"} <= set(commands)
    failed = {}
    for command in sorted(commands):
        where = f"python {command} (named in {', '.join(sorted(commands[command]))})"
        if not command.startswith("-m "):
            wrong = {m for m in _imports(ROOT / command) if m.split(".")[0] in NOT_INSTALLED}
            if wrong:
                failed[where] = f"imports {sorted(wrong)}: run it with python -m"
                continue
        try:
            out = _help(command, monkeypatch)
        except BaseException as exc:  # any failure of a documented command is reported
            failed[where] = f"{type(exc).__name__}: {exc}"
            continue
        if "usage:" not in out:
            failed[where] = "no usage text: --help ran the command instead"
    assert failed == {}


def _make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*):", _text(ROOT / "Makefile"), re.MULTILINE))


@pytest.mark.parametrize("doc", [README, ROOT / "benchmarks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_every_make_target_named_exists(doc):
    named = set(re.findall(r"(?:`|^ {4,})make ([a-z][\w-]*)", _text(doc), re.MULTILINE))
    assert named - _make_targets() == set()


def _named_paths(text: str) -> set[str]:
    """Repo paths in `code` spans: anything with a slash or a file extension, not a URL, a
    route (/explorer), a query, an npm scope or an environment assignment."""
    found = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        for word in span.split():
            word = word.strip("(),;:")
            if re.match(r"[/?@]|.*(://|=)", word):
                continue
            if "/" in word or re.search(EXTENSIONS, word):
                found.add(word)
    return found


def _exists(name: str, *bases: Path) -> bool:
    if "/" not in name:  # a file named alone: anywhere in the repo's own folders
        return any(True for _ in ROOT.glob(f"[!.]*/**/{name}")) or (ROOT / name).exists()
    return any(list(base.glob(name)) for base in bases)


def test_every_path_the_readme_names_exists():
    missing = {p for p in _named_paths(_text(README)) if not _exists(p, ROOT)} - WRITTEN_BY_COMMANDS
    assert missing == set()


def test_every_path_the_benchmarks_readme_names_exists():
    doc = ROOT / "benchmarks" / "README.md"
    missing = {p for p in _named_paths(_text(doc)) if not _exists(p, ROOT, doc.parent)} - WRITTEN_BY_BENCHMARKS
    assert missing - {"st.html"} == set()  # st.html: Streamlit's function, not a file


def _layout_block() -> str:
    match = re.search(r"^## Layout\n```\n(.*?)^```", _text(README), re.MULTILINE | re.DOTALL)
    assert match, "README.md has no layout block"
    return match.group(1)


def _entries(block: str) -> dict[str, str]:
    """First column (indented: under fjchains/) -> the entry's text, continuation lines joined."""
    entries: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        head, text = line[:24].strip(), line[24:]
        if head:
            name = f"fjchains/{head}" if line.startswith("  ") else head
            entries[name] = ""
        entries[name] += " " + text
    return entries


def test_the_readme_layout_names_every_module_of_the_package():
    entries = _entries(_layout_block())
    for package in sorted(p for p in (ROOT / "fjchains").rglob("__init__.py") if p.parent.name != "fjchains"):
        folder = str(package.parent.relative_to(ROOT)) + "/"
        assert folder in entries, f"the README's layout has no line for {folder}"
        modules = {p.stem for p in package.parent.glob("*.py")} - {"__init__"}
        unnamed = {m for m in modules if not re.search(rf"\b{m}\b", entries[folder])}
        assert unnamed == set(), folder


def test_the_readme_layout_names_only_what_exists():
    for name in _entries(_layout_block()):
        first, *others = [part.strip() for part in name.split(",")]
        assert (ROOT / first).exists(), name
        for other in others:  # "static/vendor, fonts": siblings of the first
            assert (ROOT / first).parent.joinpath(other).exists() or (ROOT / other).exists(), name


@pytest.mark.parametrize("package", sorted(str(p.parent.relative_to(ROOT)) for p in (ROOT / "fjchains").rglob("__init__.py")
                                           if p.parent.name != "fjchains"))
def test_each_subpackage_docstring_names_its_modules(package):
    folder = ROOT / package
    doc = ast.get_docstring(ast.parse(_text(folder / "__init__.py"))) or ""
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    assert {m for m in modules if not re.search(rf"\b{m}s?\b", doc)} == set()
