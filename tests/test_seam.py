"""The startup check of Streamlit's version against the drilled range (fjchains/app/seam.py)."""

from __future__ import annotations

import logging
import re
import tomllib

import pytest
import streamlit as st

from fjchains.app import seam
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
