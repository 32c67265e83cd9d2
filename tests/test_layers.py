"""The package's layers point down: each subpackage imports only the layers before it
(fjchains/__init__.py), and only fjchains.app imports Streamlit."""

from __future__ import annotations

import ast

import pytest

from fjchains.core import paths

LAYERS = ("core", "geo", "data", "upload", "analysis", "render", "app")
PACKAGE = paths.ROOT / "fjchains"


def _imports(source: str) -> set[str]:
    """Every module an `import` or `from … import` names, at any depth (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def violations(layer: str, source: str) -> list[str]:
    """What `source`, a module of `layer`, imports from a layer above it (or Streamlit outside app)."""
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    wrong = []
    for name in sorted(_imports(source)):
        parts = name.split(".")
        if parts[0] == "fjchains" and len(parts) > 1 and parts[1] in LAYERS and parts[1] not in allowed:
            wrong.append(name)
        if parts[0] == "streamlit" and layer != "app":
            wrong.append(name)
    return wrong


def test_top_level_holds_only_the_subpackages():
    assert [p.name for p in PACKAGE.glob("*.py")] == ["__init__.py"]
    assert sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()) == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_those_below_it(layer):
    found = {str(path.relative_to(PACKAGE)): violations(layer, path.read_text(encoding="utf-8"))
             for path in sorted((PACKAGE / layer).rglob("*.py"))}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_owns_and_may_import(layer):
    doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Owns" in doc and "May import" in doc


def test_a_planted_upward_import_is_found():
    assert violations("data", "from fjchains.render.export import county_records\n") == [
        "fjchains.render.export", "fjchains.render.export.county_records"]
    assert violations("geo", "def f():\n    import streamlit as st\n") == ["streamlit"]
    assert violations("render", "from fjchains.data import tables\n") == []
